/*
 * sys.c - glue between picolibc and the Linux RV32 system-call interface,
 * for programs built with `deno task cc`.
 *
 * System calls are made with `ecall`: a7 = number, a0..a5 = arguments,
 * result in a0, where -4095..-1 means -errno. The numbers are the
 * asm-generic ones riscv32 Linux uses. riscv32 has only 64-bit time calls
 * (clock_gettime64 403 and friends) and `_llseek` 62 in place of lseek.
 * Every function is in its own section, so that --gc-sections drops what a
 * program does not use.
 *
 * Provided: _exit, read, write, open, close, lseek, fstat, stat, unlink,
 * rmdir, mkdir, rename, isatty, sbrk (on brk), getentropy (getrandom), gettimeofday,
 * clock_gettime, clock_getres, times (so that clock() gives CPU time),
 * nanosleep, sleep, usleep,
 * getpid, kill, sigprocmask, getauxval, mmap, munmap, mremap, mprotect
 * (<sys/mman.h> from cc/include), and the standard streams: stdout is fully
 * buffered (4 KiB; line-buffered on a terminal; flushed when full, on
 * fflush, before stdin is read and at exit by a destructor that exit()
 * runs), stderr is unbuffered, stdin reads 4 KiB blocks. Files opened with
 * fopen use picolibc's own buffered stdio on top of open/read/lseek/close.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#define SYS_ioctl 29
#define SYS_mkdirat 34
#define SYS_unlinkat 35
#define SYS_openat 56
#define SYS_close 57
#define SYS_llseek 62
#define SYS_read 63
#define SYS_write 64
#define SYS_fstatat64 79
#define SYS_fstat64 80
#define SYS_exit_group 94
#define SYS_kill 129
#define SYS_rt_sigprocmask 135
#define SYS_getpid 172
#define SYS_brk 214
#define SYS_munmap 215
#define SYS_mremap 216
#define SYS_mmap2 222
#define SYS_mprotect 226
#define SYS_renameat2 276
#define SYS_getrandom 278
#define SYS_clock_gettime64 403
#define SYS_clock_getres_time64 406
#define SYS_clock_nanosleep_time64 407

#define LINUX_AT_FDCWD (-100)
#define LINUX_O_CREAT 0100
#define LINUX_O_EXCL 0200
#define LINUX_O_TRUNC 01000
#define LINUX_O_APPEND 02000
#define LINUX_O_NONBLOCK 04000
#define LINUX_O_DIRECTORY 0200000
#define LINUX_O_CLOEXEC 02000000

#define LINUX_CLOCK_REALTIME 0
#define LINUX_CLOCK_MONOTONIC 1
#define LINUX_CLOCK_PROCESS_CPUTIME_ID 2

static long
syscall6(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a3 __asm__("a3") = a3;
	register long r_a4 __asm__("a4") = a4;
	register long r_a5 __asm__("a5") = a5;
	register long r_a7 __asm__("a7") = n;
	__asm__ volatile("ecall"
			 : "+r"(r_a0)
			 : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4),
			   "r"(r_a5), "r"(r_a7)
			 : "memory");
	return r_a0;
}

#define syscall3(n, a, b, c) \
	syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* Turn a raw result into the libc convention: -1 with errno set. */
static long
check(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

void
_exit(int status)
{
	for (;;)
		syscall3(SYS_exit_group, status, 0, 0);
}

ssize_t
read(int fd, void *buf, size_t n)
{
	return check(syscall3(SYS_read, fd, buf, n));
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	return check(syscall3(SYS_write, fd, buf, n));
}

int
open(const char *path, int flags, ...)
{
	int lflags = flags & O_ACCMODE;
	if (flags & O_CREAT)
		lflags |= LINUX_O_CREAT;
	if (flags & O_EXCL)
		lflags |= LINUX_O_EXCL;
	if (flags & O_TRUNC)
		lflags |= LINUX_O_TRUNC;
	if (flags & O_APPEND)
		lflags |= LINUX_O_APPEND;
	if (flags & O_NONBLOCK)
		lflags |= LINUX_O_NONBLOCK;
	if (flags & O_DIRECTORY)
		lflags |= LINUX_O_DIRECTORY;
	if (flags & O_CLOEXEC)
		lflags |= LINUX_O_CLOEXEC;
	return check(syscall6(SYS_openat, LINUX_AT_FDCWD, (long)path, lflags,
			      0644, 0, 0));
}

int
close(int fd)
{
	return check(syscall3(SYS_close, fd, 0, 0));
}

off_t
lseek(int fd, off_t off, int whence)
{
	int64_t result = 0;
	long r = syscall6(SYS_llseek, fd, (long)((int64_t)off >> 32), (long)off,
			  (long)&result, whence, 0);
	return r < 0 ? check(r) : (off_t)result;
}

/* The kernel's struct stat64 of asm-generic on 32-bit targets (104 bytes). */
struct linux_stat64 {
	uint64_t dev, ino;
	uint32_t mode, nlink, uid, gid;
	uint64_t rdev, pad1;
	int64_t size;
	int32_t blksize, pad2;
	int64_t blocks;
	int32_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
	uint32_t unused[2];
};

static void
from_linux_stat(struct stat *st, const struct linux_stat64 *k)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = (dev_t)k->dev;
	st->st_ino = (ino_t)k->ino;
	st->st_mode = (mode_t)k->mode;
	st->st_nlink = (nlink_t)k->nlink;
	st->st_uid = (uid_t)k->uid;
	st->st_gid = (gid_t)k->gid;
	st->st_rdev = (dev_t)k->rdev;
	st->st_size = (off_t)k->size;
	st->st_blksize = (blksize_t)k->blksize;
	st->st_blocks = (blkcnt_t)k->blocks;
	st->st_atim.tv_sec = k->atime;
	st->st_atim.tv_nsec = k->atime_nsec;
	st->st_mtim.tv_sec = k->mtime;
	st->st_mtim.tv_nsec = k->mtime_nsec;
	st->st_ctim.tv_sec = k->ctime;
	st->st_ctim.tv_nsec = k->ctime_nsec;
}

int
fstat(int fd, struct stat *st)
{
	struct linux_stat64 k;
	long r = syscall3(SYS_fstat64, fd, &k, 0);
	if (r < 0)
		return (int)check(r);
	from_linux_stat(st, &k);
	return 0;
}

int
stat(const char *path, struct stat *st)
{
	struct linux_stat64 k;
	long r = syscall6(SYS_fstatat64, LINUX_AT_FDCWD, (long)path, (long)&k,
			  0, 0, 0);
	if (r < 0)
		return (int)check(r);
	from_linux_stat(st, &k);
	return 0;
}

int
unlink(const char *path)
{
	return (int)check(syscall3(SYS_unlinkat, LINUX_AT_FDCWD, path, 0));
}

/* AT_REMOVEDIR: unlinkat removes a directory. */
int
rmdir(const char *path)
{
	return (int)check(syscall3(SYS_unlinkat, LINUX_AT_FDCWD, path, 0x200));
}

int
mkdir(const char *path, mode_t mode)
{
	return (int)check(syscall3(SYS_mkdirat, LINUX_AT_FDCWD, path, mode));
}

/* riscv32 has renameat2 only. */
int
rename(const char *from, const char *to)
{
	return (int)check(syscall6(SYS_renameat2, LINUX_AT_FDCWD, (long)from,
				   LINUX_AT_FDCWD, (long)to, 0, 0));
}

/* TCGETS succeeds only on a terminal. */
int
isatty(int fd)
{
	uint32_t termios[15];
	long r = syscall3(SYS_ioctl, fd, 0x5401, termios);
	if (r < 0) {
		errno = (int)-r;
		return 0;
	}
	return 1;
}

/* sbrk on top of the Linux brk syscall: brk(0) reports the current break,
 * brk(p) returns the new break, or the old one if it could not move. The
 * kernel break is moved in 64 KiB steps so that malloc's many small sbrk
 * calls do not each become a syscall. */
#define BRK_STEP 0x10000u

void *
sbrk(ptrdiff_t incr)
{
	static uintptr_t cur, limit;
	if (cur == 0)
		cur = limit = (uintptr_t)syscall3(SYS_brk, 0, 0, 0);
	uintptr_t old = cur, want = old + (uintptr_t)incr;
	if (incr < 0 ? want > old : want < old) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (want > limit) {
		uintptr_t next = (want + BRK_STEP - 1) & ~(uintptr_t)(BRK_STEP - 1);
		uintptr_t got = (uintptr_t)syscall3(SYS_brk, next, 0, 0);
		if (got < want) {
			errno = ENOMEM;
			return (void *)-1;
		}
		limit = got;
	}
	cur = want;
	return (void *)old;
}

int
getentropy(void *buf, size_t n)
{
	if (n > 256) {
		errno = EIO;
		return -1;
	}
	char *p = buf;
	while (n > 0) {
		long r = syscall3(SYS_getrandom, p, n, 0);
		if (r < 0)
			return (int)check(r);
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* ---- time ---- */

/* The kernel's struct __kernel_timespec. */
struct linux_timespec64 {
	int64_t sec;
	int64_t nsec;
};

/* picolibc's clock ids (see cc/include/time.h) differ from Linux's: map
 * them. */
static long
linux_clock(clockid_t id)
{
	switch ((int)id) {
	case 0: /* CLOCK_REALTIME_COARSE */
		return 5;
	case 1: /* CLOCK_REALTIME */
		return 0;
	case 4: /* CLOCK_MONOTONIC */
		return 1;
	case 5: /* CLOCK_MONOTONIC_RAW */
		return 4;
	default: /* 2, 3 CPU time, 6 MONOTONIC_COARSE, 7 BOOTTIME, 8, 9, 11 */
		return id;
	}
}

static long
clock64(long linux_id, struct linux_timespec64 *k)
{
	return syscall3(SYS_clock_gettime64, linux_id, k, 0);
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	struct linux_timespec64 k;
	long r = clock64(linux_clock(id), &k);
	if (r < 0)
		return (int)check(r);
	ts->tv_sec = (time_t)k.sec;
	ts->tv_nsec = (long)k.nsec;
	return 0;
}

int
clock_getres(clockid_t id, struct timespec *ts)
{
	struct linux_timespec64 k;
	long r = syscall3(SYS_clock_getres_time64, linux_clock(id), &k, 0);
	if (r < 0)
		return (int)check(r);
	if (ts) {
		ts->tv_sec = (time_t)k.sec;
		ts->tv_nsec = (long)k.nsec;
	}
	return 0;
}

int
gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	struct linux_timespec64 k;
	long r = clock64(LINUX_CLOCK_REALTIME, &k);
	if (r < 0)
		return (int)check(r);
	if (tv) {
		tv->tv_sec = (time_t)k.sec;
		tv->tv_usec = (suseconds_t)(k.nsec / 1000);
	}
	return 0;
}

int
nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct linux_timespec64 k = {req->tv_sec, req->tv_nsec};
	(void)rem; /* signals are not delivered: a sleep is never cut short */
	return (int)check(syscall6(SYS_clock_nanosleep_time64,
				   LINUX_CLOCK_MONOTONIC, 0, (long)&k, 0, 0, 0));
}

unsigned
sleep(unsigned seconds)
{
	struct timespec t = {seconds, 0};
	return nanosleep(&t, NULL) == 0 ? 0 : seconds;
}

int
usleep(useconds_t us)
{
	struct timespec t = {us / 1000000, (long)(us % 1000000) * 1000};
	return nanosleep(&t, NULL);
}

/* picolibc's clock() returns tms_utime + tms_stime, in CLOCKS_PER_SEC
 * (1000000 on RISC-V) units: report the process's CPU time in
 * microseconds, and the monotonic clock (also in microseconds) as the
 * result. */
clock_t
times(struct tms *t)
{
	struct linux_timespec64 cpu, now;
	long r = clock64(LINUX_CLOCK_PROCESS_CPUTIME_ID, &cpu);
	if (r >= 0)
		r = clock64(LINUX_CLOCK_MONOTONIC, &now);
	if (r < 0)
		return (clock_t)check(r);
	if (t) {
		t->tms_utime = (clock_t)(cpu.sec * 1000000 + cpu.nsec / 1000);
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return (clock_t)(now.sec * 1000000 + now.nsec / 1000);
}

/* ---- process ---- */

pid_t
getpid(void)
{
	return (pid_t)syscall3(SYS_getpid, 0, 0, 0);
}

int
kill(pid_t pid, int sig)
{
	return (int)check(syscall3(SYS_kill, pid, sig, 0));
}

/* picolibc: SIG_SETMASK 0, SIG_BLOCK 1, SIG_UNBLOCK 2; Linux: BLOCK 0,
 * UNBLOCK 1, SETMASK 2. The kernel's set has 64 bits. */
int
sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	uint32_t kset[2] = {0, 0}, kold[2] = {0, 0};
	int khow = how == SIG_BLOCK ? 0 : how == SIG_UNBLOCK ? 1 : how == SIG_SETMASK ? 2 : -1;
	if (set)
		kset[0] = (uint32_t)*set;
	long r = syscall6(SYS_rt_sigprocmask, khow, set ? (long)kset : 0,
			  old ? (long)kold : 0, 8, 0, 0);
	if (r < 0)
		return (int)check(r);
	if (old)
		*old = (sigset_t)kold[0];
	return 0;
}

/* Set by crt0.S: the auxiliary vector on the initial stack. */
const uint32_t *__oplet_auxv;

unsigned long
getauxval(unsigned long type)
{
	for (const uint32_t *a = __oplet_auxv; a && a[0] != 0; a += 2)
		if (a[0] == type)
			return a[1];
	errno = ENOENT;
	return 0;
}

/* ---- memory (<sys/mman.h> from cc/include) ---- */

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (off & 4095) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	long r = syscall6(SYS_mmap2, (long)addr, (long)len, prot, flags, fd,
			  (long)(off >> 12));
	return r < 0 && r > -4096 ? (check(r), MAP_FAILED) : (void *)r;
}

int
munmap(void *addr, size_t len)
{
	return (int)check(syscall3(SYS_munmap, addr, len, 0));
}

void *
mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	long r = syscall6(SYS_mremap, (long)old, (long)old_len, (long)new_len,
			  flags, 0, 0);
	return r < 0 && r > -4096 ? (check(r), MAP_FAILED) : (void *)r;
}

int
mprotect(void *addr, size_t len, int prot)
{
	return (int)check(syscall3(SYS_mprotect, addr, len, prot));
}

/* ---- standard streams ---- */

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static char out_buf[4096];
static size_t out_len;
static signed char out_line_buffered = -1; /* unknown until the first put */

static int
out_flush(FILE *f)
{
	(void)f;
	int r = write_all(1, out_buf, out_len);
	out_len = 0;
	return r;
}

static int
out_put(char c, FILE *f)
{
	if (out_line_buffered < 0) {
		int saved = errno;
		out_line_buffered = (signed char)isatty(1);
		errno = saved;
	}
	out_buf[out_len++] = c;
	if ((out_len == sizeof(out_buf) || (c == '\n' && out_line_buffered)) &&
	    out_flush(f) < 0)
		return _FDEV_ERR;
	return (unsigned char)c;
}

static int
err_put(char c, FILE *f)
{
	(void)f;
	return write_all(2, &c, 1) < 0 ? _FDEV_ERR : (unsigned char)c;
}

static char in_buf[4096];
static size_t in_pos, in_len;

static int
in_get(FILE *f)
{
	(void)f;
	if (in_pos == in_len) {
		if (out_len > 0)
			out_flush(stdout); /* a prompt shows before input is read */
		ssize_t r = read(0, in_buf, sizeof(in_buf));
		if (r < 0)
			return _FDEV_ERR;
		if (r == 0)
			return _FDEV_EOF;
		in_pos = 0;
		in_len = (size_t)r;
	}
	return (unsigned char)in_buf[in_pos++];
}

static FILE stdin_file = FDEV_SETUP_STREAM(NULL, in_get, NULL, _FDEV_SETUP_READ);
static FILE stdout_file = FDEV_SETUP_STREAM(out_put, NULL, out_flush, _FDEV_SETUP_WRITE);
static FILE stderr_file = FDEV_SETUP_STREAM(err_put, NULL, NULL, _FDEV_SETUP_WRITE);

FILE *const stdin = &stdin_file;
FILE *const stdout = &stdout_file;
FILE *const stderr = &stderr_file;

/* exit() runs the fini array before _exit(), so buffered output survives a
 * return from main or a call to exit(). */
__attribute__((destructor)) static void
flush_stdout_at_exit(void)
{
	out_flush(stdout);
}
