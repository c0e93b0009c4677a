#ifndef MAKE_MCP_GATEWAY_CLINUX_SHIM_H
#define MAKE_MCP_GATEWAY_CLINUX_SHIM_H

// Linux event APIs that Swift's Glibc module leaves out: epoll and eventfd, for the HTTP server's event loops.
#include <sys/epoll.h>
#include <sys/eventfd.h>

#endif
