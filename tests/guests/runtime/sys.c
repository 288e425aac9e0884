/*
 * sys.c - glue between picolibc (tinystdio) and the Linux RV32 syscall ABI.
 *
 * Syscalls are made with `ecall`: a7 = number, a0..a5 = arguments, result in
 * a0, where -4095..-1 means -errno.  Only what the guests need is provided;
 * everything is in its own section so unused wrappers are dropped by
 * --gc-sections.  Numbers are the RV32 Linux (asm-generic) ones; note that on
 * 32-bit targets 62 is _llseek (fd, off_hi, off_lo, loff_t *result, whence).
 *
 * stdout is fully buffered (4 KiB, flushed when full, on fflush and at exit by
 * a destructor that exit() runs); stderr is unbuffered; stdin reads 4 KiB
 * blocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYS_openat 56
#define SYS_close 57
#define SYS_llseek 62
#define SYS_read 63
#define SYS_write 64
#define SYS_fstat 80
#define SYS_exit_group 94
#define SYS_brk 214

#define LINUX_AT_FDCWD (-100)
#define LINUX_O_CREAT 0100
#define LINUX_O_EXCL 0200
#define LINUX_O_TRUNC 01000
#define LINUX_O_APPEND 02000

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

#define syscall3(n, a, b, c) syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

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

/* Syscall 80 on RV32 fills the generic struct stat64 (104 bytes); copy the
 * fields picolibc's smaller struct stat can hold. */
int
fstat(int fd, struct stat *st)
{
	uint32_t k[26];
	long r = syscall3(SYS_fstat, fd, k, 0);
	if (r < 0)
		return (int)check(r);
	memset(st, 0, sizeof(*st));
	st->st_mode = (mode_t)k[4];
	st->st_nlink = (nlink_t)k[5];
	st->st_size = (off_t)k[12];
	return 0;
}

int
isatty(int fd)
{
	return fd >= 0 && fd <= 2;
}

/* sbrk on top of the Linux brk syscall: brk(0) reports the current break,
 * brk(p) returns the new break, or the old one if it could not move.  The
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
	out_buf[out_len++] = c;
	if (out_len == sizeof(out_buf) && out_flush(f) < 0)
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
