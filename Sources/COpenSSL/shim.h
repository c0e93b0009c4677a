#ifndef MAKE_MCP_GATEWAY_COPENSSL_SHIM_H
#define MAKE_MCP_GATEWAY_COPENSSL_SHIM_H

// OpenSSL 3.0 libcrypto (Debian 12): the one-shot SHA256() and HMAC(), RAND_bytes and EVP AEAD.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#endif
