/*
 * segv - prints a line, flushes stdout, then stores to an unmapped address.
 * Under qemu-riscv32 the process dies with SIGSEGV (exit status 139).
 * usage: segv [mode]   mode 0 (default): store to NULL;
 *                      mode 1: load from 0xdeadbeef
 */
#include "common.h"

int
main(int argc, char **argv)
{
	long mode = argc > 1 ? strtol(argv[1], NULL, 0) : 0;
	printf("segv: about to fault (mode %ld)\n", mode);
	fflush(stdout);
	if (mode == 1) {
		volatile u32 *bad = (volatile u32 *)0xdeadbeef;
		printf("never printed: %u\n", *bad);
	} else {
		volatile int *null = (volatile int *)0;
		*null = 42;
	}
	printf("not reached\n");
	return 0;
}
