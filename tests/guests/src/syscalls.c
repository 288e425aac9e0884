/*
 * syscalls - calls the Linux system calls that static programs use, with
 * good and bad arguments, by number, and prints each result (a value or
 * -errno). Only what is the same on every host is printed: no addresses,
 * ids, times or sizes the host chooses, only how they relate.
 * usage: syscalls
 */
#include "common.h"
#include <string.h>

static long
sys(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3;
	register long r4 __asm__("a4") = a4;
	register long r5 __asm__("a5") = a5;
	register long r7 __asm__("a7") = n;
	__asm__ volatile("ecall"
			 : "+r"(r0)
			 : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
			 : "memory");
	return r0;
}

#define S0(n) sys((n), 0, 0, 0, 0, 0, 0)
#define S1(n, a) sys((n), (long)(a), 0, 0, 0, 0, 0)
#define S2(n, a, b) sys((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define S3(n, a, b, c) sys((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define S4(n, a, b, c, d) \
	sys((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define S5(n, a, b, c, d, e) \
	sys((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define S6(n, a, b, c, d, e, f)                                          \
	sys((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), \
	    (long)(f))

#define PAGE 4096
#define PROT_RW 3
#define MAP_PRIVATE_ANON 0x22
#define MAP_FIXED 0x10

static void
show(const char *what, long r)
{
	printf("%-44s %ld\n", what, r);
	fflush(stdout); /* raw writes below must come in order */
}

static void
yes(const char *what, int ok)
{
	printf("%-44s %s\n", what, ok ? "yes" : "NO");
	fflush(stdout);
}

static uint32_t buf[128];
static char text[512];

static void
clocks(void)
{
	for (int id = -8; id <= 15; id++) {
		if (id == 8 || id == 9)
			continue; /* alarm clocks: the host's RTC decides */
		uint32_t ts[4] = {0, 0, 0, 0}, res[4] = {0, 0, 0, 0};
		long g = S2(403, id, ts), r = S2(406, id, res);
		const char *kind = r != 0 ? "-" : (res[0] == 0 && res[2] == 1) ? "1ns" : "coarse";
		printf("clock %3d: clock_gettime64 %3ld, getres %3ld %s, nsec < 1e9 %s\n",
		       id, g, r, kind, ts[2] < 1000000000u ? "yes" : "NO");
	}
	uint32_t a[4], b[4];
	S2(403, 1, a);
	S2(403, 1, b);
	yes("monotonic does not go back", b[1] > a[1] || (b[1] == a[1] && (b[0] > a[0] || (b[0] == a[0] && b[2] >= a[2]))));
	S2(403, 0, a);
	yes("realtime is after 2020", a[1] > 0 || a[0] > 1577836800u);
	show("clock_gettime64(bad pointer)", S2(403, 0, 16));
	show("clock_gettime64(1, NULL)", S2(403, 1, 0));
	show("clock_getres_time64(1, NULL)", S2(406, 1, 0));
	show("clock_getres_time64(99, NULL)", S2(406, 99, 0));
	show("clock_gettime (32-bit time, not on rv32)", S2(113, 0, buf));
	show("clock_getres (32-bit time)", S2(114, 0, buf));
	show("gettimeofday (32-bit time)", S2(169, buf, 0));
	show("nanosleep (32-bit time)", S2(101, buf, 0));
	show("clock_nanosleep (32-bit time)", S4(115, 0, 0, buf, 0));
	long t = S1(153, buf);
	yes("times: not an error", t < -4095 || t >= 0);
	show("times(bad pointer)", S1(153, 16));
}

static void
memory(void)
{
	long brk0 = S1(214, 0);
	yes("brk(0) == brk(1)", S1(214, 1) == brk0);
	yes("brk grows by a page", S1(214, brk0 + PAGE) == brk0 + PAGE);
	yes("brk shrinks back", S1(214, brk0) == brk0);

	show("mmap2 length 0", S6(222, 0, 0, PROT_RW, MAP_PRIVATE_ANON, -1, 0));
	show("mmap2 file, bad fd", S6(222, 0, PAGE, PROT_RW, 0x02, -1, 0));
	show("mmap2 neither shared nor private", S6(222, 0, PAGE, PROT_RW, 0x20, -1, 0));
	show("mmap2 fixed, unaligned", S6(222, 0x40001, PAGE, PROT_RW, MAP_PRIVATE_ANON | MAP_FIXED, -1, 0));

	long a = S6(222, 0, 2 * PAGE, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
	yes("mmap2 two pages: page aligned", a > 0 && a % PAGE == 0);
	unsigned char *p = (unsigned char *)a;
	int zero = 1;
	for (int i = 0; i < 2 * PAGE; i++)
		zero &= p[i] == 0;
	yes("  reads as zero", zero);
	memset(p, 0xab, 2 * PAGE);
	show("  mremap grow in place, next page taken", S5(216, a, PAGE, 3 * PAGE, 0, 0));
	yes("  mremap shrink keeps the address", S5(216, a, 2 * PAGE, PAGE, 0, 0) == a);
	show("  mremap unaligned", S5(216, a + 1, 2 * PAGE, PAGE, 0, 0));
	show("  mremap bad flags", S5(216, a, PAGE, 2 * PAGE, 4, 0));
	show("  mremap fixed without maymove", S5(216, a, PAGE, 2 * PAGE, 2, 0));
	long m = S5(216, a, PAGE, 64 * PAGE, 1, 0);
	yes("  mremap may move: grows", m > 0 && m % PAGE == 0);
	p = (unsigned char *)m;
	int kept = 1;
	for (int i = 0; i < PAGE; i++)
		kept &= p[i] == 0xab;
	yes("  keeps the contents", kept);
	zero = 1;
	for (int i = PAGE; i < 64 * PAGE; i++)
		zero &= p[i] == 0;
	yes("  and the new pages read as zero", zero);
	show("  mprotect read-only", S3(226, m, PAGE, 1));
	show("  mprotect read-write", S3(226, m, PAGE, PROT_RW));
	show("  mprotect unaligned", S3(226, m + 1, PAGE, 1));
	show("  madvise DONTNEED", S3(233, m + PAGE, PAGE, 4));
	p[5] = 7;
	show("  munmap unaligned", S2(215, m + 1, PAGE));
	show("  munmap length 0", S2(215, m, 0));
	show("  munmap", S2(215, m, 64 * PAGE));
	long again = S6(222, m, PAGE, PROT_RW, MAP_PRIVATE_ANON | MAP_FIXED, -1, 0);
	yes("  mmap2 fixed at the same place", again == m);
	yes("  reads as zero again", ((unsigned char *)m)[5] == 0);
	show("  munmap it", S2(215, m, PAGE));

	/* A large block, written all over, in many mappings. */
	long blocks[8];
	uint32_t sum = 0;
	for (int k = 0; k < 8; k++) {
		blocks[k] = S6(222, 0, 1 << 20, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
		uint32_t *w = (uint32_t *)blocks[k];
		for (int i = 0; i < (1 << 18); i += 64)
			w[i] = (uint32_t)(k * 1000003 + i);
	}
	for (int k = 0; k < 8; k++) {
		uint32_t *w = (uint32_t *)blocks[k];
		for (int i = 0; i < (1 << 18); i += 64)
			sum = mix32(sum, w[i]);
		S2(215, blocks[k], 1 << 20);
	}
	printf("%-44s %08x\n", "8 MiB in 1 MiB mappings, checksum", (u32)sum);
	fflush(stdout);
}

static void
process(void)
{
	long pid = S0(172);
	yes("getpid == gettid", S0(178) == pid);
	yes("set_tid_address returns the tid", S1(96, buf) == pid);
	yes("getppid > 0", S0(173) > 0);
	yes("getuid == geteuid", S0(174) == S0(175));
	yes("getgid == getegid", S0(176) == S0(177));
	show("set_robust_list (not in qemu)", S2(99, buf, 12));
	show("rseq (not in qemu)", S4(293, buf, 32, 0, 0));
	show("riscv_hwprobe", S5(258, buf, 1, 0, 0, 0));
	show("riscv_flush_icache", S3(259, 0, 0, 0));
	show("sched_yield", S0(124));
	S1(166, 077);
	show("umask returns the last mask", S1(166, 022));
	show("getrandom 16 bytes", S3(278, buf, 16, 0));
	show("getrandom GRND_NONBLOCK", S3(278, buf, 16, 1));
	show("getrandom bad flags", S3(278, buf, 16, 8));
	show("getrandom 0 bytes", S3(278, buf, 0, 0));
	show("getrandom bad pointer", S3(278, 16, 16, 0));

	show("uname", S1(160, text));
	printf("%-44s %s %s\n", "  sysname, machine", text, text + 4 * 65);
	show("uname bad pointer", S1(160, 16));

	uint32_t lim[4];
	show("prlimit64 RLIMIT_STACK", S4(261, 0, 3, 0, lim));
	yes("  soft <= hard", (lim[3] == 0xffffffffu && lim[2] == 0xffffffffu) || lim[1] < lim[3] || (lim[1] == lim[3] && lim[0] <= lim[2]));
	show("prlimit64 bad resource", S4(261, 0, 99, 0, lim));
	show("getrlimit RLIMIT_NOFILE", S2(163, 7, lim));
	show("getrusage self", S2(165, 0, buf));
	show("getrusage bad who", S2(165, 5, buf));
	long n = S2(17, text, sizeof text);
	yes("getcwd: an absolute path", n > 1 && text[0] == '/' && (long)strlen(text) == n - 1);
	show("getcwd buffer too small", S2(17, text, 1));
}

static void
signals(void)
{
	uint32_t act[4] = {0x12340, 0, 0, 0}, old[4] = {1, 1, 1, 1};
	show("rt_sigaction SIGUSR1", S4(134, 10, act, 0, 8));
	show("rt_sigaction read back", S4(134, 10, 0, old, 8));
	yes("  same handler", old[0] == 0x12340);
	act[0] = 0; /* SIG_DFL */
	S4(134, 10, act, 0, 8);
	show("rt_sigaction SIGKILL", S4(134, 9, act, 0, 8));
	show("rt_sigaction signal 65", S4(134, 65, 0, old, 8));
	show("rt_sigaction sigset size 4", S4(134, 10, 0, old, 4));
	uint32_t set[2] = {1u << 9, 0}, was[2] = {7, 7}; /* SIGUSR1 */
	show("rt_sigprocmask block SIGUSR1", S4(135, 0, set, 0, 8));
	show("rt_sigprocmask read", S4(135, 0, 0, was, 8));
	yes("  SIGUSR1 blocked", was[0] == (1u << 9) && was[1] == 0);
	show("rt_sigprocmask unblock", S4(135, 1, set, 0, 8));
	show("rt_sigprocmask bad how", S4(135, 3, set, 0, 8));
	show("rt_sigprocmask sigset size 4", S4(135, 0, 0, was, 4));
	uint32_t ss[3] = {1, 1, 1};
	show("sigaltstack read", S2(132, 0, ss));
	show("  flags (SS_DISABLE)", ss[1]);
	long pid = S0(172);
	show("kill self, signal 0", S2(129, pid, 0));
	show("kill self, SIGCHLD (ignored)", S2(129, pid, 17));
	show("kill bad signal", S2(129, pid, 99));
}

static void
files(void)
{
	show("close a closed fd", S1(57, 77));
	long d = S1(23, 1);
	show("dup(1)", d);
	show("write to the dup", S3(64, d, "via dup\n", 8));
	show("close it", S1(57, d));
	show("fcntl F_GETFD", S2(25, 1, 1));
	show("fcntl F_GETFL & O_ACCMODE", S2(25, 1, 3) & 3);
	show("fcntl bad fd", S2(25, 77, 1));
	show("ioctl TIOCGWINSZ on a pipe", S3(29, 1, 0x5413, buf));
	show("ioctl bad fd", S3(29, 77, 0x5401, buf));
	show("fstat64 stdout", S2(80, 1, buf));
	show("fstat64 bad fd", S2(80, 77, buf));
	show("fstatat64 missing file", S4(79, -100, "/no/such/file", buf, 0));
	show("statx missing file", S5(291, -100, "/no/such/file", 0, 0x7ff, text));
	show("statx stdout (AT_EMPTY_PATH)", S5(291, 1, "", 0x1000, 0x7ff, text));
	show("statx empty path without AT_EMPTY_PATH", S5(291, 1, "", 0, 0x7ff, text));
	show("faccessat missing file", S4(48, -100, "/no/such/file", 4, 0));
	show("openat missing file", S4(56, -100, "/no/such/file", 0, 0));
	show("_llseek on a pipe", S5(62, 1, 0, 0, buf, 0));
	const char *a = "writev: one", *b = " two\n";
	uint32_t iov[6] = {(uint32_t)a, 11, (uint32_t)b, 0, (uint32_t)b, 5};
	show("writev 3 (one empty)", S3(66, 1, iov, 3));
	uint32_t riov[2] = {(uint32_t)text, 16};
	show("readv bad fd", S3(65, 77, riov, 1));
	show("readv from stdout's fd", S3(65, 1, riov, 1));
	show("write bad pointer", S3(64, 1, 16, 4));
	show("futex (32-bit time, not on rv32)", S6(98, buf, 1, 1, 0, 0, 0));
	show("futex_time64 wake", S6(422, buf, 1, 1, 0, 0, 0));
	show("futex_time64 private wake", S6(422, buf, 129, 1, 0, 0, 0));
	buf[0] = 5;
	show("futex_time64 wait, value differs", S6(422, buf, 0, 6, 0, 0, 0));
	show("futex_time64 private wait, value differs", S6(422, buf, 128, 6, 0, 0, 0));
}

int
main(void)
{
	clocks();
	memory();
	process();
	signals();
	files();
	printf("done\n");
	return 0;
}
