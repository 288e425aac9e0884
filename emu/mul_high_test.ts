import assert from "node:assert/strict";
import { mulHigh, mulHighSU, mulHighU } from "./mul_high.ts";
import { cpuExec } from "./exec.ts";
import { Machine } from "./machine.ts";

const EDGES = [
  0,
  1,
  -1,
  2,
  -2,
  0x7fffffff,
  -0x80000000,
  0x7ffffffe,
  -0x7fffffff,
  0x10000,
  0xffff,
  -0x10000,
  0x12345678,
  -0x789abcdf,
];

/** High words by BigInt: `a` and `b` as signed (true) or unsigned. */
function high(a: number, b: number, sa: boolean, sb: boolean): number {
  const wa = sa ? BigInt(a | 0) : BigInt(a >>> 0);
  const wb = sb ? BigInt(b | 0) : BigInt(b >>> 0);
  return Number(BigInt.asIntN(32, (wa * wb) >> 32n));
}

function xorshift(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 0;
  };
}

Deno.test("mulHigh, mulHighSU and mulHighU give the high word of the exact product", () => {
  const r = xorshift(77);
  const pairs: [number, number][] = [];
  for (const a of EDGES) for (const b of EDGES) pairs.push([a, b]);
  for (let k = 0; k < 20000; k++) pairs.push([r(), k & 1 ? r() : r() >> 16]);
  for (const [a, b] of pairs) {
    assert.equal(mulHigh(a, b), high(a, b, true, true), `mulHigh(${a}, ${b})`);
    assert.equal(
      mulHighSU(a, b),
      high(a, b, true, false),
      `mulHighSU(${a}, ${b})`,
    );
    assert.equal(
      mulHighU(a, b),
      high(a, b, false, false),
      `mulHighU(${a}, ${b})`,
    );
  }
});

// The jit compiles the three to 64-bit multiplies: a guest loop of mulh,
// mulhsu and mulhu on a stream of products, on every backend and at two
// thresholds, against the same loop done with BigInt.
const r = (f7: number, rs2: number, rs1: number, f3: number, rd: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33) >>>
  0;
const MUL = 0, MULH = 1, MULHSU = 2, MULHU = 3;
const BASE = 0x10000;
const LOOP = [
  r(1, 15, 10, MUL, 10), // a0 = a0 * a5
  r(0, 16, 10, 0, 10), // a0 += a6
  r(1, 16, 11, MUL, 11), // a1 = a1 * a6
  r(0, 15, 11, 4, 11), // a1 ^= a5
  r(1, 11, 10, MULH, 12), // a2 = mulh a0, a1
  r(0, 12, 9, 0, 9), // s1 += a2
  r(1, 11, 10, MULHSU, 13), // a3 = mulhsu a0, a1
  r(0, 13, 18, 4, 18), // s2 ^= a3
  r(1, 11, 10, MULHU, 14), // a4 = mulhu a0, a1
  r(0, 14, 19, 0, 19), // s3 += a4
  r(1, 10, 10, MULHU, 14), // a4 = mulhu a0, a0
  r(0, 14, 19, 4, 19), // s3 ^= a4
  0xfff28293, // addi t0, t0, -1
  0xfc029ee3, // bnez t0, loop (-36... see below)
  0x73, // ecall
];

function reference(n: number): number[] {
  let a0 = 12345, a1 = -999, s1 = 0, s2 = 0, s3 = 0;
  const a5 = 1664525, a6 = 1013904223;
  for (let k = 0; k < n; k++) {
    a0 = (Math.imul(a0, a5) + a6) | 0;
    a1 = Math.imul(a1, a6) ^ a5;
    s1 = (s1 + high(a0, a1, true, true)) | 0;
    s2 ^= high(a0, a1, true, false);
    s3 = (s3 + high(a0, a1, false, false)) | 0;
    s3 ^= high(a0, a0, false, false);
  }
  return [s1, s2, s3];
}

Deno.test("mulh, mulhsu and mulhu run as BigInt computes them on every backend (jit: 64-bit multiplies)", () => {
  // bnez t0 back to the first instruction.
  const off = -4 * (LOOP.length - 2);
  const bnez = ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) |
    (5 << 15) | (1 << 12) | (((off >> 1) & 0xf) << 8) |
    (((off >> 11) & 1) << 7) | 0x63) >>> 0;
  const program = LOOP.slice();
  program[LOOP.length - 2] = bnez;
  const n = 3000;
  const want = reference(n);
  const runs = [
    { backend: "switch" as const },
    { backend: "call" as const },
    { backend: "jit" as const, jit: { hotAfter: 1 } },
    { backend: "jit" as const, jit: { hotAfter: 50 } },
  ];
  for (const o of runs) {
    const m = new Machine({ memSize: 1 << 20, ...o });
    program.forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
    m.cpu.pc = BASE;
    m.cpu.x[5] = n;
    m.cpu.x[10] = 12345;
    m.cpu.x[11] = -999;
    m.cpu.x[15] = 1664525;
    m.cpu.x[16] = 1013904223;
    assert.equal(cpuExec(m, () => true), "exit");
    assert.deepEqual(
      [m.cpu.x[9], m.cpu.x[18], m.cpu.x[19]],
      want,
      JSON.stringify(o),
    );
  }
});
