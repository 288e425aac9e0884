/**
 * riscv32's Linux user-mode interface: its ELF machine and header checks,
 * the unmapped first page, the system call numbers (asm-generic's) and the
 * calling convention (the number in a7, arguments in a0..a5, the result in
 * a0; the stack pointer in x2).
 *
 * @module
 */

import type { LinuxAbi, SyscallNumbers } from "../../linux_user/abi.ts";
import { MEM_LOW, type RiscvCpu } from "./cpu.ts";
import { elfFlagsProblem, rv64Problem } from "./isa.ts";

/** The ELF machine number (EM_RISCV). */
export const ELF_MACHINE = 243;

/** System call number register and argument registers (a7; a0..a5). */
export const SYSCALL_NR_REG = 17;
/** The first argument and result register (a0). */
export const SYSCALL_ARG0_REG = 10;

/**
 * riscv32 Linux's system call numbers (asm-generic's, with 32-bit time
 * only), by the generic names the system calls layer serves.
 */
export const NR = {
  getcwd: 17,
  dup: 23,
  dup3: 24,
  fcntl: 25,
  ioctl: 29,
  mkdirat: 34,
  unlinkat: 35,
  faccessat: 48,
  openat: 56,
  close: 57,
  /** `_llseek(fd, offset_high, offset_low, loff_t *result, whence)`: 32-bit targets have no plain lseek. */
  llseek: 62,
  read: 63,
  write: 64,
  readv: 65,
  writev: 66,
  readlinkat: 78,
  /** `fstatat64` on 32-bit targets: a 104-byte `struct stat64`. */
  newfstatat: 79,
  /** `fstat64` on 32-bit targets: a 104-byte `struct stat64`. */
  fstat: 80,
  exit: 93,
  exit_group: 94,
  set_tid_address: 96,
  /** Not on riscv32 (32-bit time): -ENOSYS. */
  futex: 98,
  set_robust_list: 99,
  /** Not on riscv32 (32-bit time): -ENOSYS. */
  nanosleep: 101,
  /** Not on riscv32 (32-bit time): -ENOSYS. */
  clock_gettime: 113,
  /** Not on riscv32 (32-bit time): -ENOSYS. */
  clock_getres: 114,
  /** Not on riscv32 (32-bit time): -ENOSYS. */
  clock_nanosleep: 115,
  sched_getaffinity: 123,
  sched_yield: 124,
  kill: 129,
  tkill: 130,
  tgkill: 131,
  sigaltstack: 132,
  rt_sigaction: 134,
  rt_sigprocmask: 135,
  times: 153,
  uname: 160,
  getrlimit: 163,
  getrusage: 165,
  umask: 166,
  /** Not on riscv32 (32-bit time): -ENOSYS. */
  gettimeofday: 169,
  getpid: 172,
  getppid: 173,
  getuid: 174,
  geteuid: 175,
  getgid: 176,
  getegid: 177,
  gettid: 178,
  sysinfo: 179,
  brk: 214,
  munmap: 215,
  mremap: 216,
  /** `mmap2`: the offset is in 4096-byte pages. */
  mmap: 222,
  mprotect: 226,
  madvise: 233,
  /** `riscv_hwprobe`: -ENOSYS, as under qemu-riscv32. */
  hwprobe: 258,
  /** `riscv_flush_icache`. */
  flush_icache: 259,
  prlimit64: 261,
  renameat2: 276,
  getrandom: 278,
  statx: 291,
  rseq: 293,
  clock_gettime64: 403,
  clock_getres_time64: 406,
  clock_nanosleep_time64: 407,
  futex_time64: 422,
  faccessat2: 439,
} as const satisfies SyscallNumbers;

/** riscv32 as the loader and the system calls see it. */
export const RISCV32_LINUX: LinuxAbi<RiscvCpu> = {
  elfMachine: ELF_MACHINE,
  elfFlagsProblem,
  elf64Problem: rv64Problem(),
  memLow: MEM_LOW,
  unameMachine: "riscv32",
  syscalls: NR,
  syscallNr: (s) => s.x[SYSCALL_NR_REG],
  syscallArg: (s, k) => s.x[SYSCALL_ARG0_REG + k],
  setSyscallResult: (s, v) => {
    s.x[SYSCALL_ARG0_REG] = v;
  },
  setStackPointer: (s, sp) => {
    s.x[2] = sp;
  },
};
