/*
 * interp - a small stack-based bytecode virtual machine with a tiny
 * assembler (labels, forward references).  Runs three bytecode programs:
 * prime counting by trial division, recursive Fibonacci with CALL/RET, and
 * the longest Collatz chain; results are checked against native C.
 * usage: interp [N]   (scale, default 400)
 */
#include "common.h"
#include <string.h>

enum op {
	OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_OVER,
	OP_LOAD, OP_STORE, /* locals of the current frame */
	OP_GLOAD, OP_GSTORE,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG,
	OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR,
	OP_LT, OP_LE, OP_EQ, OP_NE,
	OP_JMP, OP_JZ, OP_JNZ,
	OP_CALL, OP_RET, OP_PRINT,
	OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"halt", "push", "pop", "dup", "swap", "over", "load", "store", "gload",
	"gstore", "add", "sub", "mul", "div", "mod", "neg", "and", "or", "xor",
	"shl", "shr", "lt", "le", "eq", "ne", "jmp", "jz", "jnz", "call", "ret",
	"print"};

/* ---------------- assembler ---------------- */

#define MAXCODE 1024
#define MAXLABELS 32

struct asm_state {
	int code[MAXCODE];
	int n;
	int label_at[MAXLABELS];
	int fix_at[MAXCODE], fix_label[MAXCODE], nfix;
};

static void
emit(struct asm_state *a, int op)
{
	a->code[a->n++] = op;
}

static void
emit1(struct asm_state *a, int op, int arg)
{
	a->code[a->n++] = op;
	a->code[a->n++] = arg;
}

static void
emit_jump(struct asm_state *a, int op, int label)
{
	a->code[a->n++] = op;
	a->fix_at[a->nfix] = a->n;
	a->fix_label[a->nfix++] = label;
	a->code[a->n++] = -1;
}

/* CALL target, nargs */
static void
emit_call(struct asm_state *a, int label, int nargs)
{
	emit_jump(a, OP_CALL, label);
	a->code[a->n++] = nargs;
}

static void
label(struct asm_state *a, int l)
{
	a->label_at[l] = a->n;
}

static void
link_code(struct asm_state *a)
{
	for (int i = 0; i < a->nfix; i++)
		a->code[a->fix_at[i]] = a->label_at[a->fix_label[i]];
}

/* ---------------- VM ---------------- */

#define STACK 4096
#define FRAMES 512
#define NLOCALS 8

static int globals[16];
static u32 executed;
static int op_counts[OP_COUNT];

static int
run(const int *code, int pc, int trace_prints)
{
	int stack[STACK];
	int sp = 0;
	int locals[FRAMES][NLOCALS];
	int ret_pc[FRAMES];
	int fp = 0;
	u32 count = 0;
	int last = 0;
	for (;;) {
		int op = code[pc++];
		count++;
		op_counts[op]++;
		switch (op) {
		case OP_HALT:
			executed += count;
			return sp > 0 ? stack[sp - 1] : last;
		case OP_PUSH:
			stack[sp++] = code[pc++];
			break;
		case OP_POP:
			sp--;
			break;
		case OP_DUP:
			stack[sp] = stack[sp - 1];
			sp++;
			break;
		case OP_SWAP: {
			int t = stack[sp - 1];
			stack[sp - 1] = stack[sp - 2];
			stack[sp - 2] = t;
			break;
		}
		case OP_OVER:
			stack[sp] = stack[sp - 2];
			sp++;
			break;
		case OP_LOAD:
			stack[sp++] = locals[fp][code[pc++]];
			break;
		case OP_STORE:
			locals[fp][code[pc++]] = stack[--sp];
			break;
		case OP_GLOAD:
			stack[sp++] = globals[code[pc++]];
			break;
		case OP_GSTORE:
			globals[code[pc++]] = stack[--sp];
			break;
#define BIN(OP, EXPR)                               \
	case OP: {                                  \
		int b = stack[--sp], a = stack[sp - 1]; \
		stack[sp - 1] = (EXPR);             \
		break;                              \
	}
			BIN(OP_ADD, a + b)
			BIN(OP_SUB, a - b)
			BIN(OP_MUL, a * b)
			BIN(OP_DIV, b ? a / b : 0)
			BIN(OP_MOD, b ? a % b : 0)
			BIN(OP_AND, a & b)
			BIN(OP_OR, a | b)
			BIN(OP_XOR, a ^ b)
			BIN(OP_SHL, (int)((unsigned)a << (b & 31)))
			BIN(OP_SHR, (int)((unsigned)a >> (b & 31)))
			BIN(OP_LT, a < b)
			BIN(OP_LE, a <= b)
			BIN(OP_EQ, a == b)
			BIN(OP_NE, a != b)
#undef BIN
		case OP_NEG:
			stack[sp - 1] = -stack[sp - 1];
			break;
		case OP_JMP:
			pc = code[pc];
			break;
		case OP_JZ:
			pc = stack[--sp] == 0 ? code[pc] : pc + 1;
			break;
		case OP_JNZ:
			pc = stack[--sp] != 0 ? code[pc] : pc + 1;
			break;
		case OP_CALL: {
			int target = code[pc], nargs = code[pc + 1];
			ret_pc[fp] = pc + 2;
			fp++;
			for (int i = nargs - 1; i >= 0; i--)
				locals[fp][i] = stack[--sp];
			pc = target;
			break;
		}
		case OP_RET:
			fp--;
			pc = ret_pc[fp];
			break;
		case OP_PRINT:
			last = stack[--sp];
			if (trace_prints)
				printf("  vm print: %d\n", last);
			break;
		default:
			printf("bad opcode %d at %d\n", op, pc - 1);
			return -1;
		}
	}
}

/* primes below n by trial division; result left on the stack */
static void
asm_primes(struct asm_state *a, int n)
{
	enum { L_OUTER, L_INNER, L_NEXT, L_PRIME, L_DONE };
	/* local 0 = i, 1 = d, 2 = count */
	emit1(a, OP_PUSH, 0);
	emit1(a, OP_STORE, 2);
	emit1(a, OP_PUSH, 2);
	emit1(a, OP_STORE, 0);
	label(a, L_OUTER);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_PUSH, n);
	emit(a, OP_LT);
	emit_jump(a, OP_JZ, L_DONE);
	emit1(a, OP_PUSH, 2);
	emit1(a, OP_STORE, 1);
	label(a, L_INNER);
	/* if d*d > i: prime */
	emit1(a, OP_LOAD, 1);
	emit(a, OP_DUP);
	emit(a, OP_MUL);
	emit1(a, OP_LOAD, 0);
	emit(a, OP_LE);
	emit_jump(a, OP_JZ, L_PRIME);
	/* if i % d == 0: composite */
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_LOAD, 1);
	emit(a, OP_MOD);
	emit_jump(a, OP_JZ, L_NEXT);
	emit1(a, OP_LOAD, 1);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_ADD);
	emit1(a, OP_STORE, 1);
	emit_jump(a, OP_JMP, L_INNER);
	label(a, L_PRIME);
	emit1(a, OP_LOAD, 2);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_ADD);
	emit1(a, OP_STORE, 2);
	label(a, L_NEXT);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_ADD);
	emit1(a, OP_STORE, 0);
	emit_jump(a, OP_JMP, L_OUTER);
	label(a, L_DONE);
	emit1(a, OP_LOAD, 2);
	emit(a, OP_HALT);
}

/* fib(n) = n < 2 ? n : fib(n-1) + fib(n-2), as a real recursive function */
static void
asm_fib(struct asm_state *a, int n)
{
	enum { L_FIB, L_BASE };
	emit1(a, OP_PUSH, n);
	emit_call(a, L_FIB, 1);
	emit(a, OP_HALT);
	label(a, L_FIB);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_PUSH, 2);
	emit(a, OP_LT);
	emit_jump(a, OP_JNZ, L_BASE);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_SUB);
	emit_call(a, L_FIB, 1);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_PUSH, 2);
	emit(a, OP_SUB);
	emit_call(a, L_FIB, 1);
	emit(a, OP_ADD);
	emit(a, OP_RET);
	label(a, L_BASE);
	emit1(a, OP_LOAD, 0);
	emit(a, OP_RET);
}

/* longest Collatz chain for starts below n; prints start and length */
static void
asm_collatz(struct asm_state *a, int n)
{
	enum { L_OUTER, L_STEP, L_EVEN, L_JOIN, L_END, L_NOTBEST, L_DONE };
	/* locals: 0 = start, 1 = x, 2 = steps; globals: 0 = best len, 1 = best start */
	emit1(a, OP_PUSH, 1);
	emit1(a, OP_STORE, 0);
	label(a, L_OUTER);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_PUSH, n);
	emit(a, OP_LT);
	emit_jump(a, OP_JZ, L_DONE);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_STORE, 1);
	emit1(a, OP_PUSH, 0);
	emit1(a, OP_STORE, 2);
	label(a, L_STEP);
	emit1(a, OP_LOAD, 1);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_NE);
	emit_jump(a, OP_JZ, L_END);
	emit1(a, OP_LOAD, 1);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_AND);
	emit_jump(a, OP_JZ, L_EVEN);
	emit1(a, OP_LOAD, 1);
	emit1(a, OP_PUSH, 3);
	emit(a, OP_MUL);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_ADD);
	emit_jump(a, OP_JMP, L_JOIN);
	label(a, L_EVEN);
	emit1(a, OP_LOAD, 1);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_SHR);
	label(a, L_JOIN);
	emit1(a, OP_STORE, 1);
	emit1(a, OP_LOAD, 2);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_ADD);
	emit1(a, OP_STORE, 2);
	emit_jump(a, OP_JMP, L_STEP);
	label(a, L_END);
	emit1(a, OP_GLOAD, 0);
	emit1(a, OP_LOAD, 2);
	emit(a, OP_LT);
	emit_jump(a, OP_JZ, L_NOTBEST);
	emit1(a, OP_LOAD, 2);
	emit1(a, OP_GSTORE, 0);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_GSTORE, 1);
	label(a, L_NOTBEST);
	emit1(a, OP_LOAD, 0);
	emit1(a, OP_PUSH, 1);
	emit(a, OP_ADD);
	emit1(a, OP_STORE, 0);
	emit_jump(a, OP_JMP, L_OUTER);
	label(a, L_DONE);
	emit1(a, OP_GLOAD, 1);
	emit(a, OP_PRINT);
	emit1(a, OP_GLOAD, 0);
	emit(a, OP_PRINT);
	emit1(a, OP_GLOAD, 0);
	emit(a, OP_HALT);
}

static int
native_primes(int n)
{
	int count = 0;
	for (int i = 2; i < n; i++) {
		int d = 2;
		while (d * d <= i && i % d)
			d++;
		count += d * d > i;
	}
	return count;
}

static int
native_fib(int n)
{
	return n < 2 ? n : native_fib(n - 1) + native_fib(n - 2);
}

static void
disassemble(const struct asm_state *a, int limit)
{
	for (int pc = 0; pc < a->n && pc < limit;) {
		int op = a->code[pc];
		printf("  %3d: %-6s", pc, op_names[op]);
		pc++;
		switch (op) {
		case OP_PUSH:
		case OP_LOAD:
		case OP_STORE:
		case OP_GLOAD:
		case OP_GSTORE:
		case OP_JMP:
		case OP_JZ:
		case OP_JNZ:
			printf(" %d", a->code[pc++]);
			break;
		case OP_CALL:
			printf(" %d, %d", a->code[pc], a->code[pc + 1]);
			pc += 2;
			break;
		}
		printf("\n");
	}
}

int
main(int argc, char **argv)
{
	int n = (int)arg_long(argc, argv, 1, 400);
	/* fib depth grows slowly with N so all three parts scale together */
	int fibn = 12;
	while (fibn < 40 && (1 << (fibn - 11)) * 110 < n)
		fibn++;
	printf("interp: N=%d\n", n);
	static struct asm_state a;

	memset(&a, 0, sizeof(a));
	asm_primes(&a, n * 4);
	link_code(&a);
	printf("primes program: %d words\n", a.n);
	disassemble(&a, 24);
	int p = run(a.code, 0, 0);
	int pn = native_primes(n * 4);
	printf("primes below %d: vm=%d native=%d %s\n", n * 4, p, pn,
	       p == pn ? "ok" : "MISMATCH");

	memset(&a, 0, sizeof(a));
	asm_fib(&a, fibn);
	link_code(&a);
	int f = run(a.code, 0, 0);
	int fnat = native_fib(fibn);
	printf("fib(%d): vm=%d native=%d %s\n", fibn, f, fnat,
	       f == fnat ? "ok" : "MISMATCH");

	memset(&a, 0, sizeof(a));
	memset(globals, 0, sizeof(globals));
	asm_collatz(&a, n);
	link_code(&a);
	int c = run(a.code, 0, 1);
	printf("collatz below %d: longest chain %d steps\n", n, c);

	printf("vm instructions executed: %u\n", executed);
	printf("opcode histogram:");
	for (int i = 0; i < OP_COUNT; i++)
		if (op_counts[i])
			printf(" %s=%d", op_names[i], op_counts[i]);
	printf("\n");
	return p == pn && f == fnat ? 0 : 1;
}
