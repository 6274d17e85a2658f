#include "chiredis.h"
#include <stdlib.h>
#include <string.h>

const char *chiredis_errstr(const redisContext *context) { return context->errstr; }
redisReply *chiredis_element(const redisReply *reply, size_t index) { return reply->element[index]; }

/* The sink being filled on this thread: what the reader hands back instead of a reply object
   while it is active, and so what its free function must leave alone. */
static _Thread_local chiredis_sink *active_sink = NULL;

static chiredis_sink *sink_of(const redisReadTask *task) {
    while (task->parent != NULL) task = task->parent;
    return (chiredis_sink *)task->privdata;
}

static void *sink_string(const redisReadTask *task, char *str, size_t len) {
    chiredis_sink *sink = sink_of(task);
    if (!sink->active || task->parent == NULL) return sink->inner->createString(task, str, len);
    if (len == sink->member_size) {
        if (sink->used + len > sink->capacity) {
            size_t capacity = sink->capacity * 2 + len;
            unsigned char *grown = (unsigned char *)realloc(sink->bytes, capacity);
            if (grown == NULL) return NULL;
            sink->bytes = grown;
            sink->capacity = capacity;
        }
        memcpy(sink->bytes + sink->used, str, len);
        sink->used += len;
    }
    return sink;
}

static void *sink_array(const redisReadTask *task, int elements) {
    chiredis_sink *sink = sink_of(task);
    if (!sink->active) return sink->inner->createArray(task, elements);
    return sink;
}

static void *sink_integer(const redisReadTask *task, long long value) {
    chiredis_sink *sink = sink_of(task);
    if (!sink->active || task->parent == NULL) return sink->inner->createInteger(task, value);
    return sink;
}

static void *sink_nil(const redisReadTask *task) {
    chiredis_sink *sink = sink_of(task);
    if (!sink->active || task->parent == NULL) return sink->inner->createNil(task);
    return sink;
}

/* The reader frees a half-built reply on a protocol error; while a sink is active, that may
   be the sink itself, which is not hiredis's to free. */
static void sink_free(void *object) {
    if (object == NULL || object == (void *)active_sink) return;
    freeReplyObject(object);
}

redisReader *chiredis_sink_reader_create(chiredis_sink *sink) {
    /* hiredis's own object functions, as its default reader uses them. */
    redisReader *plain = redisReaderCreate();
    if (plain == NULL) return NULL;
    sink->inner = plain->fn;
    redisReaderFree(plain);
    sink->functions = *sink->inner;
    sink->functions.createString = sink_string;
    sink->functions.createArray = sink_array;
    sink->functions.createInteger = sink_integer;
    sink->functions.createNil = sink_nil;
    sink->functions.freeObject = sink_free;
    redisReader *reader = redisReaderCreateWithFunctions(&sink->functions);
    if (reader == NULL) return NULL;
    reader->privdata = sink;  /* the user-settable field redisReaderSetPrivdata sets */
    return reader;
}

int chiredis_sink_install(redisContext *context, chiredis_sink *sink) {
    redisReader *reader = chiredis_sink_reader_create(sink);
    if (reader == NULL) return -1;
    reader->maxbuf = context->reader->maxbuf;
    redisReaderFree(context->reader);
    context->reader = reader;
    return 0;
}

void chiredis_sink_activate(chiredis_sink *sink, size_t member_size) {
    sink->active = 1;
    sink->used = 0;
    sink->member_size = member_size;
    active_sink = sink;
}

void chiredis_sink_deactivate(chiredis_sink *sink) {
    sink->active = 0;
    if (active_sink == sink) active_sink = NULL;
}

void chiredis_sink_release(chiredis_sink *sink) {
    free(sink->bytes);
    sink->bytes = NULL;
    sink->used = sink->capacity = 0;
}
