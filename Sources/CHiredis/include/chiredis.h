// Debian's libhiredis-dev (0.14: RESP2 only, no SSL), plus what Swift cannot reach by itself.
#ifndef CHIREDIS_H
#define CHIREDIS_H

#include <hiredis/hiredis.h>
#include <stddef.h>

// The member sink below is written against hiredis 0.14's reader (the object functions and the
// read task's parent and privdata); another version must be read against it before it is used.
#if HIREDIS_MAJOR != 0 || HIREDIS_MINOR != 14
#error "trackertui's Redis reader sink is written for hiredis 0.14 (Debian 12's libhiredis-dev)"
#endif

const char *chiredis_errstr(const redisContext *context);
redisReply *chiredis_element(const redisReply *reply, size_t index);

/* A member sink: while active, the elements of the next array reply are not built as reply
   objects (two allocations each) but copied into one growing buffer, those of `member_size`
   bytes only; the reply itself comes back as the sink's address. Everything else, and every
   reply while inactive, is built by hiredis's own object functions. Used for peer samples:
   50 members a reply, read once. */
typedef struct chiredis_sink {
    redisReplyObjectFunctions functions;
    redisReplyObjectFunctions *inner;
    unsigned char *bytes;
    size_t used, capacity, member_size;
    int active;
} chiredis_sink;

/* Gives the context a reader of its own, made with hiredis's public
   `redisReaderCreateWithFunctions`, whose objects go through the sink. 0 on success. */
int chiredis_sink_install(redisContext *context, chiredis_sink *sink);
/* The same for a reader the caller owns (bytes in memory: fuzzing). NULL when out of memory. */
redisReader *chiredis_sink_reader_create(chiredis_sink *sink);

/* While active, array replies are collected; the reply read is then the sink itself. */
void chiredis_sink_activate(chiredis_sink *sink, size_t member_size);
void chiredis_sink_deactivate(chiredis_sink *sink);
void chiredis_sink_release(chiredis_sink *sink);

#endif
