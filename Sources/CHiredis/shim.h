#ifndef MAKE_MCP_GATEWAY_CHIREDIS_SHIM_H
#define MAKE_MCP_GATEWAY_CHIREDIS_SHIM_H

// hiredis 0.14 (Debian 12). Only the binary-safe argv API is used from Swift: redisCommand's
// format strings are variadic and would invite injection, so they stay out of reach.
#include <hiredis/hiredis.h>

#endif
