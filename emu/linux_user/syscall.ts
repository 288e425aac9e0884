/**
 * The Linux system calls that static programs use, served the way
 * qemu-riscv32 serves them to a single-threaded program. The target gives
 * their numbers and where the number, the arguments and the result live
 * (`LinuxAbi`, `abi.ts`; riscv32: asm-generic's numbers, a7, a0..a5, a0).
 *
 * What a program built with picolibc, newlib, musl or glibc calls at start
 * and while it runs is served: files (read-only, only those allowed:
 * `unlinkat`, `renameat2` and `mkdirat` fail with EACCES, or ENOENT for a
 * path the guest may not see),
 * memory (`brk`, anonymous and file-backed private `mmap`, `munmap`,
 * `mremap`, `mprotect`, `madvise`), clocks, identity, limits and signal
 * masks. Signal handlers are recorded but never run. The calls that riscv32
 * Linux does not have (the 32-bit-time ones such as `clock_gettime` 113 and
 * `gettimeofday` 169) and those qemu-riscv32 does not implement
 * (`set_robust_list`, `rseq`, `riscv_hwprobe`) return `-ENOSYS` quietly, as
 * under qemu-riscv32; any other unknown call returns `-ENOSYS` with a
 * warning the first time.
 *
 * @module
 */

import type { Machine } from "../machine.ts";
import type { LinuxAbi, LinuxCpu, SyscallNumbers } from "./abi.ts";
import {
  clockKind,
  clockNs,
  clockResNs,
  type CpuMicros,
  cpuMicros,
  monotonicNs,
  USER_HZ,
} from "./clock.ts";
import { MmapArea, PAGE, pageUp } from "./mmap.ts";
import { OpenPolicy } from "./open_policy.ts";

/** errno values the calls return (negated). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOTTY: 25,
  ESPIPE: 29,
  ERANGE: 34,
  ENOSYS: 38,
} as const;

/** Calls that riscv32 Linux or qemu-riscv32 lacks: -ENOSYS without a warning. */
function absentCalls(nr: SyscallNumbers): ReadonlySet<number> {
  return new Set([
    nr.nanosleep,
    nr.clock_gettime,
    nr.clock_getres,
    nr.clock_nanosleep,
    nr.gettimeofday,
    nr.futex,
    nr.set_robust_list,
    nr.rseq,
    nr.hwprobe,
  ]);
}

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

/** An open file: a standard stream (0..2) or a host file read at open. */
interface OpenFile {
  /** 0, 1 or 2 for a standard stream, -1 for a host file. */
  std: number;
  data: Uint8Array;
  pos: number;
  /** st_mode. */
  mode: number;
  /** Modification time in ms since 1970 (0 when unknown). */
  mtimeMs: number;
}

/** The pid, tid and parent pid the guest sees. */
const PID = 1000, PPID = 999;
/** The guest's 8 MiB stack limit (RLIMIT_STACK), as Linux's default. */
const STACK_LIMIT = 8 * 1024 * 1024;
/** Signals whose default action is to do nothing: SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
const IGNORED_BY_DEFAULT = new Set([17, 18, 23, 28]);
const SIG_NAMES: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  6: "SIGABRT",
  9: "SIGKILL",
  10: "SIGUSR1",
  12: "SIGUSR2",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
};

/** One guest process's kernel-side state: files, memory map, signals and exit. */
export class LinuxProcess {
  /** The I/O it is connected to. */
  readonly io: GuestIo;
  /** Host files and folders the guest may open (read-only). */
  readonly allowed: ReadonlySet<string>;
  /** How `allowed` is matched: files and folders, as Deno's `--allow-read`. */
  readonly openPolicy: OpenPolicy;
  /**
   * The program's file, which `readlink("/proc/self/exe")` resolves (its
   * real path); null when there is none (a program from bytes): then that
   * link is not found.
   */
  exePath: string | null = null;
  /** The exit code once the guest has exited, else null. */
  exitCode: number | null = null;
  /** The signal that ended the process (by `kill` or `abort`), else 0. */
  exitSignal = 0;
  /** Current program break. */
  brk: number;
  /** Top of the area for the program break and mappings (the stack's bottom). */
  readonly brkLimit: number;
  private readonly minBrk: number;
  private readonly maps: MmapArea;
  private readonly files = new Map<number, OpenFile>();
  private readonly warned = new Set<number>();
  /** Raw 16-byte `struct sigaction` per signal (1..64), as the guest set it. */
  private readonly sigactions = new Uint32Array(65 * 4);
  /** Blocked signals, as two words of a 64-bit set. */
  private readonly sigmask = new Uint32Array(2);
  private umaskValue = 0o022;
  /** The machine of the system call being served (its executable ranges and blocks). */
  private machine: Machine | null = null;
  /** The target's interface, from the machine of the first system call. */
  private abi!: LinuxAbi<LinuxCpu>;
  /** Its system call numbers. */
  private nr!: SyscallNumbers;
  /** The calls that return -ENOSYS quietly. */
  private absent!: ReadonlySet<number>;
  /** When the process started (`performance.now()`), for {@link cpuTime}. */
  private readonly startMs = performance.now();
  /** The emulator's CPU time (µs) when the guest started, once read. */
  private cpuBase: CpuMicros | null = null;
  /** The guest's CPU time, for the CPU-time clocks. */
  private readonly cpuOfGuest = (): CpuMicros => this.cpuTime();

  /**
   * Creates the process state: `brk` is the initial break, `brkLimit` the
   * top of the area shared by the break and mappings (the stack's bottom).
   */
  constructor(
    io: GuestIo,
    brk: number,
    brkLimit: number,
    allowed: Iterable<string> = [],
  ) {
    this.io = io;
    this.brk = this.minBrk = brk;
    this.brkLimit = brkLimit;
    // One free page below the stack, as a guard.
    this.maps = new MmapArea(Math.max(brk, brkLimit - PAGE));
    this.allowed = new Set(allowed);
    this.openPolicy = new OpenPolicy(this.allowed);
    const std = (n: number): OpenFile => ({
      std: n,
      data: new Uint8Array(0),
      pos: 0,
      mode: 0o020620,
      mtimeMs: 0,
    });
    for (const fd of [0, 1, 2]) this.files.set(fd, std(fd));
  }

  /** The guest's mapped ranges (`mmap`), as `[start, end)` pairs in ascending order. */
  mappings(): [number, number][] {
    return this.maps.ranges();
  }

  /** Serves the system call at `m.cpu.pc`; returns true when the process has exited. */
  syscall = (m: Machine): boolean => {
    this.machine = m;
    const abi = m.arch.linux;
    if (abi !== this.abi) {
      this.abi = abi;
      this.nr = abi.syscalls;
      this.absent = absentCalls(abi.syscalls);
    }
    const s = m.cpu;
    const r = this.dispatch(
      s,
      abi.syscallNr(s),
      abi.syscallArg(s, 0),
      abi.syscallArg(s, 1),
      abi.syscallArg(s, 2),
      abi.syscallArg(s, 3),
      abi.syscallArg(s, 4),
      abi.syscallArg(s, 5),
    );
    if (this.exitCode !== null) return true;
    abi.setSyscallResult(s, r);
    return false;
  };

  /** Whether `[addr, addr + len)` lies in guest memory a program may use. */
  private mapped(s: LinuxCpu, addr: number, len: number): boolean {
    const a = addr >>> 0;
    return a >= this.abi.memLow && a + len <= s.memSize;
  }

  /** Serves system call `nr` with its arguments; returns the result or -errno. */
  private dispatch(
    s: LinuxCpu,
    nr: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    a4: number,
    a5: number,
  ): number {
    // -1 stands for a call the target lacks: it must match no case.
    if (nr === -1) return this.unsupported(s, nr);
    switch (nr) {
      case this.nr.write:
        return this.write(s, a0, a1, a2);
      case this.nr.writev:
      case this.nr.readv:
        return this.vector(s, nr === this.nr.writev, a0, a1, a2);
      case this.nr.read:
        return this.read(s, a0, a1, a2);
      case this.nr.exit:
      case this.nr.exit_group:
        this.exitCode = a0 & 0xff;
        return 0;
      case this.nr.brk: {
        const want = a0 >>> 0;
        const ceiling = this.maps.lowestFrom(this.brk);
        if (want >= this.minBrk && want <= ceiling) {
          if (want < this.brk) s.mu8.fill(0, want, this.brk);
          this.brk = want;
        }
        return this.brk;
      }
      case this.nr.mmap:
        return this.mmap(s, a0 >>> 0, a1 >>> 0, a2, a3, a4, a5 >>> 0);
      case this.nr.munmap: {
        const start = a0 >>> 0, len = a1 >>> 0;
        if (start % PAGE !== 0 || len === 0 || start + len > s.memSize) {
          return -ERRNO.EINVAL;
        }
        this.unmap(s, start, start + pageUp(len));
        this.setExecutable(start, start + pageUp(len), false);
        return 0;
      }
      case this.nr.mremap:
        return this.mremap(s, a0 >>> 0, a1 >>> 0, a2 >>> 0, a3, a4 >>> 0);
      case this.nr.mprotect: {
        // Protections are not enforced (one flat buffer) but for execution;
        // qemu-riscv32 accepts any page-aligned range.
        const start = a0 >>> 0;
        if (start % PAGE !== 0) return -ERRNO.EINVAL;
        const end = Math.min(s.memSize, start + pageUp(a1 >>> 0));
        this.setExecutable(start, end, (a2 & 4) !== 0);
        return 0;
      }
      case this.nr.madvise: {
        const start = a0 >>> 0, len = pageUp(a1 >>> 0);
        if (start % PAGE !== 0) return -ERRNO.EINVAL;
        // MADV_DONTNEED on a private mapping: its pages read as zero again.
        if (a2 === 4) {
          const pieces: [number, number][] = [];
          this.maps.remove(start, start + len, (b, e) => {
            s.mu8.fill(0, b, e);
            pieces.push([b, e]);
          });
          for (const [b, e] of pieces) this.maps.add(b, e);
        }
        return 0;
      }
      case this.nr.close:
        return this.files.delete(a0) ? 0 : -ERRNO.EBADF;
      case this.nr.openat:
        return this.openat(s, a0, a1, a2);
      case this.nr.dup:
      case this.nr.dup3:
      case this.nr.fcntl:
        return this.dupOrFcntl(nr, a0, a1, a2);
      case this.nr.llseek: {
        const f = this.files.get(a0);
        if (f === undefined) return -ERRNO.EBADF;
        if (f.std >= 0) return -ERRNO.ESPIPE;
        const off = (a1 | 0) * 4294967296 + (a2 >>> 0);
        const base = a4 === 0
          ? 0
          : a4 === 1
          ? f.pos
          : a4 === 2
          ? f.data.length
          : -1;
        if (base < 0 || base + off < 0) return -ERRNO.EINVAL;
        if (!this.mapped(s, a3, 8)) return -ERRNO.EFAULT;
        f.pos = base + off;
        put64(s, a3, f.pos);
        return 0;
      }
      case this.nr.fstat: {
        const f = this.files.get(a0);
        return f === undefined ? -ERRNO.EBADF : this.stat64(s, f, a1);
      }
      case this.nr.newfstatat:
      case this.nr.statx: {
        const f = this.lookup(s, a0, a1, nr === this.nr.statx ? a2 : a3);
        if (typeof f === "number") return f;
        return nr === this.nr.statx
          ? this.statx(s, f, a4)
          : this.stat64(s, f, a2);
      }
      case this.nr.faccessat:
      case this.nr.faccessat2: {
        const f = this.lookup(s, a0, a1, nr === this.nr.faccessat2 ? a3 : 0);
        if (typeof f === "number") return f;
        return a2 & 2 ? -ERRNO.EACCES : 0; // read-only
      }
      // The file system is read-only: what would change it fails as on a
      // file the guest may not write, or as on one it cannot see.
      case this.nr.unlinkat:
      case this.nr.renameat2: {
        const v = this.visible(s, a1);
        return v === 0 ? -ERRNO.EACCES : v === 1 ? -ERRNO.ENOENT : v;
      }
      case this.nr.mkdirat: {
        const v = this.visible(s, a1);
        return v === 0 ? -ERRNO.EEXIST : v === 1 ? -ERRNO.EACCES : v;
      }
      case this.nr.readlinkat:
        return this.readlink(s, a1, a2, a3 >>> 0);
      case this.nr.getcwd: {
        let cwd: string;
        try {
          cwd = Deno.cwd();
        } catch {
          return -ERRNO.ENOENT;
        }
        const b = new TextEncoder().encode(cwd + "\0");
        if (b.length > (a1 >>> 0)) return -ERRNO.ERANGE;
        if (!this.mapped(s, a0, b.length)) return -ERRNO.EFAULT;
        s.mu8.set(b, a0 >>> 0);
        return b.length;
      }
      case this.nr.ioctl:
        return this.ioctl(s, a0, a1, a2);
      case this.nr.set_tid_address:
      case this.nr.getpid:
      case this.nr.gettid:
        return PID;
      case this.nr.getppid:
        return PPID;
      case this.nr.getuid:
      case this.nr.geteuid:
      case this.nr.getgid:
      case this.nr.getegid:
        return 0; // as the auxiliary vector says (AT_UID and friends)
      case this.nr.umask: {
        const old = this.umaskValue;
        this.umaskValue = a0 & 0o777;
        return old;
      }
      case this.nr.sched_yield:
        return 0;
      case this.nr.flush_icache:
        // What the guest wrote as code runs as written from now on.
        this.machine?.tbFlush();
        return 0;
      case this.nr.futex_time64: {
        const op = a1 & 127;
        if (op === 1 || op === 10) return 0; // FUTEX_WAKE(_BITSET): nobody waits
        if (op === 0 || op === 9) { // FUTEX_WAIT(_BITSET)
          if (!this.mapped(s, a0, 4) || (a0 & 3) !== 0) return -ERRNO.EFAULT;
          if (ld32(s, a0) !== (a2 >>> 0)) return -ERRNO.EAGAIN;
        }
        return this.unsupported(s, nr);
      }
      case this.nr.uname:
        return this.uname(s, a0);
      case this.nr.getrlimit:
      case this.nr.prlimit64:
        return this.rlimit(s, nr, a0, a1, a2, a3);
      case this.nr.getrusage:
        return this.getrusage(s, a0, a1);
      case this.nr.clock_gettime64:
      case this.nr.clock_getres_time64: {
        const ns = nr === this.nr.clock_gettime64
          ? clockNs(a0, PID, this.cpuOfGuest)
          : BigInt(clockResNs(a0, PID));
        if (ns === null || ns < 0n) return -ERRNO.EINVAL;
        if (a1 === 0 && nr === this.nr.clock_getres_time64) return 0;
        if (!this.mapped(s, a1, 16)) return -ERRNO.EFAULT;
        putTimespec64(s, a1, ns);
        return 0;
      }
      case this.nr.clock_nanosleep_time64:
        return this.nanosleep(s, a0, a1, a2);
      case this.nr.sched_getaffinity: {
        if (a0 !== 0 && a0 !== PID) return -ERRNO.ESRCH;
        if ((a1 >>> 0) < 4 || (a1 & 3)) return -ERRNO.EINVAL;
        if (!this.mapped(s, a2, 4)) return -ERRNO.EFAULT;
        st32(s, a2, 1); // one CPU
        return 4;
      }
      case this.nr.sysinfo: {
        if (!this.mapped(s, a0, 64)) return -ERRNO.EFAULT;
        const p = a0 >>> 0;
        s.mu8.fill(0, p, p + 64);
        st32(s, p, Number(monotonicNs() / 1_000_000_000n)); // uptime
        st32(s, p + 16, s.memSize); // totalram
        st32(s, p + 20, Math.max(0, this.maps.top - this.brk)); // freeram
        s.mu8[p + 40] = 1; // procs
        st32(s, p + 52, 1); // mem_unit
        return 0;
      }
      case this.nr.times: {
        if (a0 !== 0) {
          if (!this.mapped(s, a0, 16)) return -ERRNO.EFAULT;
          const u = this.cpuTime();
          const w = a0 >>> 0;
          st32(s, w, Math.floor(u.user / (1e6 / USER_HZ)));
          st32(s, w + 4 * (1), Math.floor(u.system / (1e6 / USER_HZ)));
          st32(s, w + 4 * (2), 0);
          st32(s, w + 4 * (3), 0);
        }
        return Number((monotonicNs() / BigInt(1e9 / USER_HZ)) & 0x7fffffffn);
      }
      case this.nr.getrandom: {
        if (a2 & ~7) return -ERRNO.EINVAL;
        const len = a1 >>> 0;
        if (len === 0) return 0;
        if (!this.mapped(s, a0, len)) return -ERRNO.EFAULT;
        const b = s.mu8.subarray(a0 >>> 0, (a0 >>> 0) + len);
        for (let k = 0; k < b.length; k += 65536) {
          crypto.getRandomValues(b.subarray(k, k + 65536));
        }
        return len;
      }
      case this.nr.rt_sigaction:
        return this.sigaction(s, a0, a1, a2, a3);
      case this.nr.rt_sigprocmask:
        return this.sigprocmask(s, a0, a1, a2, a3);
      case this.nr.sigaltstack:
        if (a1 !== 0) {
          if (!this.mapped(s, a1, 12)) return -ERRNO.EFAULT;
          const w = a1 >>> 0;
          st32(s, w, 0);
          st32(s, w + 4 * (1), 2); // SS_DISABLE
          st32(s, w + 4 * (2), 0);
        }
        return 0;
      case this.nr.kill:
      case this.nr.tkill:
      case this.nr.tgkill: {
        const pid = nr === this.nr.tgkill ? a1 : a0;
        const sig = nr === this.nr.tgkill ? a2 : a1;
        if (sig < 0 || sig > 64) return -ERRNO.EINVAL;
        const self = pid === PID ||
          (nr === this.nr.kill && (pid === 0 || pid === -1));
        if (!self) return -ERRNO.ESRCH;
        return this.raise(s, sig);
      }
      default:
        if (this.absent.has(nr)) return -ERRNO.ENOSYS;
        return this.unsupported(s, nr);
    }
  }

  /**
   * clock_nanosleep_time64(2) on the wall or monotonic clocks: the emulator
   * sleeps (blocking, as the guest's thread would). TIMER_ABSTIME (1) sleeps
   * until the clock reaches the time given.
   */
  private nanosleep(
    s: LinuxCpu,
    id: number,
    flags: number,
    req: number,
  ): number {
    const kind = clockKind(id, PID);
    if (kind === null || kind === "cpu") return -ERRNO.EINVAL;
    if (!this.mapped(s, req, 16)) return -ERRNO.EFAULT;
    const sec = ld32(s, req + 4) * 4294967296 + ld32(s, req);
    const nsec = ld32(s, req + 8);
    if (ld32(s, req + 4) >= 0x80000000 || nsec >= 1e9) return -ERRNO.EINVAL;
    let ms = sec * 1000 + nsec / 1e6;
    if (flags & 1) {
      const now = clockNs(id, PID, this.cpuOfGuest)!;
      ms -= Number(now / 1000n) / 1000;
    }
    if (ms > 0) {
      sleeper ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(sleeper, 0, 0, ms);
    }
    return 0;
  }

  /**
   * CPU time (µs) since the process started. The host's CPU time is read
   * first when the guest first asks for it (see {@link cpuMicros}); the
   * guest's CPU time until then is taken to be the wall time since it
   * started, as the emulator runs it on one thread without waiting.
   */
  private cpuTime(): CpuMicros {
    const u = cpuMicros();
    if (this.cpuBase === null) {
      const ran = Math.round((performance.now() - this.startMs) * 1000);
      this.cpuBase = { user: Math.max(0, u.user - ran), system: u.system };
    }
    return {
      user: Math.max(0, u.user - this.cpuBase.user),
      system: Math.max(0, u.system - this.cpuBase.system),
    };
  }

  /** -ENOSYS, with a warning the first time a call number is seen. */
  private unsupported(s: LinuxCpu, nr: number): number {
    if (!this.warned.has(nr)) {
      this.warned.add(nr);
      this.io.warn(
        `oplet-emu: unsupported system call ${nr} at pc ${
          hex8(s.pc)
        }: returning -ENOSYS`,
      );
    }
    return -ERRNO.ENOSYS;
  }

  /** write(2) to fd 1 or 2. */
  private write(s: LinuxCpu, fd: number, buf: number, len: number): number {
    const f = this.files.get(fd);
    if (f === undefined || f.std < 1) return -ERRNO.EBADF;
    if (len === 0) return 0;
    if (len < 0 || !this.mapped(s, buf, len)) return -ERRNO.EFAULT;
    const bytes = s.mu8.subarray(buf >>> 0, (buf >>> 0) + len);
    return f.std === 1 ? this.io.stdout(bytes) : this.io.stderr(bytes);
  }

  /** read(2) from stdin or an opened file. */
  private read(s: LinuxCpu, fd: number, buf: number, len: number): number {
    const f = this.files.get(fd);
    if (f === undefined || f.std > 0) return -ERRNO.EBADF;
    if (len === 0) return 0;
    if (len < 0 || !this.mapped(s, buf, len)) return -ERRNO.EFAULT;
    const dst = s.mu8.subarray(buf >>> 0, (buf >>> 0) + len);
    if (f.std === 0) return this.io.stdin(dst);
    const n = Math.min(len, f.data.length - f.pos);
    if (n <= 0) return 0;
    dst.set(f.data.subarray(f.pos, f.pos + n));
    f.pos += n;
    return n;
  }

  /** readv(2) and writev(2): each `struct iovec` is {base, len}. */
  private vector(
    s: LinuxCpu,
    isWrite: boolean,
    fd: number,
    iov: number,
    count: number,
  ): number {
    if (count < 0 || count > 1024) return -ERRNO.EINVAL;
    if (!this.files.has(fd)) return -ERRNO.EBADF;
    if (count > 0 && !this.mapped(s, iov, 8 * count)) return -ERRNO.EFAULT;
    let total = 0;
    for (let k = 0; k < count; k++) {
      const w = ((iov >>> 0) + 8 * k) >>> 0;
      const base = ld32(s, w), len = ld32(s, w + 4);
      if (len === 0) continue;
      const n = isWrite
        ? this.write(s, fd, base, len)
        : this.read(s, fd, base, len);
      if (n < 0) return total || n;
      total += n;
      if (n < len) break;
    }
    return total;
  }

  /** openat(2), read-only, of an allowed file. */
  private openat(
    s: LinuxCpu,
    dirfd: number,
    path: number,
    flags: number,
  ): number {
    const f = this.lookup(s, dirfd, path, 0);
    if (typeof f === "number") return f;
    if ((flags & 3) !== 0) return -ERRNO.EACCES; // read-only
    let fd = 3;
    while (this.files.has(fd)) fd++;
    this.files.set(fd, f);
    return fd;
  }

  /**
   * Whether the guest sees the path at `path`: 0 when it names an allowed
   * file or folder, 1 when an allowed one that is not there, -ENOENT when
   * one it may not see, -EFAULT when unreadable.
   */
  private visible(s: LinuxCpu, path: number): number {
    const name = readCString(s, path, this.abi.memLow);
    if (name === null) return -ERRNO.EFAULT;
    const host = name === "" ? null : this.openPolicy.allows(name);
    if (host === null) return -ERRNO.ENOENT;
    try {
      Deno.statSync(host);
      return 0;
    } catch {
      return 1;
    }
  }

  /**
   * The file a path names (relative to `dirfd`, or `dirfd` itself with
   * AT_EMPTY_PATH and an empty path), freshly read; -errno when the path is
   * unreadable, not allowed or not there.
   */
  private lookup(
    s: LinuxCpu,
    dirfd: number,
    path: number,
    flags: number,
  ): OpenFile | number {
    const name = readCString(s, path, this.abi.memLow);
    if (name === null) return -ERRNO.EFAULT;
    if (name === "") {
      if (!(flags & 0x1000)) return -ERRNO.ENOENT; // AT_EMPTY_PATH
      return this.files.get(dirfd) ?? -ERRNO.EBADF;
    }
    const host = this.openPolicy.allows(name);
    if (host === null) return -ERRNO.ENOENT;
    try {
      const data = Deno.readFileSync(host);
      let mode = 0o100444, mtimeMs = 0;
      try {
        const st = Deno.statSync(host);
        mode = st.mode ?? mode;
        mtimeMs = st.mtime?.getTime() ?? 0;
      } catch { /* size and type are enough */ }
      return { std: -1, data, pos: 0, mode, mtimeMs };
    } catch {
      return -ERRNO.ENOENT;
    }
  }

  /** dup(2), dup3(2) and the fcntl(2) commands a libc uses. */
  private dupOrFcntl(nr: number, fd: number, a1: number, a2: number): number {
    const f = this.files.get(fd);
    if (f === undefined) return -ERRNO.EBADF;
    const dupTo = (from: number) => {
      let n = Math.max(0, from);
      while (this.files.has(n)) n++;
      this.files.set(n, f);
      return n;
    };
    if (nr === this.nr.dup) return dupTo(0);
    if (nr === this.nr.dup3) {
      if (a1 === fd || a1 < 0 || (a2 & ~0o2000000)) return -ERRNO.EINVAL;
      this.files.set(a1, f);
      return a1;
    }
    switch (a1) {
      case 0: // F_DUPFD
      case 1030: // F_DUPFD_CLOEXEC
        return a2 < 0 ? -ERRNO.EINVAL : dupTo(a2);
      case 1: // F_GETFD
      case 2: // F_SETFD
      case 4: // F_SETFL
        return 0;
      case 3: // F_GETFL: the access mode
        return f.std > 0 ? 1 : 0;
      default:
        return -ERRNO.EINVAL;
    }
  }

  /** ioctl(2): TCGETS and TIOCGWINSZ answer for a terminal, ENOTTY otherwise. */
  private ioctl(s: LinuxCpu, fd: number, req: number, p: number): number {
    const f = this.files.get(fd);
    if (f === undefined) return -ERRNO.EBADF;
    const tty = f.std >= 0 && this.io.isTerminal(f.std);
    if (!tty || (req !== 0x5401 && req !== 0x5413)) return -ERRNO.ENOTTY;
    const size = req === 0x5401 ? 60 : 8;
    if (!this.mapped(s, p, size)) return -ERRNO.EFAULT;
    s.mu8.fill(0, p >>> 0, (p >>> 0) + size);
    if (req === 0x5413) {
      let rows = 24, cols = 80;
      try {
        ({ rows, columns: cols } = Deno.consoleSize());
      } catch { /* keep 80x24 */ }
      s.mu8[p >>> 0] = rows & 0xff;
      s.mu8[(p >>> 0) + 1] = rows >> 8;
      s.mu8[(p >>> 0) + 2] = cols & 0xff;
      s.mu8[(p >>> 0) + 3] = cols >> 8;
    }
    return 0;
  }

  /** fstat64(2) and fstatat64(2) into the 104-byte asm-generic `struct stat64`. */
  private stat64(s: LinuxCpu, f: OpenFile, p: number): number {
    if (!this.mapped(s, p, 104)) return -ERRNO.EFAULT;
    const w = p >>> 0;
    s.mu8.fill(0, p >>> 0, (p >>> 0) + 104);
    const size = f.std >= 0 ? 0 : f.data.length;
    st32(s, w + 4 * (2), f.std >= 0 ? f.std + 1 : 100); // st_ino
    st32(s, w + 4 * (4), f.mode);
    st32(s, w + 4 * (5), 1); // st_nlink
    put64(s, p + 48, size);
    st32(s, w + 4 * (14), 4096); // st_blksize
    put64(s, p + 64, Math.ceil(size / 512)); // st_blocks
    const sec = Math.floor(f.mtimeMs / 1000);
    const nsec = Math.floor(f.mtimeMs % 1000) * 1e6;
    for (const o of [18, 20, 22]) { // atime, mtime, ctime
      st32(s, w + 4 * o, sec);
      st32(s, w + 4 * (o + 1), nsec);
    }
    return 0;
  }

  /** statx(2) into the 256-byte `struct statx` (the basic fields). */
  private statx(s: LinuxCpu, f: OpenFile, p: number): number {
    if (!this.mapped(s, p, 256)) return -ERRNO.EFAULT;
    const w = p >>> 0;
    s.mu8.fill(0, p >>> 0, (p >>> 0) + 256);
    const size = f.std >= 0 ? 0 : f.data.length;
    st32(s, w, 0x7ff); // STATX_BASIC_STATS
    st32(s, w + 4 * (1), 4096); // stx_blksize
    st32(s, w + 4 * (4), 1); // stx_nlink
    st32(s, w + 4 * (7), f.mode & 0xffff); // stx_mode (16 bits)
    st32(s, w + 4 * (8), f.std >= 0 ? f.std + 1 : 100); // stx_ino
    put64(s, p + 40, size);
    put64(s, p + 48, Math.ceil(size / 512));
    const sec = Math.floor(f.mtimeMs / 1000);
    const nsec = Math.floor(f.mtimeMs % 1000) * 1e6;
    for (const o of [64, 96, 112]) { // atime, ctime, mtime
      put64(s, p + o, sec);
      st32(s, w + o + 8, nsec);
    }
    return 0;
  }

  /** mmap2(2): anonymous or private file mappings between the break and the stack. */
  private mmap(
    s: LinuxCpu,
    addr: number,
    len: number,
    _prot: number,
    flags: number,
    fd: number,
    pgoff: number,
  ): number {
    const type = flags & 0xf;
    const fixed = (flags & 0x10) !== 0, noReplace = (flags & 0x100000) !== 0;
    if (len === 0 || type < 1 || type > 3) return -ERRNO.EINVAL;
    if ((fixed || noReplace) && addr % PAGE !== 0) return -ERRNO.EINVAL;
    let file: OpenFile | undefined;
    if (!(flags & 0x20)) { // not MAP_ANONYMOUS
      file = this.files.get(fd);
      if (file === undefined) return -ERRNO.EBADF;
      if (file.std >= 0) return -ERRNO.ENODEV;
      if ((type & 1) && (_prot & 2)) return -ERRNO.EACCES; // shared, writable, read-only file
    }
    const size = pageUp(len);
    if (size > this.maps.top) return -ERRNO.ENOMEM;
    let start: number;
    if (fixed || noReplace) {
      start = addr;
      if (start < this.abi.memLow || start + size > this.maps.top) {
        return -ERRNO.ENOMEM;
      }
      if (noReplace && !this.maps.isFree(start, start + size)) {
        return -ERRNO.EEXIST;
      }
    } else {
      const floor = pageUp(this.brk);
      start = addr % PAGE === 0 && addr >= floor &&
          addr + size <= this.maps.top && this.maps.isFree(addr, addr + size)
        ? addr
        : this.maps.findFree(size, floor);
      if (start < 0) return -ERRNO.ENOMEM;
    }
    s.mu8.fill(0, start, start + size);
    this.maps.add(start, start + size);
    this.setExecutable(start, start + size, (_prot & 4) !== 0);
    if (file) {
      const off = pgoff * PAGE;
      if (off < file.data.length) {
        s.mu8.set(file.data.subarray(off, off + Math.min(len, size)), start);
      }
    }
    return start;
  }

  /** Unmaps `[start, end)`, zeroing what was mapped. */
  private unmap(s: LinuxCpu, start: number, end: number): void {
    this.maps.remove(start, end, (b, e) => s.mu8.fill(0, b, e));
  }

  /** mremap(2): shrink in place, grow in place when the pages above are free, or move. */
  private mremap(
    s: LinuxCpu,
    old: number,
    oldLen: number,
    newLen: number,
    flags: number,
    newAddr: number,
  ): number {
    const MAYMOVE = 1, FIXED = 2;
    if (old % PAGE !== 0 || (flags & ~3) || newLen === 0) {
      return -ERRNO.EINVAL;
    }
    if ((flags & FIXED) && (!(flags & MAYMOVE) || newAddr % PAGE !== 0)) {
      return -ERRNO.EINVAL;
    }
    const oldSize = pageUp(oldLen), newSize = pageUp(newLen);
    if (oldSize === 0 || !this.maps.covers(old, old + oldSize)) {
      return -ERRNO.EFAULT;
    }
    const exec = this.isExecutable(old, old + oldSize);
    if (!(flags & FIXED)) {
      if (newSize <= oldSize) {
        this.unmap(s, old + newSize, old + oldSize);
        this.setExecutable(old + newSize, old + oldSize, false);
        return old;
      }
      if (
        old + newSize <= this.maps.top &&
        this.maps.isFree(old + oldSize, old + newSize)
      ) {
        s.mu8.fill(0, old + oldSize, old + newSize);
        this.maps.add(old + oldSize, old + newSize);
        this.setExecutable(old + oldSize, old + newSize, exec);
        return old;
      }
      if (!(flags & MAYMOVE)) return -ERRNO.ENOMEM;
    }
    let to: number;
    if (flags & FIXED) {
      to = newAddr;
      if (
        to < this.abi.memLow || to + newSize > this.maps.top ||
        (to < old + oldSize && old < to + newSize)
      ) {
        return -ERRNO.EINVAL;
      }
      this.unmap(s, to, to + newSize);
    } else {
      to = this.maps.findFree(newSize, pageUp(this.brk));
      if (to < 0) return -ERRNO.ENOMEM;
    }
    const keep = Math.min(oldSize, newSize);
    s.mu8.fill(0, to, to + newSize);
    s.mu8.copyWithin(to, old, old + keep);
    this.unmap(s, old, old + oldSize);
    this.maps.add(to, to + newSize);
    this.setExecutable(old, old + oldSize, false);
    this.setExecutable(to, to + newSize, exec);
    return to;
  }

  /** Whether any of `[start, end)` is executable. */
  private isExecutable(start: number, end: number): boolean {
    const ranges = this.machine?.execRanges ?? [];
    return ranges.some(([lo, hi]) => lo < end && hi > start);
  }

  /**
   * Makes `[start, end)` executable or not (PROT_EXEC). Blocks translated
   * from pages that stop being executable are dropped. A machine with no
   * executable ranges runs all memory and is left alone.
   */
  private setExecutable(start: number, end: number, exec: boolean): void {
    const m = this.machine;
    if (m === null || m.execRanges.length === 0 || start >= end) return;
    const had = this.isExecutable(start, end);
    if (!had && !exec) return;
    const out: [number, number][] = [];
    for (const [lo, hi] of m.execRanges) {
      if (hi <= start || lo >= end) out.push([lo, hi]);
      else {
        if (lo < start) out.push([lo, start]);
        if (hi > end) out.push([end, hi]);
      }
    }
    if (exec) out.push([start, end]);
    m.execRanges = out.sort((a, b) => a[0] - b[0]);
    if (had) m.tbFlush();
  }

  /** getrlimit(2) and prlimit64(2): the stack's 8 MiB, 1024 files, the rest unlimited; new limits are accepted. */
  private rlimit(
    s: LinuxCpu,
    nr: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
  ): number {
    const wide = nr === this.nr.prlimit64;
    if (wide && a0 !== 0 && a0 !== PID) return -ERRNO.ESRCH;
    const resource = wide ? a1 : a0;
    const out = wide ? a3 : a1;
    if (resource < 0 || resource > 15) return -ERRNO.EINVAL;
    if (wide && a2 !== 0 && !this.mapped(s, a2, 16)) return -ERRNO.EFAULT;
    if (out === 0) return 0;
    if (!this.mapped(s, out, wide ? 16 : 8)) return -ERRNO.EFAULT;
    const INF = -1;
    const [cur, max] = resource === 3
      ? [STACK_LIMIT, INF]
      : resource === 7
      ? [1024, 1048576]
      : resource === 4 // RLIMIT_CORE
      ? [0, INF]
      : [INF, INF];
    const w = out >>> 0;
    if (wide) {
      for (const [k, v] of [[0, cur], [2, max]]) {
        st32(s, w + 4 * k, v);
        st32(s, w + 4 * (k + 1), v === INF ? -1 : 0);
      }
    } else {
      st32(s, w, cur);
      st32(s, w + 4 * (1), max);
    }
    return 0;
  }

  /** getrusage(2): CPU time in the two leading `struct timeval`s, the rest zero. */
  private getrusage(s: LinuxCpu, who: number, p: number): number {
    if (who !== 0 && who !== -1 && who !== 1) return -ERRNO.EINVAL;
    if (!this.mapped(s, p, 72)) return -ERRNO.EFAULT;
    s.mu8.fill(0, p >>> 0, (p >>> 0) + 72);
    if (who === -1) return 0; // RUSAGE_CHILDREN: none
    const u = this.cpuTime(), w = p >>> 0;
    st32(s, w, Math.floor(u.user / 1e6));
    st32(s, w + 4 * (1), u.user % 1e6);
    st32(s, w + 4 * (2), Math.floor(u.system / 1e6));
    st32(s, w + 4 * (3), u.system % 1e6);
    return 0;
  }

  /** rt_sigaction(2): records the action (16 bytes: handler, flags, mask); never runs it. */
  private sigaction(
    s: LinuxCpu,
    sig: number,
    act: number,
    old: number,
    setsize: number,
  ): number {
    if (setsize !== 8 || sig < 1 || sig > 64) return -ERRNO.EINVAL;
    if (act !== 0 && (sig === 9 || sig === 19)) return -ERRNO.EINVAL;
    if (
      (act !== 0 && !this.mapped(s, act, 16)) ||
      (old !== 0 && !this.mapped(s, old, 16))
    ) {
      return -ERRNO.EFAULT;
    }
    const keep = this.sigactions.slice(sig * 4, sig * 4 + 4);
    if (act !== 0) {
      for (let k = 0; k < 4; k++) {
        this.sigactions[sig * 4 + k] = ld32(s, act + 4 * k);
      }
    }
    if (old !== 0) keep.forEach((v, k) => st32(s, old + 4 * k, v));
    return 0;
  }

  /** rt_sigprocmask(2): keeps the mask (SIGKILL and SIGSTOP cannot be blocked). */
  private sigprocmask(
    s: LinuxCpu,
    how: number,
    set: number,
    old: number,
    setsize: number,
  ): number {
    if (setsize !== 8) return -ERRNO.EINVAL;
    if (set !== 0 && (how < 0 || how > 2)) return -ERRNO.EINVAL;
    if (
      (set !== 0 && !this.mapped(s, set, 8)) ||
      (old !== 0 && !this.mapped(s, old, 8))
    ) {
      return -ERRNO.EFAULT;
    }
    const lo = this.sigmask[0], hi = this.sigmask[1];
    if (set !== 0) {
      const nlo = ld32(s, set), nhi = ld32(s, set + 4);
      if (how === 0) {
        this.sigmask[0] = lo | nlo;
        this.sigmask[1] = hi | nhi;
      } else if (how === 1) {
        this.sigmask[0] = lo & ~nlo;
        this.sigmask[1] = hi & ~nhi;
      } else {
        this.sigmask[0] = nlo;
        this.sigmask[1] = nhi;
      }
      this.sigmask[0] &= ~((1 << 8) | (1 << 18)); // SIGKILL, SIGSTOP
    }
    if (old !== 0) {
      st32(s, old, lo);
      st32(s, old + 4, hi);
    }
    return 0;
  }

  /**
   * A signal sent to the process itself. Ignored ones do nothing; one with
   * a handler cannot be delivered (warned once); any other ends the process
   * with 128 + signal, as a shell reports it.
   */
  private raise(s: LinuxCpu, sig: number): number {
    if (sig === 0) return 0;
    const handler = this.sigactions[sig * 4];
    if (handler === 1 || (handler === 0 && IGNORED_BY_DEFAULT.has(sig))) {
      return 0;
    }
    if (handler !== 0 && sig !== 9 && sig !== 19) {
      if (!this.warned.has(-sig)) {
        this.warned.add(-sig);
        this.io.warn(
          `oplet-emu: signal ${sig} sent at pc ${
            hex8(s.pc)
          } has a handler, but signals are not delivered: ignored`,
        );
      }
      return 0;
    }
    const word = (sig - 1) >> 5, bit = 1 << ((sig - 1) & 31);
    if ((this.sigmask[word] & bit) && sig !== 9 && sig !== 19) return 0;
    this.io.warn(
      `oplet-emu: guest killed by signal ${sig}${
        SIG_NAMES[sig] ? ` (${SIG_NAMES[sig]})` : ""
      } at pc ${hex8(s.pc)}`,
    );
    this.exitSignal = sig;
    this.exitCode = (128 + sig) & 0xff;
    return 0;
  }

  /**
   * readlinkat(2), as qemu-riscv32 serves it: `/proc/self/exe` (or
   * `/proc/PID/exe`) gives the real path of {@link exePath} and
   * `/proc/self/cwd` the working folder (as `getcwd`), cut to the buffer
   * and not NUL-terminated; every other link is not found (the guest sees
   * no host link). The dirfd does not matter for these paths.
   */
  private readlink(
    s: LinuxCpu,
    path: number,
    buf: number,
    size: number,
  ): number {
    const name = readCString(s, path, this.abi.memLow);
    if (name === null) return -ERRNO.EFAULT;
    if (size > 0 && !this.mapped(s, buf, size)) return -ERRNO.EFAULT;
    if (size === 0) return -ERRNO.EINVAL;
    const link = /^\/proc\/(?:self|\d+)\/(exe|cwd)$/.exec(name);
    if (
      link === null || (name[6] !== "s" && name !== `/proc/${PID}/${link[1]}`)
    ) {
      return -ERRNO.ENOENT;
    }
    let real: string;
    try {
      if (link[1] === "cwd") real = Deno.cwd();
      else if (this.exePath === null) return -ERRNO.ENOENT;
      else real = Deno.realPathSync(this.exePath);
    } catch {
      return -ERRNO.ENOENT;
    }
    const b = new TextEncoder().encode(real);
    const n = Math.min(b.length, size);
    s.mu8.set(b.subarray(0, n), buf >>> 0);
    return n;
  }

  /** uname(2). */
  private uname(s: LinuxCpu, p: number): number {
    if (!this.mapped(s, p, 6 * 65)) return -ERRNO.EFAULT;
    const fields = [
      "Linux",
      "oplet",
      "6.1.0",
      "#1 oplet",
      this.abi.unameMachine,
      "(none)",
    ];
    const enc = new TextEncoder();
    s.mu8.fill(0, p >>> 0, (p >>> 0) + 6 * 65);
    fields.forEach((f, k) => s.mu8.set(enc.encode(f), (p >>> 0) + 65 * k));
    return 0;
  }
}

/** What the emulator waits on to sleep (never notified). */
let sleeper: Int32Array | undefined;

const views = new WeakMap<ArrayBufferLike, DataView>();

/** A DataView of guest memory (words at any alignment, as Linux allows). */
function view(s: LinuxCpu): DataView {
  let v = views.get(s.mu8.buffer);
  if (v === undefined) {
    v = new DataView(s.mu8.buffer, s.mu8.byteOffset, s.mu8.byteLength);
    views.set(s.mu8.buffer, v);
  }
  return v;
}

/** Reads the 32-bit word at guest address `a` (checked mapped by the caller). */
function ld32(s: LinuxCpu, a: number): number {
  return view(s).getUint32(a >>> 0, true);
}

/** Writes the 32-bit word `v` at guest address `a` (checked mapped by the caller). */
function st32(s: LinuxCpu, a: number, v: number): void {
  view(s).setUint32(a >>> 0, v >>> 0, true);
}

function hex8(n: number): string {
  return "0x" + (n >>> 0).toString(16).padStart(8, "0");
}

/** Writes a non-negative integer below 2^53 as a little-endian 64-bit value. */
function put64(s: LinuxCpu, p: number, v: number): void {
  const w = p >>> 0;
  st32(s, w, v >>> 0);
  st32(s, w + 4 * (1), Math.floor(v / 4294967296));
}

/** Writes a 64-bit `struct timespec` (s64 seconds, then nanoseconds in a 64-bit slot). */
function putTimespec64(s: LinuxCpu, p: number, ns: bigint): void {
  const sec = ns / 1_000_000_000n, nsec = ns % 1_000_000_000n;
  const w = p >>> 0;
  st32(s, w, Number(sec & 0xffffffffn));
  st32(s, w + 4 * (1), Number(sec >> 32n));
  st32(s, w + 4 * (2), Number(nsec));
  st32(s, w + 4 * (3), 0);
}

/**
 * Reads a NUL-terminated string from guest memory (at most 4096 bytes), or
 * null if it runs outside `[memLow, s.memSize)`.
 */
export function readCString(
  s: LinuxCpu,
  p: number,
  memLow: number,
): string | null {
  const start = p >>> 0;
  let end = start;
  while (end - start < 4096) {
    if (end < memLow || end >= s.memSize) return null;
    if (s.mu8[end] === 0) {
      return new TextDecoder().decode(s.mu8.subarray(start, end));
    }
    end++;
  }
  return null;
}
