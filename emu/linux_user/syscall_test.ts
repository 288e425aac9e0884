import assert from "node:assert/strict";
import { ERRNO, type GuestIo, LinuxProcess } from "./syscall.ts";
import { NR } from "../targets/riscv32/linux.ts";
import { Machine } from "../machine.ts";

const BRK0 = 0x40000, BRK_LIMIT = 0x800000, BUF = 0x30000;

function setup(stdin = new Uint8Array(0), allowed: string[] = []) {
  const out: number[] = [], err: number[] = [], warnings: string[] = [];
  let pos = 0;
  const io: GuestIo = {
    stdout: (b) => (out.push(...b), b.length),
    stderr: (b) => (err.push(...b), b.length),
    stdin: (b) => {
      const n = Math.min(b.length, stdin.length - pos);
      b.set(stdin.subarray(pos, pos + n));
      pos += n;
      return n;
    },
    isTerminal: () => false,
    warn: (l) => void warnings.push(l),
  };
  const m = new Machine({ memSize: 1 << 24 });
  const p = new LinuxProcess(io, BRK0, BRK_LIMIT, allowed);
  const sys = (nr: number, ...args: number[]) => {
    m.cpu.x[17] = nr;
    args.forEach((a, k) => (m.cpu.x[10 + k] = a));
    const exited = p.syscall(m);
    return exited ? "exited" : m.cpu.x[10];
  };
  const put = (addr: number, s: string) => {
    const b = new TextEncoder().encode(s + "\0");
    m.cpu.mu8.set(b, addr);
    return b.length - 1;
  };
  return { m, p, sys, put, out, err, warnings };
}

Deno.test("write and writev reach stdout and stderr; bad fds and pointers fail as on Linux", () => {
  const { sys, put, out, err, m } = setup();
  const n = put(BUF, "hello\n");
  assert.equal(sys(NR.write, 1, BUF, n), n);
  assert.equal(sys(NR.write, 2, BUF, 5), 5);
  assert.equal(sys(NR.write, 0, BUF, 1), -ERRNO.EBADF);
  assert.equal(sys(NR.write, 9, BUF, 1), -ERRNO.EBADF);
  assert.equal(sys(NR.write, 1, 0x10, 4), -ERRNO.EFAULT);
  // writev: two iovecs
  m.cpu.m32[(BUF + 0x100) >> 2] = BUF;
  m.cpu.m32[(BUF + 0x104) >> 2] = 2;
  m.cpu.m32[(BUF + 0x108) >> 2] = BUF + 4;
  m.cpu.m32[(BUF + 0x10c) >> 2] = 2;
  assert.equal(sys(NR.writev, 1, BUF + 0x100, 2), 4);
  assert.equal(new TextDecoder().decode(new Uint8Array(out)), "hello\nheo\n");
  assert.equal(new TextDecoder().decode(new Uint8Array(err)), "hello");
});

Deno.test("read takes stdin until end of file", () => {
  const { sys, m } = setup(new TextEncoder().encode("abc"));
  assert.equal(sys(NR.read, 0, BUF, 2), 2);
  assert.equal(sys(NR.read, 0, BUF + 2, 10), 1);
  assert.equal(sys(NR.read, 0, BUF, 10), 0);
  assert.equal(
    new TextDecoder().decode(m.cpu.mu8.subarray(BUF, BUF + 3)),
    "abc",
  );
  assert.equal(sys(NR.read, 1, BUF, 1), -ERRNO.EBADF);
});

Deno.test("brk grows and shrinks within its limits and zeroes released memory", () => {
  const { sys, m } = setup();
  assert.equal(sys(NR.brk, 0), BRK0);
  assert.equal(sys(NR.brk, BRK0 + 0x5000), BRK0 + 0x5000);
  m.cpu.mu8[BRK0 + 0x4000] = 7;
  assert.equal(sys(NR.brk, BRK0 + 0x1000), BRK0 + 0x1000);
  assert.equal(m.cpu.mu8[BRK0 + 0x4000], 0);
  assert.equal(
    sys(NR.brk, BRK_LIMIT + 4096),
    BRK0 + 0x1000,
    "past the limit: unchanged",
  );
  assert.equal(
    sys(NR.brk, BRK0 - 4096),
    BRK0 + 0x1000,
    "below the start: unchanged",
  );
});

Deno.test("openat opens only allowed files, read-only; _llseek, fstat and close work on them", () => {
  const path = Deno.makeTempFileSync();
  Deno.writeTextFileSync(path, "0123456789");
  try {
    const { sys, put, m } = setup(undefined, [path]);
    put(BUF, path);
    const fd = sys(NR.openat, -100, BUF, 0, 0) as number;
    assert.ok(fd >= 3);
    assert.equal(sys(NR.read, fd, BUF + 0x200, 4), 4);
    assert.equal(sys(NR.llseek, fd, 0, 8, BUF + 0x300, 0), 0);
    assert.equal(m.cpu.m32[(BUF + 0x300) >> 2], 8, "new offset, low word");
    assert.equal(m.cpu.m32[(BUF + 0x304) >> 2], 0, "new offset, high word");
    assert.equal(sys(NR.read, fd, BUF + 0x204, 4), 2);
    assert.equal(
      new TextDecoder().decode(m.cpu.mu8.subarray(BUF + 0x200, BUF + 0x206)),
      "012389",
    );
    assert.equal(sys(NR.fstat, fd, BUF + 0x400), 0);
    assert.equal(m.cpu.m32[(BUF + 0x400 + 48) >> 2], 10, "st_size");
    assert.equal(sys(NR.llseek, 1, 0, 0, BUF + 0x300, 0), -ERRNO.ESPIPE);
    assert.equal(sys(NR.llseek, fd, -1, -20, BUF + 0x300, 1), -ERRNO.EINVAL);
    assert.equal(
      sys(NR.openat, -100, BUF, 1, 0),
      -ERRNO.EACCES,
      "write access refused",
    );
    assert.equal(sys(NR.close, fd), 0);
    assert.equal(sys(NR.close, fd), -ERRNO.EBADF);
    put(BUF, "/etc/passwd");
    assert.equal(
      sys(NR.openat, -100, BUF, 0, 0),
      -ERRNO.ENOENT,
      "not allowed: not there",
    );
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("uname, ioctl(TCGETS), set_tid_address and clock_gettime64 answer as Linux does", () => {
  const { sys, m } = setup();
  assert.equal(sys(NR.uname, BUF), 0);
  const field = (k: number) => {
    let e = BUF + 65 * k;
    while (m.cpu.mu8[e]) e++;
    return new TextDecoder().decode(m.cpu.mu8.subarray(BUF + 65 * k, e));
  };
  assert.equal(field(0), "Linux");
  assert.equal(field(4), "riscv32");
  assert.equal(sys(NR.ioctl, 1, 0x5401, BUF), -ERRNO.ENOTTY);
  assert.equal(sys(NR.ioctl, 7, 0x5401, BUF), -ERRNO.EBADF);
  assert.ok((sys(NR.set_tid_address, BUF) as number) > 0);
  assert.equal(sys(NR.clock_gettime64, 0, BUF), 0);
  assert.ok(Math.abs(m.cpu.m32[BUF >> 2] - Date.now() / 1000) < 5);
  assert.equal(sys(NR.getrandom, BUF, 16, 0), 16);
});

Deno.test("an unknown system call returns -ENOSYS and is reported once", () => {
  const { sys, warnings } = setup();
  assert.equal(sys(999), -ERRNO.ENOSYS);
  assert.equal(sys(999), -ERRNO.ENOSYS);
  assert.equal(sys(998), -ERRNO.ENOSYS);
  assert.equal(warnings.length, 2);
  assert.match(
    warnings[0],
    /^oplet-emu: unsupported system call 999 at pc 0x[0-9a-f]{8}: returning -ENOSYS$/,
  );
});

Deno.test("exit and exit_group end the process with the low 8 bits of the code", () => {
  for (const nr of [NR.exit, NR.exit_group]) {
    const { sys, p } = setup();
    assert.equal(sys(nr, 0x1234), "exited");
    assert.equal(p.exitCode, 0x34);
  }
});

const PAGE = 4096;
const ANON = 0x22, FIXED = 0x10;

Deno.test("mmap2 places anonymous pages top down between the break and the stack, zeroed; munmap zeroes them", () => {
  const { sys, m, p } = setup();
  const a = sys(NR.mmap, 0, 3 * PAGE, 3, ANON, -1, 0) as number;
  assert.equal(a % PAGE, 0);
  assert.ok(a + 3 * PAGE <= BRK_LIMIT - PAGE, "below the stack's guard page");
  assert.ok(a >= BRK0);
  const b = sys(NR.mmap, 0, 100, 3, ANON, -1, 0) as number;
  assert.equal(b, a - PAGE, "the next one goes right below");
  assert.deepEqual(p.mappings(), [[b, a + 3 * PAGE]]);
  m.cpu.mu8.fill(9, a, a + 3 * PAGE);
  assert.equal(sys(NR.munmap, a + PAGE, PAGE), 0);
  assert.equal(m.cpu.mu8[a + PAGE], 0, "unmapped memory is zeroed");
  assert.equal(m.cpu.mu8[a], 9);
  assert.deepEqual(p.mappings(), [[b, a + PAGE], [a + 2 * PAGE, a + 3 * PAGE]]);
  // A hint on free pages is taken; MAP_FIXED_NOREPLACE refuses taken ones.
  assert.equal(sys(NR.mmap, a + PAGE, PAGE, 3, ANON, -1, 0), a + PAGE);
  assert.equal(
    sys(NR.mmap, a, PAGE, 3, ANON | 0x100000, -1, 0),
    -ERRNO.EEXIST,
  );
  // MAP_FIXED replaces: the pages read as zero again.
  assert.equal(sys(NR.mmap, a, PAGE, 3, ANON | FIXED, -1, 0), a);
  assert.equal(m.cpu.mu8[a], 0);
});

Deno.test("mmap2, munmap, mremap and mprotect refuse bad arguments as qemu-riscv32 does", () => {
  const { sys } = setup();
  assert.equal(sys(NR.mmap, 0, 0, 3, ANON, -1, 0), -ERRNO.EINVAL, "length 0");
  assert.equal(sys(NR.mmap, 0, PAGE, 3, 0x02, -1, 0), -ERRNO.EBADF, "no fd");
  assert.equal(sys(NR.mmap, 0, PAGE, 3, 0x20, -1, 0), -ERRNO.EINVAL, "type");
  assert.equal(sys(NR.mmap, 0, PAGE, 3, 0x02, 1, 0), -ERRNO.ENODEV, "a pipe");
  assert.equal(
    sys(NR.mmap, 0x40001, PAGE, 3, ANON | FIXED, -1, 0),
    -ERRNO.EINVAL,
  );
  assert.equal(sys(NR.mmap, 0, 0x7fff0000, 3, ANON, -1, 0), -ERRNO.ENOMEM);
  assert.equal(sys(NR.munmap, 0x40001, PAGE), -ERRNO.EINVAL);
  assert.equal(sys(NR.munmap, 0x40000, 0), -ERRNO.EINVAL);
  assert.equal(sys(NR.mprotect, 0x40001, PAGE, 1), -ERRNO.EINVAL);
  assert.equal(sys(NR.mprotect, 0x40000, PAGE, 1), 0);
  const a = sys(NR.mmap, 0, 2 * PAGE, 3, ANON, -1, 0) as number;
  assert.equal(sys(NR.mremap, a + 1, PAGE, PAGE, 0, 0), -ERRNO.EINVAL);
  assert.equal(sys(NR.mremap, a, PAGE, 2 * PAGE, 4, 0), -ERRNO.EINVAL);
  assert.equal(sys(NR.mremap, a, PAGE, 2 * PAGE, 2, 0), -ERRNO.EINVAL);
  assert.equal(sys(NR.mremap, a, PAGE, 3 * PAGE, 0, 0), -ERRNO.ENOMEM);
  assert.equal(sys(NR.mremap, 0x40000, PAGE, 2 * PAGE, 1, 0), -ERRNO.EFAULT);
});

Deno.test("mremap shrinks in place, grows in place when it can, and moves with MREMAP_MAYMOVE keeping the contents", () => {
  const { sys, m } = setup();
  const a = sys(NR.mmap, 0, 4 * PAGE, 3, ANON, -1, 0) as number;
  m.cpu.mu8.fill(5, a, a + 4 * PAGE);
  assert.equal(sys(NR.mremap, a, 4 * PAGE, PAGE, 0, 0), a);
  assert.equal(m.cpu.mu8[a + PAGE], 0, "the released tail is zeroed");
  assert.equal(sys(NR.mremap, a, PAGE, 3 * PAGE, 0, 0), a, "grown in place");
  assert.equal(m.cpu.mu8[a + 2 * PAGE], 0);
  const b = sys(NR.mremap, a, 3 * PAGE, 64 * PAGE, 1, 0) as number;
  assert.notEqual(b, a);
  assert.equal(m.cpu.mu8[b], 5, "moved contents");
  assert.equal(m.cpu.mu8[b + 3 * PAGE], 0);
  assert.equal(m.cpu.mu8[a], 0, "the old place is zeroed");
  const c = 0x100000;
  assert.equal(sys(NR.mremap, b, 64 * PAGE, PAGE, 3, c), c, "MREMAP_FIXED");
  assert.equal(m.cpu.mu8[c], 5);
});

Deno.test("brk grows only up to the lowest mapping above it", () => {
  const { sys } = setup();
  const a = sys(NR.mmap, BRK0 + 0x10000, PAGE, 3, ANON | FIXED, -1, 0);
  assert.equal(a, BRK0 + 0x10000);
  assert.equal(sys(NR.brk, BRK0 + 0x20000), BRK0, "blocked by the mapping");
  assert.equal(sys(NR.brk, BRK0 + 0x10000), BRK0 + 0x10000);
  assert.equal(sys(NR.munmap, a, PAGE), 0);
  assert.equal(sys(NR.brk, BRK0 + 0x20000), BRK0 + 0x20000);
});

Deno.test("a private file mapping holds the file's bytes from the offset", () => {
  const path = Deno.makeTempFileSync();
  const data = new Uint8Array(2 * PAGE + 10).map((_, k) => k & 0xff);
  Deno.writeFileSync(path, data);
  try {
    const { sys, put, m } = setup(undefined, [path]);
    put(BUF, path);
    const fd = sys(NR.openat, -100, BUF, 0, 0) as number;
    const a = sys(NR.mmap, 0, PAGE + 100, 1, 0x02, fd, 1) as number;
    assert.deepEqual(
      m.cpu.mu8.subarray(a, a + PAGE + 10),
      data.subarray(PAGE, 2 * PAGE + 10),
    );
    assert.equal(m.cpu.mu8[a + PAGE + 10], 0, "past the file: zero");
    assert.equal(sys(NR.mmap, 0, PAGE, 3, 0x01, fd, 0), -ERRNO.EACCES);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("clock_gettime64 serves every clock id qemu-riscv32 accepts and refuses the rest", () => {
  const { sys, m } = setup();
  const accepted = [0, 1, 2, 3, 4, 5, 6, 7, 11, -8, -7, -6, -4, -3, -2];
  for (let id = -10; id <= 20; id++) {
    const want = accepted.includes(id) ? 0 : -ERRNO.EINVAL;
    assert.equal(sys(NR.clock_gettime64, id, BUF), want, `clock ${id}`);
    assert.equal(sys(NR.clock_getres_time64, id, BUF), want, `res ${id}`);
    if (want === 0) {
      const ns = m.cpu.m32[(BUF >> 2) + 2];
      const coarse = [5, 6, -8, -7, -4, -3].includes(id);
      assert.equal(ns, coarse ? 4_000_000 : 1, `resolution of ${id}`);
    }
  }
  // The CPU clock of the guest's own pid (1000) is its own.
  const own = ((~1000) << 3) | 2;
  assert.equal(sys(NR.clock_gettime64, own, BUF), 0);
  assert.equal(sys(NR.clock_gettime64, ((~999) << 3) | 2, BUF), -ERRNO.EINVAL);
  assert.equal(sys(NR.clock_gettime64, 1, 0), -ERRNO.EFAULT);
  assert.equal(sys(NR.clock_getres_time64, 1, 0), 0);
  for (const nr of [113, 114, 169, 101, 115, 98]) {
    assert.equal(sys(nr, 0, BUF), -ERRNO.ENOSYS, `32-bit time call ${nr}`);
  }
});

Deno.test("realtime and monotonic clocks tick in nanoseconds; CPU time starts near zero and grows", () => {
  const { sys, m } = setup();
  const read = (id: number) => {
    assert.equal(sys(NR.clock_gettime64, id, BUF), 0);
    const w = BUF >> 2;
    return (m.cpu.m32[w] + m.cpu.m32[w + 1] * 2 ** 32) * 1e9 +
      m.cpu.m32[w + 2];
  };
  const r = read(0);
  assert.ok(
    Math.abs(r / 1e6 - Date.now()) < 5000,
    "realtime is the wall clock",
  );
  const seen = new Set<number>();
  for (let k = 0; k < 20; k++) seen.add(read(1) % 1000);
  assert.ok(seen.size > 1, "monotonic has sub-microsecond digits");
  const c0 = read(2);
  let x = 0;
  for (let k = 0; k < 3e7; k++) x += k % 7;
  const c1 = read(2);
  assert.ok(x > 0 && c0 >= 0 && c0 < 5e9, `cpu time starts near 0: ${c0}`);
  assert.ok(c1 > c0, "cpu time grows with work");
  // times(): ticks of 1/100 s; the same CPU time, within rounding.
  assert.ok((sys(NR.times, BUF) as number) > 0);
  const ticks = m.cpu.m32[BUF >> 2] + m.cpu.m32[(BUF >> 2) + 1];
  assert.ok(Math.abs(ticks * 1e7 - c1) < 2e8, `times ${ticks} vs ${c1} ns`);
});

Deno.test("signal actions and masks are kept; a fatal signal sent to itself ends the process", () => {
  const { sys, m, p, warnings } = setup();
  const act = BUF, old = BUF + 64;
  m.cpu.m32[act >> 2] = 0x1234;
  assert.equal(sys(NR.rt_sigaction, 10, act, 0, 8), 0);
  assert.equal(sys(NR.rt_sigaction, 10, 0, old, 8), 0);
  assert.equal(m.cpu.m32[old >> 2], 0x1234);
  assert.equal(sys(NR.rt_sigaction, 9, act, 0, 8), -ERRNO.EINVAL);
  assert.equal(sys(NR.rt_sigaction, 10, act, 0, 4), -ERRNO.EINVAL);
  m.cpu.m32[act >> 2] = (1 << 9) | (1 << 8); // SIGUSR1 and SIGKILL
  m.cpu.m32[(act >> 2) + 1] = 0;
  assert.equal(sys(NR.rt_sigprocmask, 0, act, 0, 8), 0);
  assert.equal(sys(NR.rt_sigprocmask, 0, 0, old, 8), 0);
  assert.equal(m.cpu.m32[old >> 2], 1 << 9, "SIGKILL cannot be blocked");
  assert.equal(sys(NR.rt_sigprocmask, 3, act, 0, 8), -ERRNO.EINVAL);
  assert.equal(sys(NR.kill, 1000, 10), 0, "a handler: not delivered");
  assert.match(warnings[0], /signal 10 .* not delivered/);
  assert.equal(sys(NR.kill, 1000, 17), 0, "SIGCHLD is ignored");
  assert.equal(sys(NR.kill, 4242, 6), -ERRNO.ESRCH);
  assert.equal(sys(NR.tgkill, 1000, 1000, 6), "exited");
  assert.equal(p.exitCode, 134);
  assert.equal(p.exitSignal, 6);
  assert.match(warnings.at(-1)!, /killed by signal 6 \(SIGABRT\)/);
});

Deno.test("statx, fstatat64 and faccessat see allowed files only; fstat writes 104 bytes", () => {
  const path = Deno.makeTempFileSync();
  Deno.writeTextFileSync(path, "x".repeat(1000));
  try {
    const { sys, put, m } = setup(undefined, [path]);
    put(BUF, path);
    const out = BUF + 0x400;
    assert.equal(sys(NR.statx, -100, BUF, 0, 0x7ff, out), 0);
    assert.equal(m.cpu.m32[(out + 40) >> 2], 1000, "stx_size");
    assert.equal(m.cpu.m32[(out + 28) >> 2] & 0o170000, 0o100000, "regular");
    assert.equal(sys(NR.newfstatat, -100, BUF, out, 0), 0);
    assert.equal(m.cpu.m32[(out + 48) >> 2], 1000, "st_size");
    assert.equal(sys(NR.faccessat, -100, BUF, 4), 0);
    assert.equal(sys(NR.faccessat, -100, BUF, 2), -ERRNO.EACCES);
    put(BUF, "/etc/passwd");
    assert.equal(sys(NR.statx, -100, BUF, 0, 0x7ff, out), -ERRNO.ENOENT);
    assert.equal(sys(NR.faccessat, -100, BUF, 4), -ERRNO.ENOENT);
    put(BUF, "");
    assert.equal(sys(NR.statx, 1, BUF, 0x1000, 0x7ff, out), 0);
    assert.equal(sys(NR.statx, 1, BUF, 0, 0x7ff, out), -ERRNO.ENOENT);
    m.cpu.mu8.fill(0xee, out, out + 200);
    assert.equal(sys(NR.fstat, 1, out), 0);
    assert.equal(m.cpu.mu8[out + 103], 0);
    assert.equal(m.cpu.mu8[out + 104], 0xee, "nothing past struct stat64");
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("unlinkat, renameat2 and mkdirat change nothing: EACCES on what the guest sees, ENOENT on the rest, no warning", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/f.txt`;
  Deno.writeTextFileSync(path, "kept");
  try {
    const { sys, put, warnings } = setup(undefined, [dir]);
    put(BUF, path);
    put(BUF + 0x200, `${dir}/g.txt`);
    assert.equal(sys(NR.unlinkat, -100, BUF, 0), -ERRNO.EACCES);
    assert.equal(
      sys(NR.renameat2, -100, BUF, -100, BUF + 0x200, 0),
      -ERRNO.EACCES,
    );
    assert.equal(sys(NR.mkdirat, -100, BUF, 0o755), -ERRNO.EEXIST);
    assert.equal(sys(NR.unlinkat, -100, BUF + 0x200, 0), -ERRNO.ENOENT);
    assert.equal(
      sys(NR.renameat2, -100, BUF + 0x200, -100, BUF, 0),
      -ERRNO.ENOENT,
    );
    assert.equal(sys(NR.mkdirat, -100, BUF + 0x200, 0o755), -ERRNO.EACCES);
    put(BUF, "/etc/passwd");
    assert.equal(sys(NR.unlinkat, -100, BUF, 0), -ERRNO.ENOENT);
    assert.equal(sys(NR.mkdirat, -100, BUF, 0o755), -ERRNO.ENOENT);
    assert.equal(sys(NR.unlinkat, -100, 0, 0), -ERRNO.EFAULT);
    assert.equal(Deno.readTextFileSync(path), "kept");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["f.txt"]);
    assert.deepEqual(warnings, []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("readv, dup, fcntl, prlimit64 and getrusage answer as Linux does", () => {
  const path = Deno.makeTempFileSync();
  Deno.writeTextFileSync(path, "abcdefgh");
  try {
    const { sys, put, m, out } = setup(undefined, [path]);
    put(BUF, path);
    const fd = sys(NR.openat, -100, BUF, 0, 0) as number;
    const iov = BUF + 0x200;
    m.cpu.m32[iov >> 2] = BUF + 0x300;
    m.cpu.m32[(iov >> 2) + 1] = 3;
    m.cpu.m32[(iov >> 2) + 2] = BUF + 0x310;
    m.cpu.m32[(iov >> 2) + 3] = 10;
    assert.equal(sys(NR.readv, fd, iov, 2), 8);
    const text = (a: number, n: number) =>
      new TextDecoder().decode(m.cpu.mu8.subarray(a, a + n));
    assert.equal(text(BUF + 0x300, 3) + text(BUF + 0x310, 5), "abcdefgh");
    const d = sys(NR.dup, 1) as number;
    assert.equal(sys(NR.write, d, BUF + 0x300, 3), 3);
    assert.equal(new TextDecoder().decode(new Uint8Array(out)), "abc");
    assert.equal(sys(NR.fcntl, 1, 3), 1, "F_GETFL: write-only");
    assert.equal(sys(NR.fcntl, 77, 1), -ERRNO.EBADF);
    assert.equal(sys(NR.prlimit64, 0, 3, 0, BUF), 0);
    assert.equal(m.cpu.m32[BUF >> 2], 8 * 1024 * 1024, "RLIMIT_STACK");
    assert.equal(sys(NR.prlimit64, 0, 99, 0, BUF), -ERRNO.EINVAL);
    assert.equal(sys(NR.getrusage, 0, BUF), 0);
    assert.equal(sys(NR.getrusage, 5, BUF), -ERRNO.EINVAL);
    assert.equal(sys(NR.getrandom, BUF, 16, 8), -ERRNO.EINVAL);
    assert.equal(sys(NR.set_robust_list, BUF, 12), -ERRNO.ENOSYS);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("clock_nanosleep_time64 sleeps, relative or until an absolute time; sched_getaffinity and sysinfo answer", () => {
  const { sys, m } = setup();
  const w = BUF >> 2;
  m.cpu.m32.set([0, 0, 30_000_000, 0], w); // 30 ms
  let t0 = performance.now();
  assert.equal(sys(NR.clock_nanosleep_time64, 1, 0, BUF, 0), 0);
  assert.ok(performance.now() - t0 >= 29, "slept 30 ms");
  assert.equal(sys(NR.clock_gettime64, 1, BUF), 0);
  const nsec = m.cpu.m32[w + 2] + 40_000_000;
  m.cpu.m32[w] += Math.floor(nsec / 1e9);
  m.cpu.m32[w + 2] = nsec % 1e9;
  t0 = performance.now();
  assert.equal(sys(NR.clock_nanosleep_time64, 1, 1, BUF, 0), 0);
  assert.ok(performance.now() - t0 >= 35, "slept until 40 ms later");
  m.cpu.m32[w + 2] = 1e9;
  assert.equal(sys(NR.clock_nanosleep_time64, 1, 0, BUF, 0), -ERRNO.EINVAL);
  assert.equal(sys(NR.clock_nanosleep_time64, 2, 0, BUF, 0), -ERRNO.EINVAL);
  assert.equal(sys(NR.sched_getaffinity, 0, 128, BUF), 4);
  assert.equal(m.cpu.m32[w], 1, "one CPU");
  assert.equal(sys(NR.sched_getaffinity, 0, 2, BUF), -ERRNO.EINVAL);
  assert.equal(sys(NR.sysinfo, BUF), 0);
  assert.equal(m.cpu.m32[w + 4], 1 << 24, "totalram");
  assert.equal(m.cpu.m32[w + 13], 1, "mem_unit");
});

Deno.test("madvise(MADV_DONTNEED) zeroes mapped pages only and leaves the map as it was", () => {
  const { sys, m, p } = setup();
  const a = sys(NR.mmap, 0, 2 * PAGE, 3, ANON, -1, 0) as number;
  m.cpu.mu8.fill(3, a, a + 2 * PAGE);
  assert.equal(sys(NR.madvise, a + PAGE, 0x7fff0000, 4), 0);
  assert.equal(m.cpu.mu8[a + PAGE], 0);
  assert.equal(m.cpu.mu8[a], 3);
  assert.deepEqual(p.mappings(), [[a, a + 2 * PAGE]]);
});

Deno.test("PROT_EXEC makes mappings executable; munmap, mprotect and riscv_flush_icache drop what was translated from them", () => {
  const { sys, m } = setup();
  m.execRanges = [[0x10000, 0x12000]];
  const a = sys(NR.mmap, 0, 2 * PAGE, 7, ANON, -1, 0) as number;
  assert.deepEqual(m.execRanges, [[0x10000, 0x12000], [a, a + 2 * PAGE]]);
  // Code written there runs: translate a block from it.
  m.cpu.m32.set([0x02a00513, 0x00008067], a >> 2); // li a0, 42; ret
  m.tbFind(a);
  assert.equal(m.tbFind(a).pc, a);
  const before = m.tbFind(a);
  assert.equal(sys(NR.flush_icache, a, a + 8, 0), 0);
  assert.notEqual(m.tbFind(a), before, "translated again after the flush");
  assert.equal(sys(NR.mprotect, a + PAGE, PAGE, 3), 0, "no longer executable");
  assert.deepEqual(m.execRanges, [[0x10000, 0x12000], [a, a + PAGE]]);
  const b = sys(NR.mremap, a, PAGE, 16 * PAGE, 1, 0) as number;
  assert.deepEqual(m.execRanges, [[0x10000, 0x12000], [b, b + 16 * PAGE]]);
  assert.equal(sys(NR.munmap, b, 16 * PAGE), 0);
  assert.deepEqual(m.execRanges, [[0x10000, 0x12000]]);
  const c = sys(NR.mmap, 0, PAGE, 3, ANON, -1, 0) as number;
  assert.ok(c > 0);
  assert.deepEqual(m.execRanges, [[0x10000, 0x12000]], "PROT_WRITE only");
});

Deno.test("readlinkat gives /proc/self/exe's real path and /proc/self/cwd as qemu-riscv32 does; other links are not found", async () => {
  const { sys, put, m, p } = setup();
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const exe = `${dir}/prog.elf`;
    await Deno.writeFile(exe, new Uint8Array(1));
    await Deno.symlink(exe, `${dir}/link.elf`);
    const path = 0x20000;
    const read = (n: number) =>
      new TextDecoder().decode(m.cpu.mu8.subarray(BUF, BUF + n));
    put(path, "/proc/self/exe");
    assert.equal(sys(NR.readlinkat, -100, path, BUF, 256), -ERRNO.ENOENT);
    p.exePath = `${dir}/link.elf`;
    m.cpu.mu8.fill(35, BUF, BUF + 300);
    assert.equal(sys(NR.readlinkat, -100, path, BUF, 256), exe.length);
    assert.equal(read(exe.length + 1), exe + "#"); // not NUL-terminated
    assert.equal(sys(NR.readlinkat, 5, path, BUF, 4), 4);
    assert.equal(read(4), exe.slice(0, 4));
    assert.equal(sys(NR.readlinkat, -100, path, BUF, 0), -ERRNO.EINVAL);
    assert.equal(sys(NR.readlinkat, -100, path, BUF, -1), -ERRNO.EFAULT);
    assert.equal(sys(NR.readlinkat, -100, path, 0, 256), -ERRNO.EFAULT);
    assert.equal(sys(NR.readlinkat, -100, 0, BUF, 256), -ERRNO.EFAULT);
    put(path, "/proc/1000/exe");
    assert.equal(sys(NR.readlinkat, -100, path, BUF, 256), exe.length);
    put(path, "/proc/1/exe");
    assert.equal(sys(NR.readlinkat, -100, path, BUF, 256), -ERRNO.ENOENT);
    put(path, "/proc/self/cwd");
    assert.equal(sys(NR.readlinkat, -100, path, BUF, 256), Deno.cwd().length);
    assert.equal(read(Deno.cwd().length), Deno.cwd());
    put(path, `${dir}/link.elf`);
    assert.equal(sys(NR.readlinkat, -100, path, BUF, 256), -ERRNO.ENOENT);
    p.exePath = `${dir}/missing.elf`;
    put(path, "/proc/self/exe");
    assert.equal(sys(NR.readlinkat, -100, path, BUF, 256), -ERRNO.ENOENT);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
