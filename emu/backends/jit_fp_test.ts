import assert from "node:assert/strict";
import { cpuExec } from "../exec.ts";
import { Machine, type MachineOptions } from "../machine.ts";

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

function run(options: MachineOptions): Machine {
  const m = new Machine({ memSize: 1 << 20, ...options });
  PROGRAM(1000).forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
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
