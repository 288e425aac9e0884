/*
 * printf - formatted-output heavy: integers in many widths, flags and
 * bases, strings with precision, characters, snprintf truncation, and a
 * checksum over everything formatted with snprintf.
 * usage: printf [N]   (N = number of table rows, default 600)
 */
#include "common.h"
#include <string.h>

/* the truncation below is deliberate */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static u32 fmt_hash = 0;

/* format into a buffer too, so the checksum covers the snprintf path */
#define BOTH(...)                                                  \
	do {                                                       \
		char buf_[256];                                    \
		int n_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__); \
		for (int i_ = 0; i_ < n_; i_++)                    \
			fmt_hash = mix32(fmt_hash, (unsigned char)buf_[i_]); \
		fputs(buf_, stdout);                               \
	} while (0)

static const char *const names[] = {"alpha", "beta", "gamma", "delta",
				    "epsilon", "zeta", "eta", "theta", "",
				    "a-rather-long-name-here"};

int
main(int argc, char **argv)
{
	int rows = (int)arg_long(argc, argv, 1, 600);
	rng_t r = {99};

	BOTH("printf: %d rows\n", rows);
	BOTH("[%d] [%i] [%u] [%x] [%X] [%o] [%c] [%s] [%%]\n", 42, -42, 42u,
	     255u, 255u, 8u, 'z', "str");
	BOTH("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d]\n", 42, 42, 42, 42,
	     42, -42, 42);
	BOTH("[%#x] [%#X] [%#o] [%#x] [%08x] [%-8x] [%8X]\n", 0xbeefu, 0xbeefu,
	     8u, 0u, 0xabcu, 0xabcu, 0xabcu);
	BOTH("[%.3d] [%8.3d] [%-8.3d] [%.0d] [%.0d]\n", 7, -7, 7, 0, 1);
	BOTH("[%s] [%10s] [%-10s] [%.2s] [%10.3s] [%-10.3s]\n", "hello", "hello",
	     "hello", "hello", "hello", "hello");
	BOTH("[%*d] [%-*d] [%.*d] [%*.*s]\n", 6, 12, 6, 12, 4, 12, 7, 2, "xyz");
	BOTH("[%d] [%d] [%u] [%x]\n", 2147483647, -2147483647 - 1, 4294967295u,
	     0x80000000u);
	BOTH("[%ld] [%lu] [%lx] [%hd] [%hu] [%hhd] [%hhu]\n", -123456789L,
	     3000000000UL, 0xfedcba98UL, (short)-1234, (unsigned short)65535,
	     (signed char)-5, (unsigned char)250);
	BOTH("[%c%c%c] [%5c] [%-5c]\n", 'a', 'b', 'c', 'x', 'y');

	/* snprintf truncation and return value */
	char small[8];
	int want = snprintf(small, sizeof(small), "%s-%d", "truncate", 12345);
	BOTH("snprintf: want=%d got=\"%s\" len=%d\n", want, small, (int)strlen(small));
	want = snprintf(NULL, 0, "%d %s %x", -99999, "abc", 0xffffu);
	BOTH("snprintf(NULL, 0) = %d\n", want);

	/* the table */
	BOTH("%-6s|%11s|%-11s|%10s|%8s|%12s|%-12s\n", "row", "signed", "left",
	     "hex", "octal", "name", "flags");
	long long total = 0;
	for (int i = 0; i < rows; i++) {
		u32 v = rng_next(&r);
		int s = (int)v >> (i % 29);
		const char *name = names[v % 10];
		total += s;
		BOTH("%-6d|%11d|%-11d|%#10x|%8o|%12.6s|%c%c%c%-9s\n", i, s, -s,
		     v >> (i % 7), (v >> 20) & 0777u, name, (v & 1) ? 'R' : '-',
		     (v & 2) ? 'W' : '-', (v & 4) ? 'X' : '-',
		     (v & 8) ? "+extra" : "");
		if (i % 50 == 49)
			BOTH("-- %d rows, running total %d, %+.4d --\n", i + 1,
			     (int)total, (int)(total % 10000));
	}

	/* puts/putchar/fputs paths */
	puts("puts: plain line");
	for (int i = 0; i < 26; i++)
		putchar('a' + i);
	putchar('\n');
	fputs("fputs: without newline", stdout);
	fputs(" ... then newline\n", stdout);

	/* stderr goes elsewhere and is not part of expected stdout */
	BOTH("checksum=%08x total=%d\n", fmt_hash, (int)total);
	return 0;
}
