/*
 * exitcode - prints some buffered output (not explicitly flushed) and
 * returns 42 from main: checks that exit() flushes stdout and that the exit
 * status reaches the host; an atexit() handler prints a line too.  An
 * argument selects another way out.
 * usage: exitcode [mode]   mode 0 (default): return 42 from main;
 *                          mode 1: exit(7) from a nested call;
 *                          mode 2: _exit(3) without flushing stdout
 */
#include "common.h"
#include <unistd.h>

/* gcc 12 wrongly reports infinite recursion when the base case is exit() */
#pragma GCC diagnostic ignored "-Winfinite-recursion"

static void
at_exit_handler(void)
{
	printf("exitcode: atexit handler ran\n");
}

static void
nested(int depth)
{
	if (depth > 0)
		nested(depth - 1);
	else
		exit(7);
}

int
main(int argc, char **argv)
{
	long mode = argc > 1 ? strtol(argv[1], NULL, 0) : 0;
	atexit(at_exit_handler);
	for (int i = 0; i < 5; i++)
		printf("exitcode: line %d of buffered output\n", i);
	fprintf(stderr, "exitcode: a line on stderr\n");
	if (mode == 1)
		nested(10);
	if (mode == 2)
		_exit(3);
	printf("exitcode: returning 42\n");
	return 42;
}
