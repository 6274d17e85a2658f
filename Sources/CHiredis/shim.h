// Debian's libhiredis-dev (0.14: RESP2 only, no SSL), plus what Swift cannot reach by itself.
#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>

static inline const char *chiredis_errstr(const redisContext *context) { return context->errstr; }
static inline redisReply *chiredis_element(const redisReply *reply, size_t index) { return reply->element[index]; }

/* A member sink: while `active`, the elements of the next array reply are not built as reply
   objects (two allocations each) but copied into one growing buffer, those of `member_size`
   bytes only; the reply itself comes back as the sink's address. Everything else, and every
   reply while inactive, goes to hiredis's own functions. Used for peer samples: 50 members a
   reply, read once. */
#define CHIREDIS_SINK_MAGIC 0x6B6E69732D747475ULL  /* low 32 bits are no reply type */

typedef struct chiredis_sink {
    unsigned long long magic;  /* first, so that our object and hiredis's tell apart */
    redisReplyObjectFunctions functions;
    redisReplyObjectFunctions *inner;
    unsigned char *bytes;
    size_t used, capacity, member_size;
    int active;
} chiredis_sink;

static inline chiredis_sink *chiredis_sink_of(const redisReadTask *task) {
    while (task->parent != NULL) task = task->parent;
    return (chiredis_sink *)task->privdata;
}

static inline void *chiredis_sink_string(const redisReadTask *task, char *str, size_t len) {
    chiredis_sink *sink = chiredis_sink_of(task);
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

static inline void *chiredis_sink_array(const redisReadTask *task, int elements) {
    chiredis_sink *sink = chiredis_sink_of(task);
    if (!sink->active) return sink->inner->createArray(task, elements);
    return sink;
}

static inline void *chiredis_sink_integer(const redisReadTask *task, long long value) {
    chiredis_sink *sink = chiredis_sink_of(task);
    if (!sink->active || task->parent == NULL) return sink->inner->createInteger(task, value);
    return sink;
}

static inline void *chiredis_sink_nil(const redisReadTask *task) {
    chiredis_sink *sink = chiredis_sink_of(task);
    if (!sink->active || task->parent == NULL) return sink->inner->createNil(task);
    return sink;
}

/* The reader frees a half-built reply on a protocol error: ours is the sink itself. */
static inline void chiredis_sink_free(void *object) {
    if (*(const unsigned long long *)object == CHIREDIS_SINK_MAGIC) return;
    freeReplyObject(object);
}

/* Puts the sink between a reader and hiredis's functions. */
static inline void chiredis_sink_install_reader(redisReader *reader, chiredis_sink *sink) {
    sink->inner = reader->fn;
    sink->functions = *sink->inner;
    sink->functions.createString = chiredis_sink_string;
    sink->functions.createArray = chiredis_sink_array;
    sink->functions.createInteger = chiredis_sink_integer;
    sink->functions.createNil = chiredis_sink_nil;
    sink->functions.freeObject = chiredis_sink_free;
    sink->magic = CHIREDIS_SINK_MAGIC;
    reader->fn = &sink->functions;
    reader->privdata = sink;
}

static inline void chiredis_sink_install(redisContext *context, chiredis_sink *sink) {
    chiredis_sink_install_reader(context->reader, sink);
}
