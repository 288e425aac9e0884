/*
 * illegal - prints a line, flushes stdout, then executes the all-zero
 * instruction word, which is defined to be illegal.  qemu-riscv32 raises
 * SIGILL (exit status 132).
 * usage: illegal
 */
#include <stdio.h>

int
main(void)
{
	printf("illegal: about to execute .word 0\n");
	fflush(stdout);
	__asm__ volatile(".word 0x00000000");
	printf("not reached\n");
	return 0;
}
