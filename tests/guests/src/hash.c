/*
 * hash - classic hash functions over generated data plus a hash-table
 * workload.  usage: hash [N]   (N = KiB of data, default 64)
 */
#include "common.h"
#include <string.h>

static u32
fnv1a(const unsigned char *p, size_t n)
{
	u32 h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static u32 crc_table[256];

static void
crc32_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static u32
crc32(const unsigned char *p, size_t n)
{
	u32 c = 0xffffffffu;
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static u32
adler32(const unsigned char *p, size_t n)
{
	u32 a = 1, b = 0;
	while (n > 0) {
		size_t chunk = n < 5552 ? n : 5552;
		n -= chunk;
		while (chunk--) {
			a += *p++;
			b += a;
		}
		a %= 65521u;
		b %= 65521u;
	}
	return (b << 16) | a;
}

static inline u32
rotl32(u32 x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static u32
murmur3_32(const unsigned char *p, size_t n, u32 seed)
{
	u32 h = seed;
	size_t nblocks = n / 4;
	for (size_t i = 0; i < nblocks; i++) {
		u32 k = (u32)p[4 * i] | (u32)p[4 * i + 1] << 8 |
			(u32)p[4 * i + 2] << 16 | (u32)p[4 * i + 3] << 24;
		k *= 0xcc9e2d51u;
		k = rotl32(k, 15);
		k *= 0x1b873593u;
		h ^= k;
		h = rotl32(h, 13);
		h = h * 5 + 0xe6546b64u;
	}
	u32 k = 0;
	const unsigned char *tail = p + nblocks * 4;
	switch (n & 3) {
	case 3:
		k ^= (u32)tail[2] << 16;
		/* fall through */
	case 2:
		k ^= (u32)tail[1] << 8;
		/* fall through */
	case 1:
		k ^= tail[0];
		k *= 0xcc9e2d51u;
		k = rotl32(k, 15);
		k *= 0x1b873593u;
		h ^= k;
	}
	h ^= (u32)n;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* ---- SHA-256 ---- */

static const u32 sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static inline u32
rotr32(u32 x, int r)
{
	return (x >> r) | (x << (32 - r));
}

static void
sha256_block(u32 st[8], const unsigned char *blk)
{
	u32 w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (u32)blk[4 * i] << 24 | (u32)blk[4 * i + 1] << 16 |
		       (u32)blk[4 * i + 2] << 8 | (u32)blk[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		u32 s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		u32 s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	u32 a = st[0], b = st[1], c = st[2], d = st[3];
	u32 e = st[4], f = st[5], g = st[6], h = st[7];
	for (int i = 0; i < 64; i++) {
		u32 S1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
		u32 ch = (e & f) ^ (~e & g);
		u32 t1 = h + S1 + ch + sha_k[i] + w[i];
		u32 S0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
		u32 maj = (a & b) ^ (a & c) ^ (b & c);
		u32 t2 = S0 + maj;
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
	st[4] += e;
	st[5] += f;
	st[6] += g;
	st[7] += h;
}

static void
sha256(const unsigned char *p, size_t n, unsigned char out[32])
{
	u32 st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	size_t full = n / 64;
	for (size_t i = 0; i < full; i++)
		sha256_block(st, p + 64 * i);
	unsigned char last[128];
	size_t rem = n - full * 64;
	memset(last, 0, sizeof(last));
	memcpy(last, p + full * 64, rem);
	last[rem] = 0x80;
	size_t tail = rem < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)n * 8;
	for (int i = 0; i < 8; i++)
		last[tail - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha256_block(st, last);
	if (tail == 128)
		sha256_block(st, last + 64);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(st[i] >> 24);
		out[4 * i + 1] = (unsigned char)(st[i] >> 16);
		out[4 * i + 2] = (unsigned char)(st[i] >> 8);
		out[4 * i + 3] = (unsigned char)st[i];
	}
}

static void
print_digest(const char *label, const unsigned char *d, int n)
{
	printf("%s", label);
	for (int i = 0; i < n; i++)
		printf("%02x", d[i]);
	printf("\n");
}

/* ---- open-addressing hash table with string keys ---- */

struct entry {
	char key[16];
	u32 hash;
	int value; /* 0 = empty slot */
};

static struct entry *table;
static u32 table_mask;
static u32 probes;

static void
make_key(char *buf, u32 id)
{
	/* keys like "k-3fa9c-12" built by hand (no sprintf in the hot path) */
	static const char hex[] = "0123456789abcdef";
	int n = 0;
	buf[n++] = 'k';
	buf[n++] = '-';
	u32 x = id * 2654435761u;
	for (int i = 0; i < 5; i++) {
		buf[n++] = hex[x & 15];
		x >>= 4;
	}
	buf[n++] = '-';
	char digits[10];
	int d = 0;
	do {
		digits[d++] = (char)('0' + id % 10);
		id /= 10;
	} while (id);
	while (d)
		buf[n++] = digits[--d];
	buf[n] = 0;
}

static struct entry *
lookup(const char *key, u32 h, int insert)
{
	u32 i = h & table_mask;
	for (;;) {
		struct entry *e = &table[i];
		probes++;
		if (e->value == 0) {
			if (!insert)
				return NULL;
			strcpy(e->key, key);
			e->hash = h;
			return e;
		}
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
		i = (i + 1) & table_mask;
	}
}

int
main(int argc, char **argv)
{
	long kib = arg_long(argc, argv, 1, 64);
	size_t n = (size_t)kib * 1024;
	unsigned char *data = malloc(n);
	if (!data) {
		printf("out of memory\n");
		return 1;
	}
	rng_t r = {0xc0ffee};
	for (size_t i = 0; i < n; i++) {
		/* text-like bytes: mostly lowercase letters and spaces */
		u32 v = rng_next(&r);
		data[i] = (v & 7) == 0 ? ' ' : (unsigned char)('a' + (v >> 8) % 26);
	}
	printf("hash: %ld KiB of data\n", kib);

	crc32_init();
	printf("crc32(\"123456789\") = %08x\n", crc32((const unsigned char *)"123456789", 9));
	unsigned char dg[32];
	sha256((const unsigned char *)"abc", 3, dg);
	print_digest("sha256(\"abc\") = ", dg, 32);
	sha256((const unsigned char *)"", 0, dg);
	print_digest("sha256(\"\") = ", dg, 32);

	printf("fnv1a    = %08x\n", fnv1a(data, n));
	printf("crc32    = %08x\n", crc32(data, n));
	printf("adler32  = %08x\n", adler32(data, n));
	printf("murmur3  = %08x\n", murmur3_32(data, n, 0x9747b28c));
	sha256(data, n, dg);
	print_digest("sha256   = ", dg, 32);

	/* hash every 61-byte window start with all functions: short inputs */
	u32 acc = 0;
	for (size_t off = 0; off + 61 <= n; off += 97) {
		acc = mix32(acc, fnv1a(data + off, 61));
		acc = mix32(acc, crc32(data + off, 61));
		acc = mix32(acc, murmur3_32(data + off, 61, (u32)off));
	}
	printf("windows  = %08x\n", acc);

	/* hash table: insert nkeys, look up all of them plus as many misses */
	u32 nkeys = (u32)kib * 64;
	u32 cap = 1;
	while (cap < nkeys * 2)
		cap <<= 1;
	table = calloc(cap, sizeof(struct entry));
	if (!table) {
		printf("out of memory\n");
		return 1;
	}
	table_mask = cap - 1;
	char key[16];
	for (u32 i = 0; i < nkeys; i++) {
		make_key(key, i);
		struct entry *e = lookup(key, murmur3_32((unsigned char *)key, strlen(key), 7), 1);
		e->value += (int)(i % 1000) + 1;
	}
	/* update pass: every third key gets a second increment */
	for (u32 i = 0; i < nkeys; i += 3) {
		make_key(key, i);
		lookup(key, murmur3_32((unsigned char *)key, strlen(key), 7), 1)->value += 1;
	}
	u32 found = 0, missing = 0, vsum = 0;
	for (u32 i = 0; i < 2 * nkeys; i++) {
		make_key(key, i);
		struct entry *e = lookup(key, murmur3_32((unsigned char *)key, strlen(key), 7), 0);
		if (e) {
			found++;
			vsum += (u32)e->value;
		} else {
			missing++;
		}
	}
	u32 used = 0, tsum = 0;
	for (u32 i = 0; i < cap; i++) {
		if (table[i].value) {
			used++;
			tsum = mix32(tsum, table[i].hash ^ (u32)table[i].value);
		}
	}
	printf("table: cap=%u keys=%u used=%u found=%u missing=%u\n", cap, nkeys,
	       used, found, missing);
	printf("table: value sum=%u probes=%u checksum=%08x\n", vsum, probes, tsum);
	make_key(key, 12345);
	printf("sample key: %s\n", key);
	return 0;
}
