/**
 * What the Linux user-mode layer (the ELF loader and the system calls)
 * needs from a target: its ELF machine and header checks, its guest memory
 * layout, its system call numbers and the registers a call passes its
 * number, arguments and result in. A target provides one as
 * `Target.linux`; `targets/riscv32/linux.ts` is riscv32's. Nothing in
 * `linux_user/` names a target.
 *
 * @module
 */

import type { CpuState } from "../target.ts";

/**
 * The system calls the layer serves, by their generic names (Linux's
 * `asm-generic/unistd.h`, with the 32-bit variants where a 32-bit target
 * has them: `llseek` is `_llseek`, `newfstatat` and `fstat` the
 * `struct stat64` ones, `mmap` is `mmap2`). `hwprobe` and `flush_icache`
 * are a target's own calls (`riscv_hwprobe`, `riscv_flush_icache`).
 */
export const SYSCALL_NAMES = [
  "getcwd",
  "dup",
  "dup3",
  "fcntl",
  "ioctl",
  "faccessat",
  "openat",
  "close",
  "llseek",
  "read",
  "write",
  "readv",
  "writev",
  "readlinkat",
  "newfstatat",
  "fstat",
  "exit",
  "exit_group",
  "set_tid_address",
  "futex",
  "set_robust_list",
  "nanosleep",
  "clock_gettime",
  "clock_getres",
  "clock_nanosleep",
  "sched_getaffinity",
  "sched_yield",
  "kill",
  "tkill",
  "tgkill",
  "sigaltstack",
  "rt_sigaction",
  "rt_sigprocmask",
  "times",
  "uname",
  "getrlimit",
  "getrusage",
  "umask",
  "gettimeofday",
  "getpid",
  "getppid",
  "getuid",
  "geteuid",
  "getgid",
  "getegid",
  "gettid",
  "sysinfo",
  "brk",
  "munmap",
  "mremap",
  "mmap",
  "mprotect",
  "madvise",
  "hwprobe",
  "flush_icache",
  "prlimit64",
  "getrandom",
  "statx",
  "rseq",
  "clock_gettime64",
  "clock_getres_time64",
  "clock_nanosleep_time64",
  "futex_time64",
  "faccessat2",
  "mkdirat",
  "unlinkat",
  "renameat2",
] as const;

/** A system call's generic name (see {@link SYSCALL_NAMES}). */
export type SyscallName = typeof SYSCALL_NAMES[number];

/**
 * A target's system call numbers by generic name; a call the target does
 * not have is -1.
 */
export type SyscallNumbers = { readonly [K in SyscallName]: number };

/** The CPU state as the loader and the system calls reach it. */
export interface LinuxCpu extends CpuState {
  /** Guest memory as bytes. */
  readonly mu8: Uint8Array;
  /** Guest memory as 32-bit words. */
  readonly m32: Int32Array;
}

/** A target's Linux user-mode interface (see the module doc). */
export interface LinuxAbi<S extends LinuxCpu> {
  /** The ELF machine number executables must have (`e_machine`). */
  readonly elfMachine: number;
  /** Why an executable with these ELF header flags cannot run, or null when it can. */
  elfFlagsProblem(flags: number): string | null;
  /** The message for a 64-bit executable of {@link elfMachine}. */
  readonly elf64Problem: string;
  /** The lowest guest address a program may use (below it, the unmapped first page). */
  readonly memLow: number;
  /** The machine field `uname` reports. */
  readonly unameMachine: string;
  /** The system call numbers. */
  readonly syscalls: SyscallNumbers;
  /** The number of the system call being made. */
  syscallNr(s: S): number;
  /** Its argument `k` (0 to 5). */
  syscallArg(s: S, k: number): number;
  /** Gives it its result (or -errno). */
  setSyscallResult(s: S, value: number): void;
  /** Sets the stack pointer at the start (to the initial stack the loader built). */
  setStackPointer(s: S, sp: number): void;
}
