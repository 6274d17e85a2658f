// Linux networking calls Swift's Glibc module does not export: epoll, eventfd, TCP options.
#ifndef CLINUXNET_H
#define CLINUXNET_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

// The union member of epoll_data that Swift cannot reach by name.
static inline uint64_t clinuxnet_epoll_data(const struct epoll_event *event) { return event->data.u64; }
static inline void clinuxnet_set_epoll_data(struct epoll_event *event, uint64_t value) { event->data.u64 = value; }

int clinuxnet_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

#endif
