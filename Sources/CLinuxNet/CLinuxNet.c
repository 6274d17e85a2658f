// accept4 is a GNU extension: declared only with _GNU_SOURCE, which Swift's importer does not set.
#define _GNU_SOURCE
#include <sys/socket.h>
#include <spawn.h>
#include <string.h>
#include "CLinuxNet.h"

int clinuxnet_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

int clinuxnet_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

enum { clinuxnet_batch_max = 64 };

int clinuxnet_enable_drop_count(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
}

int clinuxnet_recv_batch(int fd, unsigned char *arena, size_t slot, struct sockaddr_storage *addresses,
                         unsigned int *lengths, unsigned int count, uint32_t *dropped) {
    struct mmsghdr messages[clinuxnet_batch_max];
    struct iovec parts[clinuxnet_batch_max];
    // Room for one SO_RXQ_OVFL message per datagram (the kernel adds it once the socket has dropped).
    union { struct cmsghdr align; unsigned char bytes[CMSG_SPACE(sizeof(uint32_t))]; } controls[clinuxnet_batch_max];
    if (count > clinuxnet_batch_max) count = clinuxnet_batch_max;
    for (unsigned int i = 0; i < count; i++) {
        parts[i].iov_base = arena + i * slot;
        parts[i].iov_len = slot;
        memset(&messages[i], 0, sizeof messages[i]);
        messages[i].msg_hdr.msg_name = &addresses[i];
        messages[i].msg_hdr.msg_namelen = sizeof addresses[i];
        messages[i].msg_hdr.msg_iov = &parts[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_control = controls[i].bytes;
        messages[i].msg_hdr.msg_controllen = sizeof controls[i].bytes;
    }
    int received = recvmmsg(fd, messages, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < received; i++) {
        lengths[i] = messages[i].msg_len;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&messages[i].msg_hdr); c != NULL; c = CMSG_NXTHDR(&messages[i].msg_hdr, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) memcpy(dropped, CMSG_DATA(c), sizeof *dropped);
        }
    }
    return received;
}

int clinuxnet_send_batch(int fd, const unsigned char *arena, size_t slot, const struct sockaddr_storage *addresses,
                         const unsigned int *lengths, unsigned int count) {
    struct mmsghdr messages[clinuxnet_batch_max];
    struct iovec parts[clinuxnet_batch_max];
    if (count > clinuxnet_batch_max) count = clinuxnet_batch_max;
    for (unsigned int i = 0; i < count; i++) {
        parts[i].iov_base = (void *)(arena + i * slot);
        parts[i].iov_len = lengths[i];
        memset(&messages[i], 0, sizeof messages[i]);
        messages[i].msg_hdr.msg_name = (void *)&addresses[i];
        messages[i].msg_hdr.msg_namelen = addresses[i].ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
        messages[i].msg_hdr.msg_iov = &parts[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    return sendmmsg(fd, messages, count, MSG_DONTWAIT);
}
