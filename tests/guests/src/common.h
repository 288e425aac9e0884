/*
 * common.h - small helpers shared by the oplet guest programs.
 * Everything is static inline so each guest stays a single translation unit.
 */
#ifndef GUEST_COMMON_H
#define GUEST_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Numeric command-line argument `idx`, or `def` when absent or not positive. */
static inline long
arg_long(int argc, char **argv, int idx, long def)
{
	if (argc > idx) {
		long v = strtol(argv[idx], NULL, 0);
		if (v > 0)
			return v;
	}
	return def;
}

/* A 32-bit linear congruential generator (Numerical Recipes constants);
 * the high bits are the good ones, so rng_next returns a mix of them. */
typedef unsigned int u32; /* same width as uint32_t, but prints with %u/%x */

typedef struct {
	u32 s;
} rng_t;

static inline u32
rng_next(rng_t *r)
{
	r->s = r->s * 1664525u + 1013904223u;
	return (r->s >> 16) | (r->s << 16);
}

static inline u32
rng_below(rng_t *r, u32 n)
{
	return rng_next(r) % n;
}

/* Order-dependent 32-bit checksum accumulator. */
static inline u32
mix32(u32 h, u32 v)
{
	h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h;
}

/* printf here is integer-only and has no %ll, so 64-bit values are
 * printed as two 32-bit hex halves. */
static inline void
print_hex64(const char *label, uint64_t v)
{
	printf("%s%08x%08x\n", label, (u32)(v >> 32), (u32)v);
}

#endif
