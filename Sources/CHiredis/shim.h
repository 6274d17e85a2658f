// Debian's libhiredis-dev (0.14: RESP2 only, no SSL), plus what Swift cannot reach by itself.
#include <hiredis/hiredis.h>

static inline const char *chiredis_errstr(const redisContext *context) { return context->errstr; }
static inline redisReply *chiredis_element(const redisReply *reply, size_t index) { return reply->element[index]; }
