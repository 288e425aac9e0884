import assert from "node:assert/strict";
import { cpuExec } from "../exec.ts";
import { Machine, type MachineOptions } from "../machine.ts";
import { defineOplet } from "../oplet.ts";
import { OPLETS, RISCV32, type RiscvCpu } from "../targets/riscv32/target.ts";
import { fAddD } from "../targets/riscv32/fpu.ts";

// Blocks whose floating-point oplets only call a helper that reads or
// writes an integer register (fcvt.d.w, feq.d, fcvt.w.d): compiled code
// keeps that register in a local, so the helper must get and return
// values rather than reach into the register file. Found by an SQLite
// build whose feq.d result was lost on jit.

const fp = (f7: number, rs2: number, rs1: number, rm: number, rd: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | 0x53) >>>
  0;
const addi = (rd: number, rs1: number, imm: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13) >>> 0;
const add = (rd: number, rs1: number, rs2: number) =>
  ((rs2 << 20) | (rs1 << 15) | (rd << 7) | 0x33) >>> 0;
const bnez = (rs1: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs1 << 15) |
    (1 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) |
    0x63) >>> 0;
const BASE = 0x10000;

/** t0 = n; loop: fa0 = t0; a5 = (fa0 == fa0); t1 += a5; a4 = (int)fa0; t2 += a4; t0 -= 1; bnez t0, loop; ecall. */
const PROGRAM = (n: number) => [
  addi(5, 0, n),
  fp(0x69, 0, 5, 0, 10), // fcvt.d.w fa0, t0
  fp(0x51, 10, 10, 2, 15), // feq.d a5, fa0, fa0
  add(6, 6, 15),
  fp(0x61, 0, 10, 1, 14), // fcvt.w.d a4, fa0, rtz
  add(7, 7, 14),
  addi(5, 5, -1),
  bnez(5, -24),
  0x73,
];

function run(options: MachineOptions, program = PROGRAM(1000)): Machine {
  const m = new Machine({ memSize: 1 << 20, ...options });
  program.forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
  m.cpu.pc = BASE;
  assert.equal(cpuExec(m, () => true), "exit");
  return m;
}

Deno.test("jit: helpers of FP oplets see and set the integer registers compiled code holds", () => {
  const sw = run({ backend: "switch" });
  assert.equal(sw.cpu.x[6], 1000);
  assert.equal(sw.cpu.x[7], 500500);
  for (const hotAfter of [1, 10]) {
    const j = run({ backend: "jit", jit: { hotAfter } });
    assert.deepEqual(j.cpu.x, sw.cpu.x, `hotAfter ${hotAfter}`);
    assert.deepEqual(j.cpu.f, sw.cpu.f, `hotAfter ${hotAfter}`);
    assert.deepEqual(j.stats, sw.stats, `hotAfter ${hotAfter}`);
  }
});

const fsd = (rs2: number, rs1: number, imm: number) =>
  (((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (3 << 12) |
    ((imm & 31) << 7) | 0x27) >>> 0;
const fld = (rd: number, rs1: number, imm: number) =>
  ((imm << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x07) >>> 0;

// Float registers are reached through several views (a double, its words,
// a NaN-boxed single) and by helpers. Each step here mixes them: a helper
// writing one (a static rounding mode leaves the inline path), a double
// read as words and as a single, a single over a double, and a double
// stored and loaded back. NX is set first: the inline paths need it.
const VIEWS = (n: number) => [
  addi(5, 0, n),
  (1 << 20) | (1 << 15) | (6 << 12) | 0x73, // csrsi fflags, NX
  (0x11 << 12) | (8 << 7) | 0x37, // lui s0, 0x11
  fp(0x69, 0, 5, 0, 10), // loop: fcvt.d.w fa0, t0
  fp(0x2d, 0, 10, 7, 10), // fsqrt.d fa0, fa0
  fp(0x01, 10, 11, 2, 11), // fadd.d fa1, fa1, fa0, rdn (a helper)
  fp(0x01, 10, 11, 7, 12), // fadd.d fa2, fa1, fa0 (inline)
  fp(0x11, 12, 12, 1, 13), // fsgnjn.d fa3, fa2, fa2
  fp(0x09, 10, 13, 7, 12), // fmul.d fa2, fa3, fa0
  fp(0x70, 0, 12, 0, 14), // fmv.x.w a4, fa2
  add(7, 7, 14),
  fp(0x20, 1, 12, 7, 14), // fcvt.s.d fa4, fa2
  fp(0x21, 0, 14, 0, 14), // fcvt.d.s fa4, fa4
  fp(0x01, 12, 14, 7, 14), // fadd.d fa4, fa4, fa2
  fsd(14, 8, 8),
  fld(15, 8, 8),
  fp(0x70, 0, 15, 0, 15), // fmv.x.w a5, fa5
  add(6, 6, 15),
  fld(14, 8, 8) - (1 << 12), // flw fa4, 8(s0): a single over the double
  fsd(14, 8, 16),
  (20 << 20) | (8 << 15) | (2 << 12) | (15 << 7) | 0x03, // lw a5, 20(s0)
  add(6, 6, 15),
  // fmadd.d fa6, fa0, fa1, fa2: written inline, then a helper call skipped
  ((12 << 27) | (1 << 25) | (11 << 20) | (10 << 15) | (7 << 12) | (16 << 7) |
    0x43) >>> 0,
  fsd(16, 8, 24),
  (24 << 20) | (8 << 15) | (2 << 12) | (15 << 7) | 0x03, // lw a5, 24(s0)
  add(6, 6, 15),
  fp(0x01, 10, 13, 7, 13), // fadd.d fa3, fa3, fa0
  fld(13, 8, 8) - (1 << 12), // flw fa3, 8(s0), and nothing reads fa3 after
  addi(5, 5, -1),
  bnez(5, -104),
  0x73,
];

Deno.test("jit: float registers written and read through helpers, words, singles and memory match switch", () => {
  const sw = run({ backend: "switch" }, VIEWS(300));
  assert.notEqual(sw.cpu.x[6], 0);
  assert.notEqual(sw.cpu.x[7], 0);
  for (const hotAfter of [1, 10]) {
    const j = run({ backend: "jit", jit: { hotAfter } }, VIEWS(300));
    assert.deepEqual(j.cpu.x, sw.cpu.x, `hotAfter ${hotAfter}`);
    assert.deepEqual(j.cpu.fw, sw.cpu.fw, `hotAfter ${hotAfter}`);
    assert.deepEqual(j.cpu.fcs, sw.cpu.fcs, `hotAfter ${hotAfter}`);
    assert.deepEqual(j.stats, sw.stats, `hotAfter ${hotAfter}`);
  }
});

Deno.test("jit: an FP oplet with an early return and a helper call in one arm matches switch", () => {
  // fadd.d with an early return (no oplet of the table has one today): the
  // early way out writes f0 (rs3 of an fadd.d), the other reads f2 and
  // writes f1, and f3 in the arm opposite a helper call (never made).
  function op_fadd_d(s: RiscvCpu, c: Int32Array, i: number): number {
    const p = c[i + 1];
    const r = s.f[(p >>> 5) & 31] + s.f[(p >>> 10) & 31];
    if (r < 100) {
      s.f[p & 31] = r;
      s.f[(p >>> 15) & 31] = r;
      return i + 3;
    }
    if (r > 1000) fAddD(s, p, c[i + 2]);
    else s.f[((p >>> 15) & 31) + 3] = r;
    s.f[p & 31] = r - 100 + 0 * s.f[((p >>> 15) & 31) + 2];
    s.f[((p >>> 15) & 31) + 1] = r;
    return i + 3;
  }
  const n = OPLETS.findIndex((o) => o.name === "fadd_d");
  const oplets = OPLETS.slice();
  oplets[n] = defineOplet(op_fadd_d, 2);
  const target = { ...RISCV32, oplets };
  const fmadd = (rd: number, rs1: number, rs2: number, rs3: number) =>
    ((rs3 << 27) | (1 << 25) | (rs2 << 20) | (rs1 << 15) | (7 << 12) |
      (rd << 7) | 0x43) >>> 0;
  // NX; t0 = 510; fa0 = 7; loop: fa1 += fa0 (wrapping at 100);
  // fa3 += f0 * fa0; fa4 += f1 * fa0; fa5 += f2 * fa0; fa6 += f3 * fa0;
  // f2 = -fa1 (written as words); t0 -= 1; bnez t0, loop; ecall.
  const words = [
    (1 << 20) | (1 << 15) | (6 << 12) | 0x73, // csrsi fflags, NX
    addi(5, 0, 510),
    addi(6, 0, 7),
    fp(0x69, 0, 6, 0, 10), // fcvt.d.w fa0, t1
    fp(0x01, 10, 11, 7, 11), // fadd.d fa1, fa1, fa0
    fmadd(13, 0, 10, 13),
    fmadd(14, 1, 10, 14),
    fmadd(15, 2, 10, 15),
    fmadd(16, 3, 10, 16),
    fp(0x11, 11, 11, 1, 2), // fsgnjn.d f2, fa1, fa1
    addi(5, 5, -1),
    bnez(5, -28),
    0x73,
  ];
  const sw = run({ backend: "switch", target }, words);
  assert.equal(sw.cpu.f[11], (510 * 7) % 100);
  assert.notEqual(sw.cpu.f[13], 0);
  assert.notEqual(sw.cpu.f[14], 0);
  assert.notEqual(sw.cpu.f[15], 0);
  assert.notEqual(sw.cpu.f[16], 0);
  for (const hotAfter of [1, 10]) {
    const j = run({ backend: "jit", jit: { hotAfter }, target }, words);
    assert.deepEqual(j.cpu.fw, sw.cpu.fw, `hotAfter ${hotAfter}`);
    assert.deepEqual(j.stats, sw.stats, `hotAfter ${hotAfter}`);
  }
});
