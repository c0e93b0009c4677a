#ifndef MAKE_MCP_GATEWAY_CLINUX_SHIM_H
#define MAKE_MCP_GATEWAY_CLINUX_SHIM_H

// Linux APIs that Swift's Glibc module leaves out: epoll and eventfd for the HTTP server's event loops, and accept4.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

// accept4 is a GNU extension, which the Glibc module does not export; this wrapper makes it callable from Swift.
static inline int clinux_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

#endif
