// Linux networking calls Swift's Glibc module does not export: epoll, eventfd, TCP options.
#ifndef CLINUXNET_H
#define CLINUXNET_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/inotify.h>
#include <stdint.h>
#include <spawn.h>

// The union member of epoll_data that Swift cannot reach by name.
static inline uint64_t clinuxnet_epoll_data(const struct epoll_event *event) { return event->data.u64; }
static inline void clinuxnet_set_epoll_data(struct epoll_event *event, uint64_t value) { event->data.u64 = value; }

int clinuxnet_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

// posix_spawn closes every descriptor from `from` up in the child (glibc 2.34's
// posix_spawn_file_actions_addclosefrom_np, a GNU extension too).
int clinuxnet_spawn_close_from(posix_spawn_file_actions_t *actions, int from);

// Asks the kernel to tell, with each datagram received, how many it has dropped on this socket
// (SO_RXQ_OVFL): its receive buffer was full. 0, or -1 (errno).
int clinuxnet_enable_drop_count(int fd);

// Datagrams in batches (recvmmsg / sendmmsg, GNU extensions too). `arena` holds `count` slots of
// `slot` bytes; slot i goes with `addresses[i]` and `lengths[i]`. At most 64 a call.
// Receive: fills slots, addresses and lengths without blocking; returns how many, or -1 (errno).
// `dropped` gets the socket's count of dropped datagrams (it only grows, wrapping at 2^32) when
// the kernel reported one (see clinuxnet_enable_drop_count), and is left alone otherwise.
int clinuxnet_recv_batch(int fd, unsigned char *arena, size_t slot, struct sockaddr_storage *addresses,
                         unsigned int *lengths, unsigned int count, uint32_t *dropped);
// Send: the first `lengths[i]` bytes of each slot to `addresses[i]`, without blocking; returns
// how many were sent, or -1 (errno).
int clinuxnet_send_batch(int fd, const unsigned char *arena, size_t slot, const struct sockaddr_storage *addresses,
                         const unsigned int *lengths, unsigned int count);

#endif
