/* inputs/sha256.h — SHA-256 (FIPS 180-4) for the input digest.
 * Ownership: the caller owns the context; no allocation, no state elsewhere. */
#ifndef IN_SHA256_H
#define IN_SHA256_H
#include <stddef.h>
#include <stdint.h>

typedef struct in_sha256 {
    uint32_t h[8];
    uint64_t len;          /* bytes hashed so far */
    unsigned char buf[64];
    size_t nbuf;
} in_sha256;

void in_sha256_init(in_sha256 *c);
void in_sha256_update(in_sha256 *c, const void *data, size_t n);
/* Finishes the hash and writes 64 lower-case hex digits and a NUL. */
void in_sha256_hex(in_sha256 *c, char out[65]);

#endif
