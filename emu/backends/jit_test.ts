import assert from "node:assert/strict";
import { cpuExec, type ExecStatus } from "../exec.ts";
import { GuestFault } from "../fault.ts";
import { Machine, type MachineOptions } from "../machine.ts";
import { defineOplet } from "../oplet.ts";
import {
  HOISTED_FIELDS,
  OPLETS,
  RISCV32,
  type RiscvCpu,
} from "../targets/riscv32/target.ts";
import { readOplet } from "../oplet_rules.ts";
import { GUARD_FAILS, HOT_INSNS, type JitBackend } from "./jit.ts";
import type { CpuState } from "../target.ts";

const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33) >>>
  0;
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const S = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    ((imm & 31) << 7) | 0x23) >>> 0;
const B = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) |
    (rs1 << 15) | (f3 << 12) | (((imm >> 1) & 0xf) << 8) |
    (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
const ECALL = 0x73;
const BASE = 0x10000;

/** t0 = n (below 2048); loop: t1 += t0; t0 -= 1; bnez t0, loop; ecall. */
const LOOP = (n: number) => [
  I(n, 0, 0, 5, 0x13),
  R(0, 5, 6, 0, 6),
  I(-1, 5, 0, 5, 0x13),
  B(-8, 0, 5, 1),
  ECALL,
];

function machine(words: number[], options: MachineOptions): Machine {
  const m = new Machine({ memSize: 1 << 20, ...options });
  words.forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
  m.cpu.pc = BASE;
  return m;
}

function exec(m: Machine): ExecStatus | GuestFault {
  try {
    return cpuExec(m, () => true);
  } catch (e) {
    if (e instanceof GuestFault) return e;
    throw e;
  }
}

/** Runs `m`: how it ended (a fault as its message), its registers and counts. */
function finish(m: Machine) {
  const r = exec(m);
  return {
    r: r instanceof GuestFault ? r.message() : r,
    x: [...m.cpu.x],
    stats: { ...m.stats },
  };
}

const jitOf = (m: Machine) => m.backend as unknown as JitBackend<CpuState>;

Deno.test("jit: a hot loop runs compiled, with the interpreter's results and counts", () => {
  const sw = machine(LOOP(1000), {});
  const j = machine(LOOP(1000), { backend: "jit", jit: { hotAfter: 10 } });
  assert.equal(exec(sw), "exit");
  assert.equal(exec(j), "exit");
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.equal(j.cpu.x[6], 500500);
  assert.deepEqual(j.stats, sw.stats);
  const st = jitOf(j).stats;
  assert.equal(st.regions, 1);
  // Entered once from the loop; the loop itself stays inside the region.
  assert.equal(st.entries, 1);
});

/** Nested loops: x5 = 50 outer rounds of 20 inner ones adding x7 into x6; ecall. */
const NESTED = [
  I(50, 0, 0, 5, 0x13), // addi x5, x0, 50
  I(20, 0, 0, 7, 0x13), // outer: addi x7, x0, 20
  R(0, 7, 6, 0, 6), // inner: add x6, x6, x7
  I(-1, 7, 0, 7, 0x13), // addi x7, x7, -1
  B(-8, 0, 7, 1), // bnez x7, inner
  I(-1, 5, 0, 5, 0x13), // addi x5, x5, -1
  B(-20, 0, 5, 1), // bnez x5, outer
  ECALL,
];

Deno.test("jit: a region stops at the head of one compiled before and chains to it", () => {
  const sw = machine(NESTED, {});
  const j = machine(NESTED, { backend: "jit", jit: { hotAfter: 10 } });
  assert.equal(exec(sw), "exit");
  assert.equal(exec(j), "exit");
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.equal(j.cpu.x[6], 50 * 210);
  assert.deepEqual(j.stats, sw.stats);
  const st = jitOf(j).stats;
  // The inner loop first; then the outer loop's blocks, which tail-call
  // the inner loop's region rather than compile its block a second time.
  assert.equal(st.regions, 2);
  assert.equal(st.blocks, 3);
  // Once both are compiled they call each other: the loop entered compiled
  // code in the first rounds only (11 times when compiled synchronously).
  assert.ok(st.entries < 25, `${st.entries} entries`);
  for (const limit of [5, 250, 333, 1999]) {
    const a = machine(NESTED, {});
    const b = machine(NESTED, { backend: "jit", jit: { hotAfter: 10 } });
    a.insnLimit = b.insnLimit = limit;
    assert.equal(exec(a), "limit");
    assert.equal(exec(b), "limit");
    assert.deepEqual(b.stats, a.stats, `limit ${limit}`);
    assert.equal(b.cpu.pc, a.cpu.pc);
    assert.deepEqual(b.cpu.x, a.cpu.x);
  }
});

Deno.test("jit: --max-insns stops at the same block inside compiled code", () => {
  for (const limit of [1, 7, 100, 1234]) {
    const sw = machine(LOOP(1000), {});
    const j = machine(LOOP(1000), { backend: "jit", jit: { hotAfter: 1 } });
    sw.insnLimit = j.insnLimit = limit;
    assert.equal(exec(sw), "limit");
    assert.equal(exec(j), "limit");
    assert.deepEqual(j.stats, sw.stats, `limit ${limit}`);
    assert.equal(j.cpu.pc, sw.cpu.pc);
    assert.deepEqual(j.cpu.x, sw.cpu.x);
  }
});

Deno.test("jit: a fault inside a region keeps its pc, address, counts and registers", () => {
  // t0 = 0x20000; loop: t2 += 1; sw t0, 0(t0); t0 += 0x4000; j loop:
  // faults past memory, after the block has counted t2 up once more.
  const words = [
    0x000202b7, // lui t0, 0x20
    I(1, 7, 0, 7, 0x13),
    S(0, 5, 5, 2),
    0x00004337, // lui t1, 4
    R(0, 6, 5, 0, 5),
    0xff1ff06f, // jal x0, -16
  ];
  const sw = machine(words, {});
  const j = machine(words, { backend: "jit", jit: { hotAfter: 2 } });
  const a = exec(sw), b = exec(j);
  assert.ok(a instanceof GuestFault && b instanceof GuestFault);
  assert.equal(b.message(), a.message());
  assert.equal(b.pc, BASE + 8);
  assert.equal(j.cpu.x[7], (((1 << 20) - 0x20000) >> 14) + 1);
  assert.deepEqual(j.stats, sw.stats);
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.ok(jitOf(j).stats.regions > 0);
});

Deno.test("jit: loads and stores at the edges of memory and alignment fault or not as on switch", () => {
  const MEM = 1 << 20, RO = 0x3000;
  // x6 = a load from, or a store of x7 to, x5 + imm; then ecall.
  const accesses = [
    ...[0, 1, 2, 4, 5].map((f3) => (imm: number) => I(imm, 5, f3, 6, 0x03)),
    ...[0, 1, 2].map((f3) => (imm: number) => S(imm, 7, 5, f3)),
  ];
  const addrs = [
    0,
    0x0ffc,
    0x0fff,
    0x1000,
    0x1001,
    0x1002,
    0x1003,
    RO - 4,
    RO - 1,
    RO,
    RO + 2,
    MEM - 8,
    MEM - 4,
    MEM - 3,
    MEM - 2,
    MEM - 1,
    MEM,
    MEM + 4,
    0x7ffffffc,
    0x80000000,
    -4,
    -1,
  ];
  const outcome = (m: Machine) => ({
    ...finish(m),
    word: m.cpu.m32[(RO - 4) >> 2],
    compiled: "compiler" in m.backend ? jitOf(m).stats.regions : 0,
  });
  let faults = 0;
  for (const access of accesses) {
    for (const a of addrs) {
      for (const imm of [0, 3, -2]) {
        const words = [access(imm), ECALL];
        const run = (o: MachineOptions) => {
          const m = machine(words, { memSize: MEM, ...o });
          m.cpu.protectBelow(RO);
          m.cpu.x[5] = (a - imm) | 0;
          m.cpu.x[7] = 0x12345678;
          m.cpu.m32[(RO - 4) >> 2] = 0x0badcafe;
          return outcome(m);
        };
        const want = run({});
        const got = run({ backend: "jit", jit: { hotAfter: 1 } });
        assert.equal(got.compiled, 1);
        got.compiled = want.compiled = 0;
        assert.deepEqual(got, want, `${access(imm).toString(16)} at ${a}`);
        if (typeof want.r === "string" && want.r !== "exit") faults++;
      }
    }
  }
  assert.ok(faults > 100, `${faults} faults`);
});

Deno.test("jit: flushing the cache drops compiled regions; the run goes on alike", () => {
  const sw = machine(LOOP(2000), {});
  const j = machine(LOOP(2000), { backend: "jit", jit: { hotAfter: 5 } });
  sw.insnLimit = j.insnLimit = 3000;
  assert.equal(exec(sw), "limit");
  assert.equal(exec(j), "limit");
  const regions = jitOf(j).stats.regions;
  assert.ok(regions > 0);
  sw.tbFlush();
  j.tbFlush();
  assert.equal(j.tbs.size, 0);
  sw.insnLimit = j.insnLimit = Infinity;
  assert.equal(exec(sw), "exit");
  assert.equal(exec(j), "exit");
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.deepEqual(j.stats, sw.stats);
  // The loop was compiled again after the flush.
  assert.ok(jitOf(j).stats.regions > regions);
});

/**
 * t0 = 100; A = BASE + 8: t0 -= 1; beq t0, 0, exit. B = BASE + 16:
 * t1 += t0; bne t0, 0, A. A runs first in each round (t1 ends at 4950).
 */
const A_THEN_B = [
  I(100, 0, 0, 5, 0x13),
  B(4, 0, 5, 1),
  I(-1, 5, 0, 5, 0x13),
  B(12, 0, 5, 0),
  R(0, 5, 6, 0, 6),
  B(-12, 0, 5, 1),
  ECALL,
];

/**
 * The riscv32 target with op_add written with a construct (throw) that the
 * compiler refuses; `n` is its number.
 */
function refusedAdd() {
  // deno-lint-ignore no-unused-vars
  function op_add(s: RiscvCpu, c: Int32Array, i: number): number {
    if (s.t0 !== s.t0) throw new Error("not a number");
    s.t0 = (s.t0 + s.t1) | 0;
    return i + 1;
  }
  const n = OPLETS.findIndex((o) => o.name === "add");
  const oplets = OPLETS.slice();
  oplets[n] = defineOplet(op_add, 0);
  return { n, target: { ...RISCV32, oplets } };
}

Deno.test("jit: an oplet the compiler does not handle keeps its blocks in the interpreter", () => {
  const { n, target } = refusedAdd();
  const sw = machine(LOOP(1000), { target });
  const j = machine(LOOP(1000), {
    target,
    backend: "jit",
    jit: { hotAfter: 1 },
  });
  assert.equal(exec(sw), "exit");
  assert.equal(exec(j), "exit");
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.equal(j.cpu.x[6], 500500);
  assert.deepEqual(j.stats, sw.stats);
  const jit = jitOf(j);
  assert.equal(
    jit.compiler!.supports(n),
    'oplet "add": throw is not compiled',
  );
  // The blocks holding the add never became compiled code; the last one
  // (the ecall, no add) did.
  assert.equal(j.tbs.get(BASE)!.compiled, null);
  assert.equal(j.tbs.get(BASE + 4)!.compiled, null);
  assert.notEqual(j.tbs.get(BASE + 16)!.compiled, null);
});

Deno.test("jit: a region whose warm successor uses an oplet that does not compile is formed again without it", () => {
  // op_add refused (refusedAdd). A = BASE + 8: t0 -= 1; beq t0, 0, exit.
  // B = BASE + 16: t1 += t0; bne t0, 0, A. A runs first in each round, so
  // it turns hot with B warm: the region first takes B, its compile fails
  // on the add, and A is compiled alone.
  const { n, target } = refusedAdd();
  const words = A_THEN_B;
  const sw = machine(words, { target });
  const j = machine(words, { target, backend: "jit", jit: { hotAfter: 16 } });
  assert.equal(exec(sw), "exit");
  assert.equal(exec(j), "exit");
  assert.equal(j.cpu.x[6], 4950);
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.deepEqual(j.stats, sw.stats);
  const jit = jitOf(j);
  assert.equal(jit.compiler!.supports(n), 'oplet "add": throw is not compiled');
  assert.notEqual(j.tbs.get(BASE + 8)!.compiled, null);
  assert.equal(j.tbs.get(BASE + 16)!.compiled, null);
  assert.equal(jit.stats.regions, 1);
  assert.equal(jit.stats.blocks, 1);
});

Deno.test("jit: a region's other blocks run compiled when the loop reaches them from outside", () => {
  // A = BASE + 8: t0 -= 1; beq t0, 0, exit. B = BASE + 16: t1 += t0;
  // bne t0, 0, A. A turns hot first, with B warm: one region, A its head.
  const words = A_THEN_B;
  const sw = machine(words, {});
  const j = machine(words, { backend: "jit", jit: { hotAfter: 16 } });
  assert.equal(exec(sw), "exit");
  assert.equal(exec(j), "exit");
  const jit = jitOf(j);
  assert.equal(jit.stats.regions, 1);
  const b = j.tbs.get(BASE + 16)!;
  assert.equal((b.compiled as unknown as { start: number }).start, 1);
  // Start again at B, from the loop: it enters the region at B.
  for (const m of [sw, j]) {
    m.cpu.x[5] = 10;
    m.cpu.pc = BASE + 16;
  }
  const entries = jit.stats.entries;
  assert.equal(exec(sw), "exit");
  assert.equal(exec(j), "exit");
  assert.equal(jit.stats.entries, entries + 1);
  assert.equal(j.cpu.x[6], 4950 + 55);
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.deepEqual(j.stats, sw.stats);
});

Deno.test("jit: a block of more than HOT_INSNS instructions turns hot after as many instructions, not runs", () => {
  const jit = jitOf(machine(LOOP(1), { backend: "jit" }));
  assert.equal(jit.heatOf(BASE, 1), 1000);
  assert.equal(jit.heatOf(BASE, HOT_INSNS), 1000);
  assert.equal(jit.heatOf(BASE, 64), 1000 * HOT_INSNS / 64);
  assert.equal(jit.heatOf(BASE, 10000), 1000 / 16 + 0.5);
});

Deno.test("jit: while profiling, every block is interpreted", () => {
  const j = machine(LOOP(1000), {
    backend: "jit",
    jit: { hotAfter: 1 },
    profile: {
      defineTb() {},
      executions: () => Promise.resolve(),
      close: () => Promise.resolve(),
    },
  });
  j.cpu.prof = new Uint32Array(1 << 16);
  assert.equal(exec(j), "exit");
  assert.equal(jitOf(j).stats.regions, 0);
  assert.equal(j.cpu.x[6], 500500);
});

Deno.test("jit: what the compiler refuses is named; a number field may hold a non-int32", () => {
  // deno-lint-ignore no-unused-vars
  function op_half(s: RiscvCpu, c: Int32Array, i: number): number {
    s.trap = s.t0 / 2;
    return i + 1;
  }
  // deno-lint-ignore no-unused-vars
  function op_pow(s: RiscvCpu, c: Int32Array, i: number): number {
    s.t0 = (s.t0 ** 2) | 0;
    return i + 1;
  }
  // deno-lint-ignore no-unused-vars
  function op_round(s: RiscvCpu, c: Int32Array, i: number): number {
    s.t0 = Math.round(s.t0 / 4) | 0;
    return i + 1;
  }
  const n = OPLETS.length;
  const target = {
    ...RISCV32,
    oplets: [
      ...OPLETS,
      defineOplet(op_half, 0),
      defineOplet(op_pow, 0),
      defineOplet(op_round, 0),
    ],
  };
  const jit = jitOf(new Machine({ memSize: 1 << 20, backend: "jit", target }));
  assert.equal(
    jit.compiler!.supports(n),
    'oplet "half": a value that may not be int32 in a number field',
  );
  assert.equal(jit.compiler!.supports(n + 1), 'oplet "pow": the operator "**"');
  assert.equal(jit.compiler!.supports(n + 2), null);
  // Every oplet of the riscv32 table compiles, floating point included
  // (the float registers, fflags and frm are in guest memory), except the
  // profiling one.
  OPLETS.forEach((o, k) => {
    readOplet(o, HOISTED_FIELDS);
    assert.equal(
      jit.compiler!.supports(k),
      o.name === "profile" ? jit.compiler!.supports(k) : null,
      o.name,
    );
  });
  assert.notEqual(
    jit.compiler!.supports(OPLETS.findIndex((o) => o.name === "profile")),
    null,
  );
});

Deno.test("jit: an exit code it does not know goes back to the execution loop unchanged", () => {
  // ebreak's oplet, returning a code the loop does not know (as a new
  // instruction's exit would before the loop learns it).
  function op_ebreak(s: RiscvCpu, c: Int32Array, i: number): number {
    s.pc = c[i + 1];
    return -42;
  }
  const n = OPLETS.findIndex((o) => o.name === "ebreak");
  const oplets = OPLETS.slice();
  oplets[n] = defineOplet(op_ebreak, 1, true);
  const target = { ...RISCV32, oplets };
  const words = [I(7, 0, 0, 10, 0x13), 0x00100073]; // li a0, 7; ebreak
  const messages = [{}, { backend: "jit", jit: { hotAfter: 1 } }].map((o) => {
    const m = machine(words, { target, ...o as MachineOptions });
    assert.throws(
      () => exec(m),
      /^Error: Oplet returned unknown exit code -42 in block at pc 65540$/,
    );
    return { stats: m.stats, a0: m.cpu.x[10] };
  });
  assert.deepEqual(messages[1], messages[0]);
  assert.equal(messages[0].a0, 7);
});

Deno.test("jit: floating-point blocks run compiled, with the interpreter's registers, fflags and counts", () => {
  const OP_FP = 0x53;
  const fp = (f5: number, rs2: number, rs1: number, rm: number, rd: number) =>
    R((f5 << 2) | 1, rs2, rs1, rm, rd) ^ 0x33 ^ OP_FP;
  const fma = (rd: number, rs1: number, rs2: number, rs3: number) =>
    ((rs3 << 27) | (1 << 25) | (rs2 << 20) | (rs1 << 15) | (7 << 12) |
      (rd << 7) | 0x43) >>> 0;
  // t0 = 300; loop: f1 = t0; f2 = f1 * f1 + f2; f3 = f2 / f1; t2 = f2 == f3;
  // t3 = (int) f3 (rtz); t5 += t3 + t2; f4 = -f3; t4 = fflags; t0 -= 1;
  // bnez t0, loop; ecall.
  const words = [
    I(300, 0, 0, 5, 0x13),
    fp(0x1a, 0, 5, 7, 1), // fcvt.d.w f1, t0
    fma(2, 1, 1, 2), // fmadd.d f2, f1, f1, f2
    fp(0x03, 1, 2, 7, 3), // fdiv.d f3, f2, f1
    fp(0x14, 3, 2, 2, 7), // feq.d t2, f2, f3
    fp(0x18, 0, 3, 1, 28), // fcvt.w.d t3, f3, rtz
    R(0, 28, 30, 0, 30), // add t5, t5, t3
    R(0, 7, 30, 0, 30), // add t5, t5, t2
    fp(0x04, 3, 3, 1, 4), // fsgnjn.d f4, f3, f3 (fneg.d)
    I(1, 0, 2, 29, 0x73), // csrrs t4, fflags, x0
    I(-1, 5, 0, 5, 0x13),
    B(-40, 0, 5, 1),
    ECALL,
  ];
  const sw = machine(words, {});
  const j = machine(words, { backend: "jit", jit: { hotAfter: 2 } });
  assert.equal(exec(sw), "exit");
  assert.equal(exec(j), "exit");
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.deepEqual(j.cpu.fw, sw.cpu.fw);
  assert.equal(j.cpu.fflags, sw.cpu.fflags);
  assert.deepEqual(j.stats, sw.stats);
  assert.equal(j.cpu.fflags, 1, "NX from the division");
  assert.notEqual(j.cpu.x[30], 0);
  // The loop's block became compiled code.
  assert.notEqual(j.tbs.get(BASE + 4)!.compiled, null);
  assert.ok(jitOf(j).stats.regions > 0);
});

Deno.test("jit: set-less-than and carries, compiled without branches, agree with switch on a stream of random operands", () => {
  const shl1 = (r: number, v: number) => [R(0, r, r, 0, r), R(0, v, r, 0, r)];
  const body = [
    R(1, 15, 10, 0, 10), // a0 = a0 * a5
    R(0, 16, 10, 0, 10), // a0 += a6
    R(1, 16, 11, 0, 11), // a1 = a1 * a6
    R(0, 15, 11, 4, 11), // a1 ^= a5
    R(0, 11, 10, 2, 12), // a2 = slt a0, a1
    ...shl1(9, 12), // s1 = 2 * s1 + a2
    R(0, 11, 10, 3, 12), // a2 = sltu a0, a1
    ...shl1(18, 12), // s2 = 2 * s2 + a2
    I(5, 10, 2, 12, 0x13), // a2 = slti a0, 5
    ...shl1(19, 12), // s3 = 2 * s3 + a2
    I(3, 10, 7, 13, 0x13), // a3 = a0 & 3
    I(1, 13, 3, 12, 0x13), // a2 = seqz a3 (sltiu a3, 1)
    ...shl1(20, 12), // s4 = 2 * s4 + a2
    R(0, 11, 10, 0, 14), // a4 = a0 + a1
    R(0, 10, 14, 3, 12), // a2 = carry: sltu a4, a0
    ...shl1(21, 12), // s5 = 2 * s5 + a2
    I(-1, 5, 0, 5, 0x13), // t0 -= 1
  ];
  const program = [...body, B(-4 * body.length, 0, 5, 1), ECALL];
  const run = (o: MachineOptions) => {
    const m = machine(program, o);
    m.cpu.x[5] = 2000;
    m.cpu.x[10] = 7;
    m.cpu.x[11] = -3;
    m.cpu.x[15] = 1664525;
    m.cpu.x[16] = 1013904223;
    assert.equal(exec(m), "exit");
    return m;
  };
  const sw = run({ backend: "switch" });
  // Each history saw both outcomes in its last 32 iterations.
  for (const r of [9, 18, 19, 20, 21]) {
    assert.ok(sw.cpu.x[r] !== 0 && sw.cpu.x[r] !== -1, `x${r}`);
  }
  for (const hotAfter of [1, 30]) {
    const j = run({ backend: "jit", jit: { hotAfter } });
    assert.ok(jitOf(j).stats.regions > 0);
    assert.deepEqual(j.cpu.x, sw.cpu.x, `hotAfter ${hotAfter}`);
    assert.deepEqual(j.stats, sw.stats, `hotAfter ${hotAfter}`);
  }
});

const MEM = 1 << 20, RO = 0x20000;

// A block of accesses at base register rb (sp, or a2) and at a3 that
// does not write them (compiled as a guarded version, one test of both
// or the interpreter), then a block that moves rb by x11 and counts down.
// rb walks from `start` through the read-only page below RO, misaligned
// or not.
const program = (rb: number) => [
  S(0, 5, rb, 2), // loop: sw t0, 0(rb)
  S(4, 6, rb, 2), // sw t1, 4(rb)
  S(-8, 5, rb, 2), // sw t0, -8(rb)
  I(0, rb, 2, 7, 0x03), // lw t2, 0(rb)
  I(4, rb, 2, 8, 0x03), // lw s0, 4(rb)
  I(2, rb, 2, 9, 0x03), // lw s1, 2(rb) (misaligned if rb is aligned)
  I(-8, rb, 4, 10, 0x03), // lbu a0, -8(rb)
  I(0, 13, 2, 14, 0x03), // lw a4, 0(a3) (a3 stays put)
  S(4, 6, 13, 2), // sw t1, 4(a3)
  R(0, 14, 6, 0, 6), // add t1, t1, a4
  R(0, 7, 6, 0, 6), // add t1, t1, t2
  R(0, 8, 6, 0, 6), // add t1, t1, s0
  R(0, 9, 6, 0, 6), // add t1, t1, s1
  R(0, 10, 6, 0, 6), // add t1, t1, a0
  B(8, 0, 5, 1), // bnez t0, next (ends the block)
  ECALL,
  R(0, 11, rb, 0, rb), // next: add rb, rb, a1
  I(-1, 5, 0, 5, 0x13), // addi t0, t0, -1
  B(-72, 0, 5, 1), // bnez t0, loop
  ECALL,
];

/**
 * Runs `m` with base register `rb` from `start` moving by `step` for `n`
 * rounds: how it ended, the memory around RO, guard failures.
 */
function walk(m: Machine, rb: number, start: number, step: number, n: number) {
  m.cpu.protectBelow(RO);
  m.cpu.x[rb] = start;
  m.cpu.x[13] = RO + 0x1800;
  m.cpu.x[5] = n;
  m.cpu.x[11] = step;
  return {
    ...finish(m),
    mem: [...m.cpu.m32.subarray((RO - 0x400) >> 2, (RO + 0x2000) >> 2)],
    guardFails: "compiler" in m.backend ? jitOf(m).stats.guardFails : 0,
  };
}

Deno.test("jit: accesses at a register the block does not write, compiled without their own checks, fault and misalign exactly as on switch wherever the register walks", () => {
  const cases: [number, number][] = [
    [RO + 0x1000, -16], // aligned, down into the read-only page: a store faults
    [RO + 0x1002, -16], // misaligned all the way
    [RO + 0xff4, -4], // word-aligned only
    [RO + 0x800, 16], // up, away from it
    [MEM - 0x400, 16], // up, past the end of memory: a load faults
    [0x1400, -16], // down into the null page
  ];
  let faults = 0, fails = 0;
  for (
    const [rb, [start, step]] of [2, 12].flatMap((r) =>
      cases.map((c) => [r, c] as const)
    )
  ) {
    const run = (o: MachineOptions) =>
      walk(machine(program(rb), { memSize: MEM, ...o }), rb, start, step, 400);
    const want = run({});
    if (want.r !== "exit") faults++;
    for (const hotAfter of [2, 40]) {
      const got = run({ backend: "jit", jit: { hotAfter } });
      fails += got.guardFails;
      got.guardFails = want.guardFails;
      assert.deepEqual(
        got,
        want,
        `x${rb} from ${start} by ${step}, hotAfter ${hotAfter}`,
      );
    }
  }
  assert.ok(faults >= 6, `${faults} faults`);
  assert.ok(fails > 400, `${fails} guards failed`);
});

Deno.test("jit: a block whose guard keeps failing is compiled without one after GUARD_FAILS failures", () => {
  // a2 stays misaligned: every run of the accesses' block fails its guard.
  const n = GUARD_FAILS + 300;
  const m = machine(program(12), {
    memSize: MEM,
    backend: "jit",
    jit: { hotAfter: 2 },
  });
  const got = walk(m, 12, RO + 0x1002, 0, n);
  const want = walk(
    machine(program(12), { memSize: MEM }),
    12,
    RO + 0x1002,
    0,
    n,
  );
  want.guardFails = GUARD_FAILS;
  assert.deepEqual(got, want);
  const j = jitOf(m);
  assert.deepEqual([...j.compiler!.unguarded], [BASE]);
  assert.equal(got.stats.tbs, 3);
  assert.ok(j.stats.regions >= 2, `${j.stats.regions} regions`);
});
