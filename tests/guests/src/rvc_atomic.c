/*
 * rvc_atomic - RV32C and RV32A through inline asm, built -march=rv32imac.
 * Every RV32C integer instruction is written out by its compressed mnemonic
 * (c.addi4spn ... c.swsp), with edge immediates; jumps and calls land on
 * 2-aligned addresses between 32-bit instructions.  Then lr.w/sc.w with the
 * reservation rules a single-threaded program sees under qemu-riscv32, every
 * amo*.w on edge values, and C11 atomics.  Finally the counter CSRs:
 * only properties that hold on qemu-riscv32 too (it returns host ticks) are
 * printed.  Every result is printed in hex.
 * usage: rvc_atomic
 */
#include "common.h"
#include <stdatomic.h>

static u32 checksum;

static void
show(const char *what, u32 r)
{
	printf("%-26s = %08x\n", what, r);
	checksum = mix32(checksum, r);
}

/* One compressed instruction applied to a register holding `a`. */
#define C1(insn, a)                                                 \
	({                                                          \
		register u32 r_ __asm__("a0") = (a);                \
		__asm__ volatile(insn : "+r"(r_));                  \
		r_;                                                 \
	})
/* One compressed register-register instruction on a0 and a1. */
#define C2(insn, a, b)                                              \
	({                                                          \
		register u32 r_ __asm__("a0") = (a);                \
		register u32 s_ __asm__("a1") = (b);                \
		__asm__ volatile(insn : "+r"(r_) : "r"(s_));        \
		r_;                                                 \
	})

static const u32 vals[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
			   0x12345678, 0xfffffff9};
#define NV (int)(sizeof(vals) / sizeof(vals[0]))

static void
test_alu(void)
{
	printf("# compressed arithmetic\n");
	for (int i = 0; i < NV; i++) {
		u32 a = vals[i];
		show("c.addi 31", C1("c.addi a0, 31", a));
		show("c.addi -32", C1("c.addi a0, -32", a));
		show("c.li -32", C1("c.li a0, -32", a));
		show("c.li 31", C1("c.li a0, 31", a));
		show("c.lui 0xfffe0", C1("c.lui a0, 0xfffe0", a));
		show("c.lui 0x1f", C1("c.lui a0, 0x1f", a));
		show("c.srli 1", C1("c.srli a0, 1", a));
		show("c.srli 31", C1("c.srli a0, 31", a));
		show("c.srai 1", C1("c.srai a0, 1", a));
		show("c.srai 31", C1("c.srai a0, 31", a));
		show("c.andi -1", C1("c.andi a0, -1", a));
		show("c.andi -32", C1("c.andi a0, -32", a));
		show("c.andi 21", C1("c.andi a0, 21", a));
		show("c.slli 1", C1("c.slli a0, 1", a));
		show("c.slli 31", C1("c.slli a0, 31", a));
		for (int j = 0; j < NV; j += 2) {
			u32 b = vals[j];
			show("c.sub", C2("c.sub a0, a1", a, b));
			show("c.xor", C2("c.xor a0, a1", a, b));
			show("c.or", C2("c.or a0, a1", a, b));
			show("c.and", C2("c.and a0, a1", a, b));
			show("c.add", C2("c.add a0, a1", a, b));
			show("c.mv", C2("c.mv a0, a1", a, b));
		}
	}
	u32 sp_off, r;
	__asm__ volatile("mv t0, sp\n\tc.addi4spn a0, sp, 1020\n\tsub %0, a0, t0"
			 : "=r"(sp_off) : : "a0", "t0");
	show("c.addi4spn 1020", sp_off);
	__asm__ volatile("mv t0, sp\n\tc.addi4spn a0, sp, 4\n\tsub %0, a0, t0"
			 : "=r"(sp_off) : : "a0", "t0");
	show("c.addi4spn 4", sp_off);
	__asm__ volatile("mv t0, sp\n\tc.addi16sp sp, -512\n\tsub %0, t0, sp\n\t"
			 "c.addi16sp sp, 496\n\tc.addi16sp sp, 16"
			 : "=r"(r) : : "t0");
	show("c.addi16sp -512", r);
	__asm__ volatile("c.nop\n\tli %0, 5\n\tc.nop" : "=r"(r));
	show("c.nop", r);
}

static void
test_memory(void)
{
	printf("# compressed loads and stores\n");
	static u32 buf[40];
	for (int i = 0; i < 40; i++)
		buf[i] = 0x01010101u * (u32)i ^ 0x80000000u;
	u32 r;
	__asm__ volatile("mv a1, %1\n\tc.lw a0, 124(a1)\n\tmv %0, a0"
			 : "=r"(r) : "r"(buf) : "a0", "a1");
	show("c.lw 124", r);
	__asm__ volatile("mv a1, %1\n\tc.lw a0, 0(a1)\n\tmv %0, a0"
			 : "=r"(r) : "r"(buf + 3) : "a0", "a1");
	show("c.lw 0", r);
	__asm__ volatile("mv a1, %0\n\tli a0, -7\n\tc.sw a0, 124(a1)\n\tc.sw a0, 4(a1)"
			 : : "r"(buf) : "a0", "a1", "memory");
	show("c.sw 124", buf[31]);
	show("c.sw 4", buf[1]);
	/* sp-relative: a frame of 256 bytes */
	__asm__ volatile("addi sp, sp, -256\n\t"
			 "li a0, 0x5a5a\n\tc.swsp a0, 252(sp)\n\tc.swsp a0, 0(sp)\n\t"
			 "c.lwsp a1, 252(sp)\n\tc.lwsp a2, 0(sp)\n\tadd %0, a1, a2\n\t"
			 "addi sp, sp, 256"
			 : "=r"(r) : : "a0", "a1", "a2", "memory");
	show("c.swsp/c.lwsp", r);
	/* misaligned compressed loads and stores work, as under qemu */
	u32 m;
	__asm__ volatile("mv a1, %1\n\taddi a1, a1, 1\n\tli a0, 0x11223344\n\t"
			 "c.sw a0, 0(a1)\n\tc.lw a2, 0(a1)\n\tmv %0, a2"
			 : "=r"(m) : "r"(buf + 8) : "a0", "a1", "a2", "memory");
	show("c.sw/c.lw misaligned", m);
	show("bytes around it", buf[8] ^ buf[9]);
}

static void
test_control(void)
{
	printf("# compressed jumps and branches at 2-aligned pcs\n");
	u32 r, link;
	/* c.j over a 32-bit instruction; c.beqz/c.bnez both ways */
	__asm__ volatile("li a0, 0\n\t"
			 "c.j 1f\n\t"
			 "addi a0, a0, 100\n"
			 "1:\tc.addi a0, 1\n\t"
			 "li a1, 0\n\t"
			 "c.beqz a1, 2f\n\t"
			 "addi a0, a0, 100\n"
			 "2:\tc.bnez a1, 3f\n\t"
			 "c.addi a0, 2\n"
			 "3:\tmv %0, a0"
			 : "=r"(r) : : "a0", "a1");
	show("c.j c.beqz c.bnez", r);
	/* c.jal and c.jalr link pc+2; c.jr returns through it */
	__asm__ volatile("mv t1, ra\n\t"
			 "li a0, 0\n\t"
			 ".balign 4\n\t"
			 "c.nop\n\t"
			 "c.jal 1f\n"
			 "0:\tc.j 2f\n"
			 "1:\tc.addi a0, 3\n\t"
			 "auipc t2, 0\n\t"
			 "sub t2, ra, t2\n\t"
			 "c.jr ra\n"
			 "2:\tla t0, 1b\n\t"
			 "c.jalr t0\n\t"
			 "mv %1, t2\n\t"
			 "mv ra, t1\n\t"
			 "mv %0, a0"
			 : "=r"(r), "=r"(link)
			 : : "a0", "t0", "t1", "t2", "ra");
	show("c.jal/c.jalr/c.jr", r);
	show("link minus target", link);
	/* a loop closed by c.bnez, counting with c.addi */
	__asm__ volatile("li a0, 0\n\tli a1, 1000\n"
			 "1:\tc.addi a0, 3\n\tc.addi a1, -1\n\tc.bnez a1, 1b\n\t"
			 "mv %0, a0"
			 : "=r"(r) : : "a0", "a1");
	show("c.bnez loop", r);
	/* jalr to an odd address: bit 0 is dropped, lands 2-aligned */
	__asm__ volatile("li a0, 0\n\t"
			 "la t0, 1f\n\t"
			 "addi t0, t0, 1\n\t"
			 "jalr zero, 0(t0)\n\t"
			 "c.addi a0, 7\n"
			 ".balign 4\n"
			 "1:\tc.addi a0, 1\n\t"
			 "c.addi a0, 2\n\t"
			 "mv %0, a0"
			 : "=r"(r) : : "a0", "t0");
	show("jalr odd target", r);
}

#define AMO(op, addr, v)                                                  \
	({                                                                \
		u32 r_;                                                   \
		__asm__ volatile(op " %0, %2, (%1)"                       \
				 : "=r"(r_) : "r"(addr), "r"(v) : "memory"); \
		r_;                                                       \
	})

static void
test_amo(void)
{
	printf("# amo*.w on edge values\n");
	static volatile u32 word;
	static const char *const names[] = {
		"amoswap.w", "amoadd.w", "amoxor.w", "amoand.w", "amoor.w",
		"amomin.w", "amomax.w", "amominu.w", "amomaxu.w"};
	for (int i = 0; i < NV; i++)
		for (int j = 0; j < NV; j++) {
			u32 a = vals[i], b = vals[j], old, now;
			for (int k = 0; k < 9; k++) {
				word = a;
				switch (k) {
				case 0: old = AMO("amoswap.w", &word, b); break;
				case 1: old = AMO("amoadd.w.aq", &word, b); break;
				case 2: old = AMO("amoxor.w.rl", &word, b); break;
				case 3: old = AMO("amoand.w.aqrl", &word, b); break;
				case 4: old = AMO("amoor.w", &word, b); break;
				case 5: old = AMO("amomin.w", &word, b); break;
				case 6: old = AMO("amomax.w", &word, b); break;
				case 7: old = AMO("amominu.w", &word, b); break;
				default: old = AMO("amomaxu.w", &word, b); break;
				}
				now = word;
				if (old != a)
					printf("%s returned %08x, not %08x\n", names[k], old, a);
				checksum = mix32(checksum, now);
				if (i == 3 || j == 3)
					printf("%-10s %08x %08x -> %08x\n", names[k], a, b, now);
			}
		}
	/* rd = x0: the memory still changes */
	word = 5;
	__asm__ volatile("amoadd.w zero, %1, (%0)" : : "r"(&word), "r"(3) : "memory");
	show("amoadd.w rd=x0", word);
}

static u32
lr(volatile u32 *p)
{
	u32 r;
	__asm__ volatile("lr.w %0, (%1)" : "=r"(r) : "r"(p) : "memory");
	return r;
}

static u32
sc(volatile u32 *p, u32 v)
{
	u32 r;
	__asm__ volatile("sc.w %0, %2, (%1)" : "=r"(r) : "r"(p), "r"(v) : "memory");
	return r;
}

static void
test_lrsc(void)
{
	printf("# lr.w / sc.w reservations\n");
	static volatile u32 w[4];
	w[0] = 10;
	w[1] = 20;
	show("sc without lr", sc(&w[0], 1));
	show("  memory", w[0]);
	show("lr", lr(&w[0]));
	show("sc after lr", sc(&w[0], 11));
	show("  memory", w[0]);
	show("second sc", sc(&w[0], 12));
	show("  memory", w[0]);
	lr(&w[0]);
	show("sc other address", sc(&w[1], 21));
	show("then sc reserved", sc(&w[0], 13));
	lr(&w[0]);
	lr(&w[1]);
	show("sc older reservation", sc(&w[0], 14));
	show("sc newer reservation", sc(&w[1], 22));
	lr(&w[0]);
	w[0] = 11; /* the same value again: qemu's sc still succeeds */
	show("sc after same store", sc(&w[0], 15));
	lr(&w[0]);
	w[0] = 99;
	show("sc after other store", sc(&w[0], 16));
	show("  memory", w[0]);
	u32 r;
	__asm__ volatile("lr.w.aqrl t0, (%1)\n\taddi t0, t0, 1\n\t"
			 "sc.w.aqrl %0, t0, (%1)"
			 : "=r"(r) : "r"(&w[2]) : "t0", "memory");
	show("lr.aqrl/sc.aqrl", r);
	show("  memory", w[2]);
	/* a compare-and-swap loop, as libraries write it */
	u32 total = 0;
	for (int i = 0; i < 100; i++) {
		u32 old, fail;
		do {
			old = lr(&w[3]);
			fail = sc(&w[3], old + (u32)i);
		} while (fail);
		total += old;
	}
	show("cas loop memory", w[3]);
	show("cas loop olds", total);
}

static void
test_c11(void)
{
	printf("# C11 atomics\n");
	static _Atomic int counter;
	static _Atomic unsigned flags;
	atomic_store(&counter, 5);
	int prev = atomic_fetch_add(&counter, 7);
	show("fetch_add old", (u32)prev);
	show("fetch_add new", (u32)atomic_load(&counter));
	int expect = 12;
	show("cas ok", atomic_compare_exchange_strong(&counter, &expect, 40));
	expect = 1;
	show("cas fails", atomic_compare_exchange_strong(&counter, &expect, 41));
	show("  expected now", (u32)expect);
	atomic_fetch_or(&flags, 0x80000001u);
	atomic_fetch_and(&flags, 0xfffffff1u);
	atomic_fetch_xor(&flags, 0x0000ffffu);
	show("flags", atomic_load(&flags));
	show("exchange", (u32)atomic_exchange(&counter, -3));
	show("sub", (u32)atomic_fetch_sub(&counter, 5));
	show("final", (u32)atomic_load(&counter));
}

static void
test_counters(void)
{
	printf("# counters (properties only: qemu-riscv32 gives host ticks)\n");
	u32 ok = 1;
	for (int i = 0; i < 50; i++) {
		u32 c0, c1, n0, n1, t0, t1, h0, h1;
		__asm__ volatile("rdinstreth %0\n\trdinstret %1" : "=r"(h0), "=r"(n0));
		__asm__ volatile("rdcycle %0\n\trdtime %1" : "=r"(c0), "=r"(t0));
		for (volatile int k = 0; k < 20; k++)
			;
		__asm__ volatile("rdtime %1\n\trdcycle %0" : "=r"(c1), "=r"(t1));
		__asm__ volatile("rdinstret %1\n\trdinstreth %0" : "=r"(h1), "=r"(n1));
		/* 64-bit differences, as long as the high halves did not move */
		if (h0 == h1 && n1 - n0 == 0)
			ok = 0;
		if (c1 == c0 && t1 == t0 && n1 == n0)
			ok = 0;
		if (h1 < h0)
			ok = 0;
	}
	u32 x;
	/* -march=rv32imac leaves Zicsr out of gcc 12's assembler */
	__asm__ volatile(".option push\n\t.option arch, +zicsr\n\t"
			 "csrrs %0, cycle, zero\n\tcsrrc %0, time, zero\n\t"
			 "csrrsi %0, instret, 0\n\tcsrrci %0, cycleh, 0\n\t"
			 ".option pop"
			 : "=r"(x));
	show("counters advance", ok);
}

int
main(void)
{
	test_alu();
	test_memory();
	test_control();
	test_amo();
	test_lrsc();
	test_c11();
	test_counters();
	printf("checksum %08x\n", checksum);
	return 0;
}
