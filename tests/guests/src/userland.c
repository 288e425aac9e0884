/*
 * userland - what a program does through its C library: reads its
 * environment with getenv, a file named by its first argument with fopen
 * (the emulator must be given --allow-open for it), allocates large blocks
 * with malloc and mmap, reads the clocks, and checks errno after failing
 * calls. Prints only what is the same on every host: for clocks, only how
 * their values relate.
 * usage: userland FILE   (environment: OPLET_GREETING)
 */
#include "common.h"
#include <errno.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void
environment(void)
{
	const char *g = getenv("OPLET_GREETING");
	printf("OPLET_GREETING=%s\n", g ? g : "(unset)");
	printf("OPLET_MISSING is %s\n", getenv("OPLET_MISSING") ? "set" : "unset");
	int n = 0;
	for (char **e = environ; *e; e++)
		n += strncmp(*e, "OPLET_", 6) == 0;
	printf("OPLET_ variables in environ: %d\n", n);
	printf("AT_PAGESZ %lu, AT_ENTRY set %s\n", getauxval(AT_PAGESZ),
	       getauxval(AT_ENTRY) ? "yes" : "no");
}

static void
file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("fopen %s: %s\n", path, strerror(errno));
		return;
	}
	char line[256];
	int lines = 0;
	u32 h = 0;
	while (fgets(line, sizeof line, f)) {
		if (lines < 2)
			printf("line %d: %s", lines + 1, line);
		for (char *c = line; *c; c++)
			h = mix32(h, (unsigned char)*c);
		lines++;
	}
	printf("%d lines, checksum %08x\n", lines, h);
	struct stat st;
	if (fstat(fileno(f), &st) == 0)
		printf("fstat: size %ld, regular file %s\n", (long)st.st_size,
		       S_ISREG(st.st_mode) ? "yes" : "no");
	fseek(f, 6, SEEK_SET);
	int c = fgetc(f);
	printf("after fseek 6: '%c', ftell %ld\n", c, ftell(f));
	fclose(f);
	if (stat(path, &st) == 0)
		printf("stat: size %ld\n", (long)st.st_size);
}

static void
errors(void)
{
	errno = 0;
	FILE *f = fopen("/no/such/file", "r");
	printf("fopen missing: %s, errno ENOENT %s\n", f ? "opened" : "NULL",
	       errno == ENOENT ? "yes" : "no");
	errno = 0;
	printf("close(77): %d, errno EBADF %s\n", close(77),
	       errno == EBADF ? "yes" : "no");
	errno = 0;
	void *p = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap length 0: %s, errno EINVAL %s\n",
	       p == MAP_FAILED ? "MAP_FAILED" : "mapped",
	       errno == EINVAL ? "yes" : "no");
	errno = 0;
	printf("strtol overflow: errno ERANGE %s\n",
	       strtol("99999999999999999999", NULL, 10) == 0x7fffffffL &&
			       errno == ERANGE
		       ? "yes"
		       : "no");
}

static void
memory(void)
{
	/* malloc grows the heap with brk */
	size_t big = 6u << 20;
	unsigned char *a = malloc(big);
	if (!a) {
		printf("malloc 6 MiB failed\n");
		return;
	}
	for (size_t i = 0; i < big; i += 4096)
		a[i] = (unsigned char)(i >> 12);
	u32 h = 0;
	for (size_t i = 0; i < big; i += 4096)
		h = mix32(h, a[i]);
	free(a);
	printf("malloc 6 MiB: checksum %08x\n", h);

	/* mmap, munmap, and mapped again reads as zero */
	size_t len = 3u << 20;
	unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		printf("mmap 3 MiB failed: %s\n", strerror(errno));
		return;
	}
	int zero = 1;
	for (size_t i = 0; i < len; i += 512)
		zero &= m[i] == 0;
	memset(m, 0x5a, len);
	printf("mmap 3 MiB: zero %s, page aligned %s\n", zero ? "yes" : "no",
	       ((unsigned long)m & 4095) == 0 ? "yes" : "no");
	unsigned char *g = mremap(m, len, 2 * len, MREMAP_MAYMOVE);
	printf("mremap to 6 MiB: %s, contents kept %s\n",
	       g == MAP_FAILED ? "failed" : "ok",
	       g != MAP_FAILED && g[len - 1] == 0x5a && g[len] == 0 ? "yes" : "no");
	if (g != MAP_FAILED)
		m = g, len *= 2;
	printf("munmap: %d\n", munmap(m, len));
	unsigned char *again = mmap(m, 4096, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("mapped again at the same place: %s, zero %s\n",
	       again == m ? "yes" : "no", again[100] == 0 ? "yes" : "no");
	munmap(again, 4096);
}

/* Code written at run time into an executable mapping, made visible with
 * fence.i (__builtin___clear_cache) and then with the Linux
 * riscv_flush_icache system call. */
static void
jit(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED) {
		printf("mmap PROT_EXEC failed: %s\n", strerror(errno));
		return;
	}
	int (*fn)(void) = (int (*)(void))(uintptr_t)code;
	code[0] = 0x02a00513; /* li a0, 42 */
	code[1] = 0x00008067; /* ret */
	__builtin___clear_cache((char *)code, (char *)(code + 2));
	int first = fn();
	code[0] = 0x00700513; /* li a0, 7 */
	register long a0 __asm__("a0") = (long)code;
	register long a1 __asm__("a1") = (long)(code + 2);
	register long a2 __asm__("a2") = 0;
	register long a7 __asm__("a7") = 259; /* riscv_flush_icache */
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	long flushed = a0;
	int second = fn();
	printf("generated code returns %d, rewritten %d (flush %ld)\n", first,
	       second, flushed);
	munmap(code, 4096);
}

static int64_t
ns(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) != 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
clocks(void)
{
	int64_t m0 = ns(CLOCK_MONOTONIC), c0 = ns(CLOCK_PROCESS_CPUTIME_ID);
	clock_t k0 = clock();
	volatile u32 x = 1;
	for (u32 i = 0; i < 3000000; i++)
		x = x * 1664525u + i;
	int64_t m1 = ns(CLOCK_MONOTONIC), c1 = ns(CLOCK_PROCESS_CPUTIME_ID);
	clock_t k1 = clock();
	printf("monotonic: never goes back %s\n", m0 >= 0 && m1 >= m0 ? "yes" : "no");
	printf("process cpu time: >= 0 and never goes back %s\n",
	       c0 >= 0 && c1 >= c0 ? "yes" : "no");
	printf("thread cpu time: >= 0 %s\n", ns(CLOCK_THREAD_CPUTIME_ID) >= 0 ? "yes" : "no");
	printf("clock(): never goes back %s\n", k1 >= k0 ? "yes" : "no");
	printf("clock() is at most a minute %s\n", (long)k1 / CLOCKS_PER_SEC < 60 ? "yes" : "no");
	int64_t r = ns(CLOCK_REALTIME);
	time_t t = time(NULL);
	printf("realtime after 2020 %s, time() agrees %s\n",
	       r / 1000000000 > 1577836800 ? "yes" : "no",
	       t - r / 1000000000 <= 1 && r / 1000000000 - t <= 1 ? "yes" : "no");
	struct timespec res;
	printf("monotonic resolution <= 1 ms %s\n",
	       clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 &&
			       res.tv_nsec <= 1000000
		       ? "yes"
		       : "no");
	int64_t s0 = ns(CLOCK_MONOTONIC);
	int slept = usleep(20000);
	printf("usleep(20000): %d, lasted at least 20 ms %s\n", slept,
	       ns(CLOCK_MONOTONIC) - s0 >= 20000000 ? "yes" : "no");
	errno = 0;
	printf("clock 10: %d, errno EINVAL %s\n", clock_gettime((clockid_t)10, &res),
	       errno == EINVAL ? "yes" : "no");
}

int
main(int argc, char **argv)
{
	environment();
	file(argc > 1 ? argv[1] : "/no/such/file");
	errors();
	memory();
	jit();
	clocks();
	return 0;
}
