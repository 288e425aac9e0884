import assert from "node:assert/strict";
import { ERRNO, type GuestIo, LinuxProcess, NR } from "./syscall.ts";
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
    /^oplet: unsupported system call 999 at pc 0x[0-9a-f]{8}: returning -ENOSYS$/,
  );
});

Deno.test("exit and exit_group end the process with the low 8 bits of the code", () => {
  for (const nr of [NR.exit, NR.exit_group]) {
    const { sys, p } = setup();
    assert.equal(sys(nr, 0x1234), "exited");
    assert.equal(p.exitCode, 0x34);
  }
});
