/*
 * ebreak - prints a line, flushes stdout, then executes ebreak.  Under
 * qemu-riscv32 this raises SIGTRAP (exit status 133).
 * usage: ebreak
 */
#include <stdio.h>

int
main(void)
{
	printf("ebreak: about to execute ebreak\n");
	fflush(stdout);
	__asm__ volatile("ebreak");
	printf("not reached\n");
	return 0;
}
