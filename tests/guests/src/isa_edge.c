/*
 * isa_edge - RV32IM instruction edge cases, executed through inline asm so
 * the compiler cannot constant-fold them.  Every result is printed in hex.
 * Covers: M-extension division corner cases, multiply high halves, shift
 * amounts from registers (only the low 5 bits count), load sign/zero
 * extension, set-less-than on signed/unsigned extremes, immediates, writes
 * to x0, auipc/jal/jalr link values, branches, and misaligned accesses
 * (which qemu-riscv32 performs transparently).
 * usage: isa_edge
 */
#include "common.h"
#include <string.h>

#define RR(op, a, b)                                                        \
	({                                                                  \
		u32 r_;                                                     \
		__asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b)); \
		r_;                                                         \
	})

#define RI(op, a, imm)                                                      \
	({                                                                  \
		u32 r_;                                                     \
		__asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(a), "i"(imm)); \
		r_;                                                         \
	})

static u32 checksum;

static void
show(const char *what, u32 a, u32 b, u32 r)
{
	printf("%-7s %08x %08x -> %08x\n", what, a, b, r);
	checksum = mix32(checksum, r);
}

static void
show1(const char *what, u32 r)
{
	printf("%-22s = %08x\n", what, r);
	checksum = mix32(checksum, r);
}

static const u32 vals[] = {0, 1, 2, 7, 0x7fffffff, 0x80000000, 0xffffffff,
			   0xfffffff9, 0x12345678};
#define NV (int)(sizeof(vals) / sizeof(vals[0]))

static void
test_div(void)
{
	printf("# division and remainder (incl. by zero and INT_MIN / -1)\n");
	static const u32 divs[] = {0, 1, 0xffffffff, 2, 0x80000000, 7};
	for (int i = 0; i < NV; i++)
		for (unsigned j = 0; j < sizeof(divs) / sizeof(divs[0]); j++) {
			u32 a = vals[i], b = divs[j];
			show("div", a, b, RR("div", a, b));
			show("divu", a, b, RR("divu", a, b));
			show("rem", a, b, RR("rem", a, b));
			show("remu", a, b, RR("remu", a, b));
		}
}

static void
test_mul(void)
{
	printf("# multiplication, low and high halves\n");
	static const u32 m[] = {0, 1, 0xffffffff, 0x80000000, 0x7fffffff,
				0x10000, 0xfffe0001, 3};
	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		for (unsigned j = 0; j < sizeof(m) / sizeof(m[0]); j++) {
			u32 a = m[i], b = m[j];
			show("mul", a, b, RR("mul", a, b));
			show("mulh", a, b, RR("mulh", a, b));
			show("mulhsu", a, b, RR("mulhsu", a, b));
			show("mulhu", a, b, RR("mulhu", a, b));
		}
}

static void
test_shift(void)
{
	printf("# shifts by register amounts (low 5 bits only)\n");
	static const u32 amt[] = {0, 1, 31, 32, 33, 63, 0xffffffff, 0x80000004};
	static const u32 v[] = {0x80000001, 0x7ffffff0, 0xffffffff, 0x12345678};
	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (unsigned j = 0; j < sizeof(amt) / sizeof(amt[0]); j++) {
			show("sll", v[i], amt[j], RR("sll", v[i], amt[j]));
			show("srl", v[i], amt[j], RR("srl", v[i], amt[j]));
			show("sra", v[i], amt[j], RR("sra", v[i], amt[j]));
		}
	u32 x = 0x80000000;
	show("srai 31", x, 31, RI("srai", x, 31));
	show("srli 31", x, 31, RI("srli", x, 31));
	show("slli 31", 3, 31, RI("slli", 3u, 31));
	show("srai 0", x, 0, RI("srai", x, 0));
}

static void
test_compare(void)
{
	printf("# set-less-than and branches on extremes\n");
	for (int i = 0; i < NV; i++)
		for (int j = 0; j < NV; j++) {
			u32 a = vals[i], b = vals[j];
			u32 s = RR("slt", a, b), u = RR("sltu", a, b);
			/* branches: encode the six outcomes as bits */
			u32 bits;
			__asm__ volatile(
				"li %0, 0\n"
				"beq %1, %2, 1f\n ori %0, %0, 1\n1:\n"
				"bne %1, %2, 2f\n ori %0, %0, 2\n2:\n"
				"blt %1, %2, 3f\n ori %0, %0, 4\n3:\n"
				"bge %1, %2, 4f\n ori %0, %0, 8\n4:\n"
				"bltu %1, %2, 5f\n ori %0, %0, 16\n5:\n"
				"bgeu %1, %2, 6f\n ori %0, %0, 32\n6:\n"
				: "=&r"(bits)
				: "r"(a), "r"(b));
			show("slt", a, b, s);
			show("sltu", a, b, u);
			show("branch", a, b, bits);
		}
	for (int i = 0; i < NV; i++) {
		u32 a = vals[i];
		show("slti -1", a, 0xffffffff, RI("slti", a, -1));
		show("sltiu -1", a, 0xffffffff, RI("sltiu", a, -1));
		show("sltiu 1", a, 1, RI("sltiu", a, 1));
		show("slti -2048", a, 0xfffff800, RI("slti", a, -2048));
		show("slti 2047", a, 2047, RI("slti", a, 2047));
		show("xori -1", a, 0xffffffff, RI("xori", a, -1));
		show("andi -2048", a, 0xfffff800, RI("andi", a, -2048));
		show("ori 0x7ff", a, 0x7ff, RI("ori", a, 0x7ff));
		show("addi -2048", a, 0xfffff800, RI("addi", a, -2048));
	}
}

static void
test_loads(void)
{
	printf("# load sign/zero extension and misaligned access\n");
	static unsigned char mem[16] __attribute__((aligned(16))) = {
		0x80, 0xff, 0x7f, 0x01, 0x00, 0x80, 0xff, 0x7f,
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	unsigned char *p = mem;
	for (int off = 0; off < 8; off++) {
		u32 b, bu, h, hu;
		__asm__ volatile("lb %0, 0(%1)" : "=r"(b) : "r"(p + off) : "memory");
		__asm__ volatile("lbu %0, 0(%1)" : "=r"(bu) : "r"(p + off) : "memory");
		__asm__ volatile("lh %0, 0(%1)" : "=r"(h) : "r"(p + off) : "memory");
		__asm__ volatile("lhu %0, 0(%1)" : "=r"(hu) : "r"(p + off) : "memory");
		show("lb", (u32)off, 0, b);
		show("lbu", (u32)off, 0, bu);
		show("lh", (u32)off, 0, h);
		show("lhu", (u32)off, 0, hu);
	}
	for (int off = 0; off < 4; off++) {
		u32 w;
		__asm__ volatile("lw %0, 0(%1)" : "=r"(w) : "r"(p + 8 + off) : "memory");
		show("lw", (u32)off, 0, w);
	}
	/* negative load offsets */
	u32 neg;
	__asm__ volatile("lbu %0, -1(%1)" : "=r"(neg) : "r"(p + 8) : "memory");
	show("lbu -1", 8, 0, neg);
	__asm__ volatile("lw %0, -4(%1)" : "=r"(neg) : "r"(p + 8) : "memory");
	show("lw -4", 8, 0, neg);

	/* stores: only the low bits land, misaligned stores straddle words */
	unsigned char st[16] __attribute__((aligned(16)));
	memset(st, 0xee, sizeof(st));
	u32 v = 0xa1b2c3d4;
	__asm__ volatile("sb %0, 1(%1)" ::"r"(v), "r"(st) : "memory");
	__asm__ volatile("sh %0, 3(%1)" ::"r"(v), "r"(st) : "memory");
	__asm__ volatile("sw %0, 6(%1)" ::"r"(v), "r"(st) : "memory");
	__asm__ volatile("sw %0, 12(%1)" ::"r"(0u), "r"(st) : "memory");
	__asm__ volatile("sh %0, -2(%1)" ::"r"(0x5566u), "r"(st + 16) : "memory");
	for (int i = 0; i < 16; i += 4) {
		u32 w = (u32)st[i] | (u32)st[i + 1] << 8 | (u32)st[i + 2] << 16 |
			(u32)st[i + 3] << 24;
		show("stores", (u32)i, 0, w);
	}

	/* a packed struct: the compiler itself emits byte accesses here */
	struct __attribute__((packed)) rec {
		unsigned char tag;
		u32 value;
		unsigned short half;
	} recs[3];
	for (int i = 0; i < 3; i++) {
		recs[i].tag = (unsigned char)i;
		recs[i].value = 0xdead0000u + (u32)i * 0x1111;
		recs[i].half = (unsigned short)(0xbe00 + i);
	}
	volatile struct rec *vr = recs;
	show1("packed value[2]", vr[2].value);
	show1("packed half[1]", vr[1].half);
}

static void
test_x0_and_links(void)
{
	printf("# x0, lui/auipc, jal/jalr link values\n");
	u32 z;
	__asm__ volatile("addi x0, x0, 5\n"
			 "lui x0, 0x12345\n"
			 "add x0, %1, %1\n"
			 "mv %0, x0"
			 : "=r"(z)
			 : "r"(7u));
	show1("x0 after writes", z);
	u32 lw0;
	__asm__ volatile("lw x0, 0(%1)\n mv %0, x0" : "=r"(lw0) : "r"(&checksum) : "memory");
	show1("x0 after load", lw0);

	u32 l1, l2, l3;
	__asm__ volatile("lui %0, 0xfffff" : "=r"(l1));
	__asm__ volatile("lui %0, 0x80000\n addi %0, %0, -1" : "=r"(l2));
	__asm__ volatile("lui %0, 0x1\n addi %0, %0, -2048" : "=r"(l3));
	show1("lui 0xfffff", l1);
	show1("lui 0x80000 - 1", l2);
	show1("lui 1 - 2048", l3);

	u32 base, link_jal, after, link_jalr, target, link_same, t_same;
	__asm__ volatile(".option push\n"
			 ".option norelax\n" /* keep every offset below fixed */
			 "1: auipc %0, 0\n"
			 "jal %1, 2f\n"
			 "nop\n"
			 "2: auipc %2, 0\n"
			 "la %4, 3f\n"
			 "jalr %3, 1(%4)\n" /* lowest bit of the target is cleared */
			 "nop\n"
			 "3: mv %5, %4\n"
			 "la %5, 4f\n"
			 "jalr %5, 0(%5)\n" /* rd == rs1: target uses the old value */
			 "nop\n"
			 "4: auipc %6, 0\n"
			 ".option pop\n"
			 : "=&r"(base), "=&r"(link_jal), "=&r"(after),
			   "=&r"(link_jalr), "=&r"(target), "=&r"(link_same),
			   "=&r"(t_same));
	show1("jal link - auipc", link_jal - base);
	show1("auipc2 - auipc1", after - base);
	show1("jalr link - auipc", link_jalr - base);
	show1("jalr target - auipc", target - base);
	show1("jalr rd=rs1 link - auipc", link_same - base);
	show1("auipc3 - auipc1", t_same - base);
	u32 hi;
	__asm__ volatile("1: auipc %0, 0x1\n auipc %1, 0\n sub %0, %0, %1"
			 : "=&r"(hi), "=&r"(l1));
	show1("auipc 1 - next auipc", hi);
	__asm__ volatile("fence" ::: "memory");
	show1("after fence", 1);
}

int
main(void)
{
	printf("isa_edge\n");
	test_div();
	test_mul();
	test_shift();
	test_compare();
	test_loads();
	test_x0_and_links();
	printf("checksum=%08x\n", checksum);
	return 0;
}
