/**
 * The Linux system calls that static programs use, with the asm-generic
 * numbers that riscv32 uses, served the way QEMU's `linux-user/syscall.c`
 * serves them. Arguments come from a0..a5, the number from a7, the result
 * (or -errno) goes to a0.
 *
 * @module
 */

import type { Machine } from "../machine.ts";
import { mapped, type RiscvCpu } from "../targets/riscv32/cpu.ts";
import { SYSCALL_ARG0_REG, SYSCALL_NR_REG } from "../targets/riscv32/target.ts";
import { OpenPolicy } from "./open_policy.ts";

/** System call numbers (asm-generic, as riscv32 Linux has them). */
export const NR = {
  ioctl: 29,
  openat: 56,
  close: 57,
  /** `_llseek(fd, offset_high, offset_low, loff_t *result, whence)`: 32-bit targets have no plain lseek. */
  llseek: 62,
  read: 63,
  write: 64,
  writev: 66,
  fstat: 80,
  exit: 93,
  exit_group: 94,
  set_tid_address: 96,
  clock_gettime: 113,
  uname: 160,
  gettimeofday: 169,
  getpid: 172,
  brk: 214,
  getrandom: 278,
  clock_gettime64: 403,
} as const;

/** errno values the calls return (negated). */
export const ERRNO = {
  ENOENT: 2,
  EBADF: 9,
  EACCES: 13,
  EFAULT: 14,
  EINVAL: 22,
  ENOTTY: 25,
  ESPIPE: 29,
  ENOSYS: 38,
} as const;

/** Where the guest's standard streams go and come from. */
export interface GuestIo {
  /** Writes guest bytes to fd 1; returns how many were written. */
  stdout(bytes: Uint8Array): number;
  /** Writes guest bytes to fd 2. */
  stderr(bytes: Uint8Array): number;
  /** Reads into `buf` from fd 0; returns the count, 0 at end of file. */
  stdin(buf: Uint8Array): number;
  /** Whether fd 0..2 is a terminal (for ioctl TCGETS). */
  isTerminal(fd: number): boolean;
  /** Emulator messages (unknown system calls, faults). */
  warn(line: string): void;
}

/** The host's own streams. */
export const HOST_IO: GuestIo = {
  stdout: (b) => writeAll(Deno.stdout, b),
  stderr: (b) => writeAll(Deno.stderr, b),
  stdin: (b) => Deno.stdin.readSync(b) ?? 0,
  isTerminal: (fd) =>
    [Deno.stdin, Deno.stdout, Deno.stderr][fd]?.isTerminal() ?? false,
  warn: (l) => console.error(l),
};

function writeAll(
  f: { writeSync(b: Uint8Array): number },
  b: Uint8Array,
): number {
  let n = 0;
  while (n < b.length) n += f.writeSync(b.subarray(n));
  return n;
}

interface OpenFile {
  data: Uint8Array;
  pos: number;
}

/** One guest process's kernel-side state: its files, program break and exit. */
export class LinuxProcess {
  /** The I/O it is connected to. */
  readonly io: GuestIo;
  /** Host files and folders the guest may open (read-only). */
  readonly allowed: ReadonlySet<string>;
  /** How `allowed` is matched: files and folders, as Deno's `--allow-read`. */
  readonly openPolicy: OpenPolicy;
  /** The exit code once the guest has exited, else null. */
  exitCode: number | null = null;
  /** Current program break. */
  brk: number;
  /** Highest program break allowed (the stack's bottom). */
  readonly brkLimit: number;
  private readonly minBrk: number;
  private readonly files = new Map<number, OpenFile | "std">();
  private readonly warned = new Set<number>();

  /** Creates the process state; `brk` is the initial break. */
  constructor(
    io: GuestIo,
    brk: number,
    brkLimit: number,
    allowed: Iterable<string> = [],
  ) {
    this.io = io;
    this.brk = this.minBrk = brk;
    this.brkLimit = brkLimit;
    this.allowed = new Set(allowed);
    this.openPolicy = new OpenPolicy(this.allowed);
    for (const fd of [0, 1, 2]) this.files.set(fd, "std");
  }

  /** Serves the `ecall` at `m.cpu.pc`; returns true when the process has exited. */
  syscall = (m: Machine): boolean => {
    const s = m.cpu, x = s.x;
    const nr = x[SYSCALL_NR_REG];
    const a = SYSCALL_ARG0_REG;
    const r = this.dispatch(
      s,
      nr,
      x[a],
      x[a + 1],
      x[a + 2],
      x[a + 3],
      x[a + 4],
    );
    if (this.exitCode !== null) return true;
    x[a] = r;
    return false;
  };

  /** Serves system call `nr` with its arguments; returns the result or -errno. */
  private dispatch(
    s: RiscvCpu,
    nr: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    a4: number,
  ): number {
    switch (nr) {
      case NR.write:
        return this.write(s, a0, a1, a2);
      case NR.writev: {
        let total = 0;
        for (let k = 0; k < a2; k++) {
          const iov = (a1 + 8 * k) >>> 0;
          if (!mapped(s, iov, 8)) return total || -ERRNO.EFAULT;
          const n = this.write(s, a0, s.m32[iov >>> 2], s.m32[(iov >>> 2) + 1]);
          if (n < 0) return total || n;
          total += n;
        }
        return total;
      }
      case NR.read:
        return this.read(s, a0, a1, a2);
      case NR.exit:
      case NR.exit_group:
        this.exitCode = a0 & 0xff;
        return 0;
      case NR.brk: {
        const want = a0 >>> 0;
        if (want >= this.minBrk && want <= this.brkLimit) {
          if (want < this.brk) s.mu8.fill(0, want, this.brk);
          this.brk = want;
        }
        return this.brk;
      }
      case NR.close:
        return this.files.delete(a0) ? 0 : -ERRNO.EBADF;
      case NR.openat:
        return this.openat(s, a1, a2);
      case NR.llseek: {
        const f = this.files.get(a0);
        if (f === undefined) return -ERRNO.EBADF;
        if (f === "std") return -ERRNO.ESPIPE;
        const off = a1 * 4294967296 + (a2 >>> 0);
        const base = a4 === 0
          ? 0
          : a4 === 1
          ? f.pos
          : a4 === 2
          ? f.data.length
          : -1;
        if (base < 0 || base + off < 0) return -ERRNO.EINVAL;
        if (!mapped(s, a3, 8)) return -ERRNO.EFAULT;
        f.pos = base + off;
        s.m32[a3 >>> 2] = f.pos;
        s.m32[(a3 >>> 2) + 1] = Math.floor(f.pos / 4294967296);
        return 0;
      }
      case NR.fstat:
        return this.fstat(s, a0, a1);
      case NR.ioctl:
        if (!this.files.has(a0)) return -ERRNO.EBADF;
        if (
          a1 === 0x5401 && a0 <= 2 && this.files.get(a0) === "std" &&
          this.io.isTerminal(a0)
        ) {
          if (!mapped(s, a2, 60)) return -ERRNO.EFAULT;
          s.mu8.fill(0, a2 >>> 0, (a2 >>> 0) + 60);
          return 0;
        }
        return -ERRNO.ENOTTY;
      case NR.set_tid_address:
      case NR.getpid:
        return 1000;
      case NR.uname:
        return this.uname(s, a0);
      case NR.clock_gettime:
      case NR.clock_gettime64:
      case NR.gettimeofday: {
        if (a1 === 0 && nr === NR.gettimeofday) a1 = a0;
        const p = nr === NR.gettimeofday ? a0 : a1;
        if (p === 0) return 0;
        const wide = nr === NR.clock_gettime64;
        if (!mapped(s, p, wide ? 16 : 8)) return -ERRNO.EFAULT;
        const ms = nr !== NR.gettimeofday && a0 === 1
          ? performance.now()
          : Date.now();
        const sec = Math.floor(ms / 1000);
        const frac = nr === NR.gettimeofday
          ? Math.floor((ms % 1000) * 1000)
          : Math.floor((ms % 1000) * 1e6);
        const w = p >>> 2;
        if (wide) {
          s.m32[w] = sec;
          s.m32[w + 1] = 0;
          s.m32[w + 2] = frac;
          s.m32[w + 3] = 0;
        } else {
          s.m32[w] = sec;
          s.m32[w + 1] = frac;
        }
        return 0;
      }
      case NR.getrandom: {
        if (!mapped(s, a0, a1)) return -ERRNO.EFAULT;
        const b = s.mu8.subarray(a0 >>> 0, (a0 >>> 0) + a1);
        for (let k = 0; k < b.length; k += 65536) {
          crypto.getRandomValues(b.subarray(k, k + 65536));
        }
        return a1;
      }
      default:
        if (!this.warned.has(nr)) {
          this.warned.add(nr);
          this.io.warn(
            `oplet: unsupported system call ${nr} at pc 0x${
              (s.pc >>> 0).toString(16).padStart(8, "0")
            }: returning -ENOSYS`,
          );
        }
        return -ERRNO.ENOSYS;
    }
  }

  /** write(2) to fd 1 or 2. */
  private write(s: RiscvCpu, fd: number, buf: number, len: number): number {
    const f = this.files.get(fd);
    if (f === undefined || (f === "std" && fd === 0) || f !== "std") {
      return -ERRNO.EBADF;
    }
    if (len === 0) return 0;
    if (len < 0 || !mapped(s, buf, len)) return -ERRNO.EFAULT;
    const bytes = s.mu8.subarray(buf >>> 0, (buf >>> 0) + len);
    return fd === 1 ? this.io.stdout(bytes) : this.io.stderr(bytes);
  }

  /** read(2) from stdin or an opened file. */
  private read(s: RiscvCpu, fd: number, buf: number, len: number): number {
    const f = this.files.get(fd);
    if (f === undefined || (f === "std" && fd !== 0)) return -ERRNO.EBADF;
    if (len === 0) return 0;
    if (len < 0 || !mapped(s, buf, len)) return -ERRNO.EFAULT;
    const dst = s.mu8.subarray(buf >>> 0, (buf >>> 0) + len);
    if (f === "std") return this.io.stdin(dst);
    const n = Math.min(len, f.data.length - f.pos);
    if (n <= 0) return 0;
    dst.set(f.data.subarray(f.pos, f.pos + n));
    f.pos += n;
    return n;
  }

  /** openat(2), read-only, of an allowed file. */
  private openat(s: RiscvCpu, path: number, flags: number): number {
    const name = readCString(s, path);
    if (name === null) return -ERRNO.EFAULT;
    if ((flags & 3) !== 0) return -ERRNO.EACCES; // read-only
    const host = this.openPolicy.allows(name);
    if (host === null) return -ERRNO.ENOENT;
    let data: Uint8Array;
    try {
      data = Deno.readFileSync(host);
    } catch {
      return -ERRNO.ENOENT;
    }
    let fd = 3;
    while (this.files.has(fd)) fd++;
    this.files.set(fd, { data, pos: 0 });
    return fd;
  }

  /** fstat(2) into an asm-generic `struct stat`. */
  private fstat(s: RiscvCpu, fd: number, p: number): number {
    const f = this.files.get(fd);
    if (f === undefined) return -ERRNO.EBADF;
    if (!mapped(s, p, 128)) return -ERRNO.EFAULT;
    // struct stat of asm-generic (128 bytes): st_mode at 16, st_size (64-bit) at 48, st_blksize at 56.
    const w = p >>> 2;
    s.mu8.fill(0, p >>> 0, (p >>> 0) + 128);
    s.m32[w + 4] = f === "std" ? 0o020620 : 0o100444; // S_IFCHR or S_IFREG
    s.m32[w + 12] = f === "std" ? 0 : f.data.length;
    s.m32[w + 14] = 4096;
    return 0;
  }

  /** uname(2). */
  private uname(s: RiscvCpu, p: number): number {
    if (!mapped(s, p, 6 * 65)) return -ERRNO.EFAULT;
    const fields = ["Linux", "oplet", "6.1.0", "#1 oplet", "riscv32", ""];
    const enc = new TextEncoder();
    s.mu8.fill(0, p >>> 0, (p >>> 0) + 6 * 65);
    fields.forEach((f, k) => s.mu8.set(enc.encode(f), (p >>> 0) + 65 * k));
    return 0;
  }
}

/** Reads a NUL-terminated string from guest memory (at most 4096 bytes), or null if unmapped. */
export function readCString(s: RiscvCpu, p: number): string | null {
  const start = p >>> 0;
  let end = start;
  while (end - start < 4096) {
    if (!mapped(s, end, 1)) return null;
    if (s.mu8[end] === 0) {
      return new TextDecoder().decode(s.mu8.subarray(start, end));
    }
    end++;
  }
  return null;
}
