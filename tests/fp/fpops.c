/*
 * fpops.c - runs single RISC-V F and D instructions on operands read from
 * stdin and prints their results and exception flags, so that an IEEE 754
 * implementation can be compared bit for bit with the machine that runs
 * this program (qemu-riscv32).
 *
 * Input: one record per line, "OP RM A B C": OP and RM in decimal, A, B and
 * C as 16 hex digits (singles use the low 32 bits, integers too).  RM is
 * written to frm and every instruction uses the dynamic rounding mode; the
 * flags are cleared before each instruction and read after it.
 * Output: one line per record, "R F": R the result as 16 hex digits (a single
 * or an integer in the low 32 bits, zero-extended), F the fflags in hex.
 * The op numbers are the indices of FP_OPS in tests/fp/fp_ops.ts.
 */
#include <stdint.h>
#include <unistd.h>

typedef uint32_t u32;
typedef uint64_t u64;

static char inbuf[1 << 16];
static int inlen, inpos;
static char outbuf[1 << 16];
static int outlen;

static int
getch(void)
{
	if (inpos == inlen) {
		inlen = read(0, inbuf, sizeof inbuf);
		inpos = 0;
		if (inlen <= 0)
			return -1;
	}
	return (unsigned char)inbuf[inpos++];
}

static void
flush(void)
{
	int off = 0;
	while (off < outlen) {
		int n = write(1, outbuf + off, outlen - off);
		if (n <= 0)
			_exit(2);
		off += n;
	}
	outlen = 0;
}

/* Reads the next number in base 10 or 16; returns -1 at end of input. */
static int
getnum(int base, u64 *v)
{
	int ch;
	do {
		ch = getch();
		if (ch < 0)
			return -1;
	} while (ch == ' ' || ch == '\n');
	u64 x = 0;
	for (;;) {
		int d;
		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else
			break;
		x = x * base + d;
		ch = getch();
	}
	*v = x;
	return 0;
}

static void
puthex(u64 v, int digits)
{
	for (int i = digits - 1; i >= 0; i--)
		outbuf[outlen++] = "0123456789abcdef"[(v >> (4 * i)) & 15];
}

/* Single-precision ops: operands in fa0..fa2 by fmv.w.x, result by fmv.x.w. */
#define S3(insn)                                                              \
	__asm__ volatile("fmv.w.x ft0,%2\n fmv.w.x ft1,%3\n fmv.w.x ft2,%4\n" \
			 "fsflags x0\n " insn "\n frflags %1\n fmv.x.w %0,ft3" \
			 : "=&r"(r32), "=&r"(fl)                               \
			 : "r"(a32), "r"(b32), "r"(c32)                        \
			 : "ft0", "ft1", "ft2", "ft3")
/* Single-precision ops with an integer result. */
#define SX(insn)                                                          \
	__asm__ volatile("fmv.w.x ft0,%2\n fmv.w.x ft1,%3\n fsflags x0\n " \
			 insn "\n frflags %1"                              \
			 : "=&r"(r32), "=&r"(fl)                           \
			 : "r"(a32), "r"(b32)                              \
			 : "ft0", "ft1")
/* Double-precision ops: operands loaded from memory, result stored. */
#define D3(insn)                                                             \
	__asm__ volatile("fld ft0,0(%1)\n fld ft1,8(%1)\n fld ft2,16(%1)\n"  \
			 "fsflags x0\n " insn "\n frflags %0\n fsd ft3,24(%1)" \
			 : "=&r"(fl)                                          \
			 : "r"(mem)                                           \
			 : "ft0", "ft1", "ft2", "ft3", "memory")
#define DX(insn)                                                                \
	__asm__ volatile("fld ft0,0(%2)\n fld ft1,8(%2)\n fsflags x0\n " insn \
			 "\n frflags %1"                                       \
			 : "=&r"(r32), "=&r"(fl)                               \
			 : "r"(mem)                                            \
			 : "ft0", "ft1", "memory")

int
main(void)
{
	static u64 mem[4];
	for (;;) {
		u64 op, rm, a, b, c;
		if (getnum(10, &op) < 0 || getnum(10, &rm) < 0 ||
		    getnum(16, &a) < 0 || getnum(16, &b) < 0 ||
		    getnum(16, &c) < 0)
			break;
		u32 a32 = (u32)a, b32 = (u32)b, c32 = (u32)c, r32 = 0, fl = 0;
		u64 r = 0;
		int wide = 0;
		mem[0] = a;
		mem[1] = b;
		mem[2] = c;
		mem[3] = 0;
		__asm__ volatile("fsrm %0" : : "r"((u32)rm));
		switch (op) {
		case 0: S3("fadd.s ft3,ft0,ft1"); break;
		case 1: S3("fsub.s ft3,ft0,ft1"); break;
		case 2: S3("fmul.s ft3,ft0,ft1"); break;
		case 3: S3("fdiv.s ft3,ft0,ft1"); break;
		case 4: S3("fsqrt.s ft3,ft0"); break;
		case 5: S3("fmin.s ft3,ft0,ft1"); break;
		case 6: S3("fmax.s ft3,ft0,ft1"); break;
		case 7: S3("fmadd.s ft3,ft0,ft1,ft2"); break;
		case 8: S3("fmsub.s ft3,ft0,ft1,ft2"); break;
		case 9: S3("fnmsub.s ft3,ft0,ft1,ft2"); break;
		case 10: S3("fnmadd.s ft3,ft0,ft1,ft2"); break;
		case 11: SX("feq.s %0,ft0,ft1"); break;
		case 12: SX("flt.s %0,ft0,ft1"); break;
		case 13: SX("fle.s %0,ft0,ft1"); break;
		case 14: SX("fclass.s %0,ft0"); break;
		case 15: SX("fcvt.w.s %0,ft0"); break;
		case 16: SX("fcvt.wu.s %0,ft0"); break;
		case 17:
			__asm__ volatile("fsflags x0\n fcvt.s.w ft3,%2\n frflags %1\n fmv.x.w %0,ft3"
					 : "=&r"(r32), "=&r"(fl) : "r"(a32) : "ft3");
			break;
		case 18:
			__asm__ volatile("fsflags x0\n fcvt.s.wu ft3,%2\n frflags %1\n fmv.x.w %0,ft3"
					 : "=&r"(r32), "=&r"(fl) : "r"(a32) : "ft3");
			break;
		case 19: S3("fsgnj.s ft3,ft0,ft1"); break;
		case 20: S3("fsgnjn.s ft3,ft0,ft1"); break;
		case 21: S3("fsgnjx.s ft3,ft0,ft1"); break;
		case 22: D3("fadd.d ft3,ft0,ft1"); wide = 1; break;
		case 23: D3("fsub.d ft3,ft0,ft1"); wide = 1; break;
		case 24: D3("fmul.d ft3,ft0,ft1"); wide = 1; break;
		case 25: D3("fdiv.d ft3,ft0,ft1"); wide = 1; break;
		case 26: D3("fsqrt.d ft3,ft0"); wide = 1; break;
		case 27: D3("fmin.d ft3,ft0,ft1"); wide = 1; break;
		case 28: D3("fmax.d ft3,ft0,ft1"); wide = 1; break;
		case 29: D3("fmadd.d ft3,ft0,ft1,ft2"); wide = 1; break;
		case 30: D3("fmsub.d ft3,ft0,ft1,ft2"); wide = 1; break;
		case 31: D3("fnmsub.d ft3,ft0,ft1,ft2"); wide = 1; break;
		case 32: D3("fnmadd.d ft3,ft0,ft1,ft2"); wide = 1; break;
		case 33: DX("feq.d %0,ft0,ft1"); break;
		case 34: DX("flt.d %0,ft0,ft1"); break;
		case 35: DX("fle.d %0,ft0,ft1"); break;
		case 36: DX("fclass.d %0,ft0"); break;
		case 37: DX("fcvt.w.d %0,ft0"); break;
		case 38: DX("fcvt.wu.d %0,ft0"); break;
		case 39:
			__asm__ volatile("fsflags x0\n fcvt.d.w ft3,%1\n frflags %0\n fsd ft3,24(%2)"
					 : "=&r"(fl) : "r"(a32), "r"(mem) : "ft3", "memory");
			wide = 1;
			break;
		case 40:
			__asm__ volatile("fsflags x0\n fcvt.d.wu ft3,%1\n frflags %0\n fsd ft3,24(%2)"
					 : "=&r"(fl) : "r"(a32), "r"(mem) : "ft3", "memory");
			wide = 1;
			break;
		case 41: D3("fsgnj.d ft3,ft0,ft1"); wide = 1; break;
		case 42: D3("fsgnjn.d ft3,ft0,ft1"); wide = 1; break;
		case 43: D3("fsgnjx.d ft3,ft0,ft1"); wide = 1; break;
		case 44:
			__asm__ volatile("fld ft0,0(%2)\n fsflags x0\n fcvt.s.d ft3,ft0\n frflags %1\n fmv.x.w %0,ft3"
					 : "=&r"(r32), "=&r"(fl) : "r"(mem) : "ft0", "ft3", "memory");
			break;
		case 45:
			__asm__ volatile("fmv.w.x ft0,%1\n fsflags x0\n fcvt.d.s ft3,ft0\n frflags %0\n fsd ft3,24(%2)"
					 : "=&r"(fl) : "r"(a32), "r"(mem) : "ft0", "ft3", "memory");
			wide = 1;
			break;
		default:
			r = ~(u64)0;
			fl = 0xff;
			break;
		}
		if (op <= 45)
			r = wide ? mem[3] : r32;
		puthex(r, 16);
		outbuf[outlen++] = ' ';
		puthex(fl, 2);
		outbuf[outlen++] = '\n';
		if (outlen > (int)sizeof outbuf - 64)
			flush();
	}
	flush();
	return 0;
}
