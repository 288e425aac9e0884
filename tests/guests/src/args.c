/*
 * args - prints argc and every argv entry with its length (checks the
 * initial stack built by the loader), then does arithmetic on the arguments
 * that parse completely as integers (decimal, 0x hex or 0 octal).
 * usage: args [anything...]
 */
#include "common.h"
#include <string.h>

static long
gcd(long a, long b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b) {
		long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

int
main(int argc, char **argv, char **envp)
{
	(void)envp; /* the environment differs between hosts: never printed */
	printf("argc=%d\n", argc);
	/* argv[0] is the program path as given to the loader: print only its
	 * base name so the output does not depend on the directory */
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	printf("argv[0] basename=\"%s\"\n", base);
	int total_len = 0;
	for (int i = 1; i < argc; i++) {
		int len = (int)strlen(argv[i]);
		total_len += len;
		printf("argv[%d] len=%d \"%s\"", i, len, argv[i]);
		/* also show the bytes of short or unusual arguments in hex */
		int plain = 1;
		for (int j = 0; j < len; j++)
			if ((unsigned char)argv[i][j] < 0x20 || (unsigned char)argv[i][j] >= 0x7f)
				plain = 0;
		if (!plain || len == 0) {
			printf(" bytes:");
			for (int j = 0; j < len; j++)
				printf(" %02x", (unsigned char)argv[i][j]);
		}
		printf("\n");
	}
	printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "NOT NULL");
	/* argv strings are laid out consecutively on the initial stack */
	int contiguous = 1;
	for (int i = 1; i < argc; i++)
		if (argv[i] != argv[i - 1] + strlen(argv[i - 1]) + 1)
			contiguous = 0;
	printf("argv strings contiguous: %s, total length %d\n",
	       contiguous ? "yes" : "no", total_len);

	long sum = 0, prod = 1, g = 0, mn = 0, mx = 0;
	int count = 0;
	for (int i = 1; i < argc; i++) {
		char *end;
		if (argv[i][0] == 0)
			continue;
		long v = strtol(argv[i], &end, 0);
		if (*end != 0)
			continue;
		if (count == 0 || v < mn)
			mn = v;
		if (count == 0 || v > mx)
			mx = v;
		count++;
		sum += v;
		prod *= v;
		g = gcd(g, v);
		printf("number %ld = 0x%lx\n", v, (unsigned long)v);
	}
	printf("numbers=%d sum=%ld product=%ld gcd=%ld min=%ld max=%ld\n", count,
	       sum, prod, g, mn, mx);

	/* sort the arguments alphabetically (insertion sort with strcmp) */
	char **sorted = malloc((size_t)argc * sizeof(char *));
	int ns = 0;
	for (int i = 1; i < argc; i++) {
		int j = ns++;
		while (j > 0 && strcmp(sorted[j - 1], argv[i]) > 0) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = argv[i];
	}
	printf("sorted:");
	for (int i = 0; i < ns; i++)
		printf(" \"%s\"", sorted[i]);
	printf("\n");
	return 0;
}
