/*
 * compress - LZSS (hash-chain matcher) followed by canonical Huffman coding
 * of a generated text, then the reverse; verifies the round trip.
 * usage: compress [N]   (N = KiB of text, default 24)
 */
#include "common.h"
#include <string.h>

/* ---------------- text generator ---------------- */

static const char *const words[] = {
	"the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he",
	"was", "for", "on", "are", "as", "with", "his", "they", "I", "at", "be",
	"this", "have", "from", "or", "one", "had", "by", "word", "but", "not",
	"what", "all", "were", "we", "when", "your", "can", "said", "there",
	"use", "an", "each", "which", "she", "do", "how", "their", "if",
	"emulator", "instruction", "register", "memory", "branch", "compress",
	"superinstruction", "profile", "translate", "decode", "execute"};
#define NWORDS (int)(sizeof(words) / sizeof(words[0]))

static size_t
gen_text(unsigned char *out, size_t n)
{
	rng_t r = {2024};
	size_t len = 0;
	int sentence = 0;
	while (len < n) {
		/* skewed word choice: the low indices are much more common */
		u32 v = rng_next(&r);
		int w = (int)((v % NWORDS) * ((v >> 12) % NWORDS) / NWORDS);
		const char *s = words[w];
		size_t k = strlen(s);
		if (len + k + 2 > n)
			break;
		memcpy(out + len, s, k);
		if (sentence == 0 && out[len] >= 'a')
			out[len] -= 'a' - 'A';
		len += k;
		if (++sentence > 6 + (int)(v % 9)) {
			out[len++] = '.';
			out[len++] = (v & 0x300) ? ' ' : '\n';
			sentence = 0;
		} else {
			out[len++] = (v & 0x1c00) ? ' ' : ',';
		}
	}
	while (len < n)
		out[len++] = '\n';
	return len;
}

/* ---------------- LZSS ----------------
 * Output: groups of 8 items preceded by a flag byte (bit i set = literal).
 * A match is two bytes: 12-bit distance-1, 4-bit length-3 (3..18).
 */
#define WIN 4096
#define MINM 3
#define MAXM 18
#define HBITS 13
#define MAXCHAIN 48

static size_t
lzss_compress(const unsigned char *in, size_t n, unsigned char *out)
{
	static int head[1 << HBITS];
	int *prev = malloc(n * sizeof(int));
	for (int i = 0; i < (1 << HBITS); i++)
		head[i] = -1;
	size_t o = 0, flagpos = 0;
	int nitems = 8;
	size_t i = 0;
	while (i < n) {
		if (nitems == 8) {
			flagpos = o++;
			out[flagpos] = 0;
			nitems = 0;
		}
		int best_len = 0, best_dist = 0;
		if (i + MINM <= n) {
			u32 h = ((u32)in[i] << 10 ^ (u32)in[i + 1] << 5 ^ in[i + 2]) &
				((1 << HBITS) - 1);
			int cand = head[h];
			int chain = MAXCHAIN;
			size_t maxlen = n - i < MAXM ? n - i : MAXM;
			while (cand >= 0 && (int)i - cand <= WIN && chain-- > 0) {
				if (in[cand + best_len] == in[i + best_len]) {
					size_t l = 0;
					while (l < maxlen && in[cand + l] == in[i + l])
						l++;
					if ((int)l > best_len) {
						best_len = (int)l;
						best_dist = (int)i - cand;
						if (l == maxlen)
							break;
					}
				}
				cand = prev[cand];
			}
		}
		size_t adv = best_len >= MINM ? (size_t)best_len : 1;
		if (best_len >= MINM) {
			int d = best_dist - 1;
			out[o++] = (unsigned char)(d & 0xff);
			out[o++] = (unsigned char)(((d >> 8) << 4) | (best_len - MINM));
		} else {
			out[flagpos] |= (unsigned char)(1 << nitems);
			out[o++] = in[i];
		}
		nitems++;
		/* insert every position we pass into the hash chains */
		for (size_t k = 0; k < adv; k++, i++) {
			if (i + MINM <= n) {
				u32 h = ((u32)in[i] << 10 ^ (u32)in[i + 1] << 5 ^ in[i + 2]) &
					((1 << HBITS) - 1);
				prev[i] = head[h];
				head[h] = (int)i;
			}
		}
	}
	free(prev);
	return o;
}

static size_t
lzss_decompress(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
	size_t i = 0, o = 0;
	while (i < n) {
		unsigned flags = in[i++];
		for (int b = 0; b < 8 && i < n; b++) {
			if (flags & (1u << b)) {
				if (o >= cap)
					return (size_t)-1;
				out[o++] = in[i++];
			} else {
				if (i + 1 >= n)
					return (size_t)-1;
				int d = (in[i] | (in[i + 1] >> 4) << 8) + 1;
				int len = (in[i + 1] & 15) + MINM;
				i += 2;
				if ((size_t)d > o || o + (size_t)len > cap)
					return (size_t)-1;
				for (int k = 0; k < len; k++, o++)
					out[o] = out[o - (size_t)d];
			}
		}
	}
	return o;
}

/* ---------------- canonical Huffman over bytes ---------------- */

#define MAXBITS 15

struct node {
	u32 freq;
	int left, right; /* -1 for leaves */
	int sym;
};

static void
code_lengths(const u32 *freq, unsigned char *len)
{
	struct node nodes[512];
	int heap[512], hn = 0, nn = 0;
	for (int s = 0; s < 256; s++) {
		len[s] = 0;
		if (freq[s]) {
			nodes[nn] = (struct node){freq[s], -1, -1, s};
			heap[hn++] = nn++;
		}
	}
	if (nn == 1) {
		len[nodes[0].sym] = 1;
		return;
	}
	/* simple binary min-heap on (freq, index) */
#define LESS(a, b) (nodes[a].freq < nodes[b].freq || \
		    (nodes[a].freq == nodes[b].freq && (a) < (b)))
	for (int start = hn / 2 - 1; start >= 0; start--) {
		int i = start;
		for (;;) {
			int c = 2 * i + 1;
			if (c >= hn)
				break;
			if (c + 1 < hn && LESS(heap[c + 1], heap[c]))
				c++;
			if (!LESS(heap[c], heap[i]))
				break;
			int t = heap[c];
			heap[c] = heap[i];
			heap[i] = t;
			i = c;
		}
	}
	while (hn > 1) {
		int pick[2];
		for (int p = 0; p < 2; p++) {
			pick[p] = heap[0];
			heap[0] = heap[--hn];
			int i = 0;
			for (;;) {
				int c = 2 * i + 1;
				if (c >= hn)
					break;
				if (c + 1 < hn && LESS(heap[c + 1], heap[c]))
					c++;
				if (!LESS(heap[c], heap[i]))
					break;
				int t = heap[c];
				heap[c] = heap[i];
				heap[i] = t;
				i = c;
			}
		}
		nodes[nn] = (struct node){nodes[pick[0]].freq + nodes[pick[1]].freq,
					  pick[0], pick[1], -1};
		int i = hn++;
		heap[i] = nn++;
		while (i > 0 && LESS(heap[i], heap[(i - 1) / 2])) {
			int t = heap[i];
			heap[i] = heap[(i - 1) / 2];
			heap[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	}
	/* depths by an explicit stack walk */
	int stack[512], depth[512], sp = 0;
	stack[sp] = heap[0];
	depth[sp++] = 0;
	while (sp) {
		sp--;
		int nd = stack[sp], d = depth[sp];
		if (nodes[nd].left < 0) {
			len[nodes[nd].sym] = (unsigned char)(d > MAXBITS ? MAXBITS : d);
		} else {
			stack[sp] = nodes[nd].left;
			depth[sp++] = d + 1;
			stack[sp] = nodes[nd].right;
			depth[sp++] = d + 1;
		}
	}
#undef LESS
}

/* Kraft repair in case clamping to MAXBITS made the code over-full. */
static void
fix_lengths(unsigned char *len)
{
	for (;;) {
		u32 kraft = 0;
		for (int s = 0; s < 256; s++)
			if (len[s])
				kraft += 1u << (MAXBITS - len[s]);
		if (kraft <= (1u << MAXBITS))
			return;
		/* lengthen the longest code that is still short of MAXBITS */
		int best = -1;
		for (int s = 0; s < 256; s++)
			if (len[s] && len[s] < MAXBITS && (best < 0 || len[s] > len[best]))
				best = s;
		len[best]++;
	}
}

static void
canonical_codes(const unsigned char *len, unsigned *code)
{
	unsigned bl_count[MAXBITS + 1] = {0}, next[MAXBITS + 2];
	for (int s = 0; s < 256; s++)
		bl_count[len[s]]++;
	bl_count[0] = 0;
	unsigned c = 0;
	for (int b = 1; b <= MAXBITS; b++) {
		c = (c + bl_count[b - 1]) << 1;
		next[b] = c;
	}
	for (int s = 0; s < 256; s++)
		code[s] = len[s] ? next[len[s]]++ : 0;
}

/* Stream: 256 length bytes, 4-byte symbol count, then MSB-first bits. */
static size_t
huff_encode(const unsigned char *in, size_t n, unsigned char *out)
{
	u32 freq[256] = {0};
	for (size_t i = 0; i < n; i++)
		freq[in[i]]++;
	unsigned char len[256];
	unsigned code[256];
	code_lengths(freq, len);
	fix_lengths(len);
	canonical_codes(len, code);
	size_t o = 0;
	memcpy(out, len, 256);
	o = 256;
	for (int k = 0; k < 4; k++)
		out[o++] = (unsigned char)(n >> (8 * k));
	u32 acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << len[in[i]]) | code[in[i]];
		bits += len[in[i]];
		while (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (bits)
		out[o++] = (unsigned char)(acc << (8 - bits));
	return o;
}

static size_t
huff_decode(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
	const unsigned char *len = in;
	unsigned code[256];
	canonical_codes(len, code);
	/* canonical decode tables: first code and symbol index per length */
	int first[MAXBITS + 2], count[MAXBITS + 2], index[MAXBITS + 2];
	unsigned char syms[256];
	int ns = 0;
	for (int b = 1; b <= MAXBITS; b++) {
		count[b] = 0;
		index[b] = ns;
		first[b] = -1;
		for (int s = 0; s < 256; s++) {
			if (len[s] == b) {
				if (first[b] < 0)
					first[b] = (int)code[s];
				syms[ns++] = (unsigned char)s;
				count[b]++;
			}
		}
	}
	size_t total = (size_t)in[256] | (size_t)in[257] << 8 |
		       (size_t)in[258] << 16 | (size_t)in[259] << 24;
	if (total > cap)
		return (size_t)-1;
	size_t pos = 260 * 8, end = n * 8;
	for (size_t o = 0; o < total; o++) {
		int c = 0;
		int b;
		for (b = 1; b <= MAXBITS; b++) {
			if (pos >= end)
				return (size_t)-1;
			c = (c << 1) | ((in[pos >> 3] >> (7 - (pos & 7))) & 1);
			pos++;
			if (count[b] && c - first[b] < count[b] && c >= first[b])
				break;
		}
		if (b > MAXBITS)
			return (size_t)-1;
		out[o] = syms[index[b] + c - first[b]];
	}
	return total;
}

static u32
crc(const unsigned char *p, size_t n)
{
	u32 c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

int
main(int argc, char **argv)
{
	long kib = arg_long(argc, argv, 1, 24);
	size_t n = (size_t)kib * 1024;
	unsigned char *text = malloc(n);
	unsigned char *lz = malloc(n + n / 8 + 16);
	unsigned char *hf = malloc(n + n / 8 + 300);
	unsigned char *back_lz = malloc(n + n / 8 + 16);
	unsigned char *back = malloc(n);
	if (!text || !lz || !hf || !back_lz || !back) {
		printf("out of memory\n");
		return 1;
	}
	gen_text(text, n);
	printf("compress: %ld KiB\n", kib);
	printf("text: %.60s...\n", (const char *)text);
	u32 crc_in = crc(text, n);
	printf("input:   %u bytes crc=%08x\n", (u32)n, crc_in);

	size_t lzn = lzss_compress(text, n, lz);
	printf("lzss:    %u bytes (%u.%u%%) crc=%08x\n", (u32)lzn,
	       (u32)(lzn * 100 / n), (u32)(lzn * 1000 / n % 10), crc(lz, lzn));
	size_t hfn = huff_encode(lz, lzn, hf);
	printf("huffman: %u bytes (%u.%u%%) crc=%08x\n", (u32)hfn,
	       (u32)(hfn * 100 / n), (u32)(hfn * 1000 / n % 10), crc(hf, hfn));
	size_t hfn_raw = huff_encode(text, n, back_lz); /* Huffman alone, for comparison */
	printf("huffman only: %u bytes\n", (u32)hfn_raw);

	size_t dl = huff_decode(hf, hfn, back_lz, n + n / 8 + 16);
	int ok = dl == lzn && memcmp(back_lz, lz, lzn) == 0;
	printf("huffman round trip: %s\n", ok ? "ok" : "FAILED");
	size_t dn = lzss_decompress(back_lz, dl, back, n);
	int ok2 = dn == n && memcmp(back, text, n) == 0;
	printf("lzss round trip: %s crc=%08x\n", ok2 ? "ok" : "FAILED",
	       crc(back, dn == (size_t)-1 ? 0 : dn));
	return ok && ok2 ? 0 : 1;
}
