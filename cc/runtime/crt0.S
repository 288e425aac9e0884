/*
 * crt0.S - process entry for programs built with `deno task cc`
 * (RV32, Linux user mode, picolibc).
 *
 * The Linux initial stack at sp holds:
 *   0(sp)            argc
 *   4(sp)..          argv[0] .. argv[argc-1], NULL
 *   then             envp[0] .. NULL, then the auxiliary vector
 *                    (pairs of words: type, value; ends with type 0).
 * All other registers are undefined (qemu and Linux give zeros).
 *
 * _start sets gp (for linker relaxation against __global_pointer$) and tp
 * (the thread pointer: picolibc keeps errno in thread-local storage; the
 * single TLS block is the .tdata/.tbss area itself, already initialised by
 * the loader), stores envp in `environ` (for getenv) and the auxiliary
 * vector's address in `__oplet_auxv` (for getauxval), runs constructors,
 * calls main(argc, argv, envp) and hands its result to exit(), which runs
 * destructors (flushing stdout) and then _exit().
 */
	.file	"crt0.S"
	.section .text.init.enter, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base

	lw	s0, 0(sp)		/* s0 = argc */
	addi	s1, sp, 4		/* s1 = argv */
	slli	s2, s0, 2
	add	s2, s2, s1
	addi	s2, s2, 4		/* s2 = envp = argv + argc + 1 */
	la	t0, environ
	sw	s2, 0(t0)
	mv	t0, s2
1:	lw	t1, 0(t0)		/* skip the environment to its NULL */
	addi	t0, t0, 4
	bnez	t1, 1b
	la	t1, __oplet_auxv
	sw	t0, 0(t1)
	andi	sp, sp, -16		/* keep the ABI's 16-byte alignment */

	call	__libc_init_array

	mv	a0, s0
	mv	a1, s1
	mv	a2, s2
	call	main
	call	exit
2:	j	2b			/* exit() does not return */
	.size	_start, . - _start
