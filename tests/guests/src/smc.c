/*
 * smc - self-modifying code under Zifencei, built -march=rv32imac.
 * A buffer in a writable and executable section (.smc_code, flags "awx",
 * which the linker places in an RWX segment) receives instructions; the
 * program runs them, rewrites them after fence.i and runs them again,
 * many times in a loop so that the old code is translated, cached and hot
 * when it changes.  Only behaviour after fence.i is printed (without it,
 * what stale code does is unspecified).
 * usage: smc
 */
#include "common.h"

__asm__(".section .smc_code,\"awx\",@progbits\n"
	".balign 4\n"
	".globl smc_buf\n"
	"smc_buf:\n"
	".space 256\n"
	".previous\n");
extern unsigned int smc_buf[64];

typedef u32 (*fn_t)(u32);

static u32
encode_addi(int rd, int rs1, int imm)
{
	return ((u32)(imm & 0xfff) << 20) | ((u32)rs1 << 15) | ((u32)rd << 7) | 0x13;
}

static const u32 RET = 0x00008067; /* jalr zero, 0(ra) */

static void
fence_i(void)
{
	/* -march=rv32imac leaves Zifencei out of gcc 12's assembler */
	__asm__ volatile(".option push\n\t.option arch, +zifencei\n\t"
			 "fence.i\n\t.option pop" ::: "memory");
}

/* a0 = a0 + k; ret */
static void
write_add(int k)
{
	smc_buf[0] = encode_addi(10, 10, k);
	smc_buf[1] = RET;
}

int
main(void)
{
	volatile fn_t f = (fn_t)(void *)smc_buf;
	u32 checksum = 0;
	/* rewrite and rerun, again and again: every version must take effect */
	for (int round = 0; round < 200; round++) {
		write_add(round - 100);
		fence_i();
		u32 sum = 0;
		for (u32 i = 0; i < 50; i++)
			sum += f(i);
		checksum = mix32(checksum, sum);
		if (round % 40 == 0)
			printf("round %3d: sum %08x\n", round, sum);
	}
	/* a longer body: a loop written at run time (sum of 1..a0) */
	smc_buf[0] = encode_addi(11, 0, 0);     /* li a1, 0 */
	smc_buf[1] = 0x00a585b3;                /* 1: add a1, a1, a0 */
	smc_buf[2] = encode_addi(10, 10, -1);   /* addi a0, a0, -1 */
	smc_buf[3] = 0xfe051ce3;                /* bnez a0, 1b */
	smc_buf[4] = encode_addi(10, 11, 0);    /* mv a0, a1 */
	smc_buf[5] = RET;
	fence_i();
	printf("triangle(1000) = %u\n", f(1000));
	/* then the same body with its add turned into a xor */
	smc_buf[1] = 0x00a5c5b3; /* xor a1, a1, a0 */
	fence_i();
	printf("xor 1..1000 = %u\n", f(1000));
	/* compressed code: c.addi a0, 3; c.addi a0, 3; c.jr ra, at a
	 * 2-aligned entry in the middle of a word */
	smc_buf[8] = 0x050d0001;  /* c.nop, c.addi a0, 3 */
	smc_buf[9] = 0x8082050d;  /* c.addi a0, 3, c.jr ra */
	fence_i();
	fn_t g = (fn_t)(void *)((char *)smc_buf + 34);
	printf("compressed from +34: %u\n", g(10));
	smc_buf[9] = 0x80820515;  /* c.addi a0, 5, c.jr ra */
	fence_i();
	printf("compressed rewritten: %u\n", g(10));
	/* a 32-bit instruction straddling two words, entered at +2 */
	smc_buf[16] = 0x05130001;  /* c.nop, low half of addi a0, a0, 64 */
	smc_buf[17] = 0x80820405;  /* high half, c.jr ra */
	fence_i();
	fn_t h = (fn_t)(void *)((char *)smc_buf + 66);
	printf("straddling addi: %u\n", h(1));
	printf("checksum %08x\n", checksum);
	return 0;
}
