import assert from "node:assert/strict";
import { cpuExec } from "../exec.ts";
import { Machine, type MachineOptions } from "../machine.ts";
import type { JitBackend } from "./jit.ts";
import type { CpuState } from "../target.ts";

// An indirect jump with several targets, as an interpreter's dispatch
// compiles: the region of the jump takes every target the interpreter saw,
// so the loop runs inside one region instead of chaining between regions.

const itype = (op: number, f3: number, rd: number, rs1: number, imm: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const addi = (rd: number, rs1: number, imm: number) =>
  itype(0x13, 0, rd, rs1, imm);
const jal0 = (off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) |
    (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) | 0x6f) >>> 0;
const bnez = (rs1: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs1 << 15) |
    (1 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) |
    0x63) >>> 0;
const BASE = 0x10000;

/** t0 = n; loop: a[t0 & 3] += 1 through a jump table of four cases; t0 -= 1; bnez t0, loop; ecall. */
const PROGRAM = (n: number) => [
  addi(5, 0, n), // 0: li t0, n
  itype(0x13, 7, 6, 5, 3), // 1 loop: andi t1, t0, 3
  itype(0x13, 1, 6, 6, 3), // 2: slli t1, t1, 3
  (7 << 7) | 0x17, // 3: auipc t2, 0
  ((6 << 20) | (7 << 15) | (7 << 7) | 0x33) >>> 0, // 4: add t2, t2, t1
  itype(0x67, 0, 0, 7, 16), // 5: jr 16(t2): case t1 / 8
  addi(0, 0, 0), // 6: nop
  addi(10, 10, 1), // 7: case 0
  jal0(28),
  addi(11, 11, 1), // 9: case 1
  jal0(20),
  addi(12, 12, 1), // 11: case 2
  jal0(12),
  addi(13, 13, 1), // 13: case 3
  jal0(4),
  addi(5, 5, -1), // 15: tail
  bnez(5, -60),
  0x73, // 17: ecall
];

function run(options: MachineOptions): Machine {
  const m = new Machine({ memSize: 1 << 20, followJumps: false, ...options });
  PROGRAM(2000).forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
  m.cpu.pc = BASE;
  assert.equal(cpuExec(m, () => true), "exit");
  return m;
}

Deno.test("jit: an indirect jump's region takes every target it went to, and the loop stays in it", () => {
  const sw = run({ backend: "switch" });
  assert.deepEqual([...sw.cpu.x.slice(10, 14)], [500, 500, 500, 500]);
  const j = run({ backend: "jit", jit: { hotAfter: 100 } });
  assert.deepEqual(j.cpu.x, sw.cpu.x);
  assert.deepEqual(j.stats, sw.stats);
  const st = (j.backend as unknown as JitBackend<CpuState>).stats;
  // Before: each case headed its own region and every iteration chained
  // through the jump cache or the loop (hundreds of entries).
  assert.ok(st.entries <= 4, `${st.entries} entries into compiled code`);
});
