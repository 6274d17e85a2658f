// accept4 is a GNU extension: declared only with _GNU_SOURCE, which Swift's importer does not set.
#define _GNU_SOURCE
#include <sys/socket.h>
#include "CLinuxNet.h"

int clinuxnet_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}
