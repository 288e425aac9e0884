// The inline fast paths of the multiply and fused multiply-add oplets
// against the softfloat helpers they stand in for: on random and
// adversarial operands (double-rounding midpoints, ties that a tiny error
// term breaks, exact cancellations, zero factors of both signs, subnormals,
// infinities, NaNs, values at the edges of the fast paths' ranges), in every
// rounding mode and with and without NX already set, the oplet must give
// the helper's result bits and flags (or its illegal-instruction fault).
// First by calling the oplet functions on a state, then through a machine
// on every backend, so that the bodies compiled by `paste` and `jit` run too.
import assert from "node:assert/strict";
import { cpuExec } from "../../exec.ts";
import { GuestFault } from "../../fault.ts";
import { Machine } from "../../machine.ts";
import { BACKENDS } from "../../dispatch.ts";
import { RiscvCpu } from "./cpu.ts";
import {
  fFmaD,
  fFmaS,
  FMA_NEG_ADDEND,
  FMA_NEG_PRODUCT,
  fMulD,
  fMulS,
  fpPack,
  fSqrtD,
  fSqrtS,
} from "./fpu.ts";
import {
  op_fma_d,
  op_fma_s,
  op_fmul_d,
  op_fmul_s,
  op_fsqrt_d,
  op_fsqrt_s,
} from "./ops.ts";

// Operands and bits ---------------------------------------------------------

const f64 = new Float64Array(1);
const w64 = new Int32Array(f64.buffer);
const f32 = new Float32Array(1);
const w32 = new Int32Array(f32.buffer);
/** A double's bits as [lo, hi]. */
const bitsD = (x: number): [number, number] => {
  f64[0] = x;
  return [w64[0], w64[1]];
};
const fromBitsD = (lo: number, hi: number) => {
  w64[0] = lo;
  w64[1] = hi;
  return f64[0];
};
const bitsS = (x: number) => {
  f32[0] = x;
  return w32[0];
};
const fromBitsS = (w: number) => {
  w32[0] = w;
  return f32[0];
};

/** A seeded generator (xorshift32), so that a failure is reproducible. */
function prng(seed: number) {
  let x = seed | 0 || 1;
  const u32 = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const int = (n: number) => u32() % n;
  return {
    int,
    chance: (p: number) => u32() / 2 ** 32 < p,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)],
    sign: () => (u32() & 1 ? -1 : 1),
    /** A significand in [1, 2) with all 53 bits random. */
    sig53: () => 1 + ((u32() >>> 6) * 2 ** 27 + (u32() >>> 5)) / 2 ** 53,
    /** A significand in [1, 2) with all 24 bits random. */
    sig24: () => 1 + (u32() >>> 9) / 2 ** 23,
  };
}
type Rng = ReturnType<typeof prng>;

const BIG = 9.7453140114e+288; // the fma fast path's bounds
const SMALL = 1.0261342003245941e-289;
const SPECIAL_D: readonly number[] = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  5e-324,
  -5e-324,
  2.225073858507201e-308, // the largest subnormal
  2.2250738585072014e-308, // the smallest normal
  1.7976931348623157e308,
  -1.7976931348623157e308,
  SMALL,
  SMALL * (1 + 2 ** -52),
  SMALL * (1 - 2 ** -53),
  BIG,
  BIG * (1 - 2 ** -53),
  2 ** 512,
  2 ** -512,
  3,
  0.1,
];
/** Signalling and quiet NaNs with payloads and signs, as [lo, hi]. */
const NANS_D: readonly [number, number][] = [
  [1, 0x7ff00000], // sNaN
  [0, 0x7ff40000 | 0], // sNaN
  [0, 0x7ff80000], // canonical
  [5, 0xfff80000 | 0], // negative qNaN with a payload
  [-1, 0xfff7ffff | 0], // negative sNaN
];
const SPECIAL_S: readonly number[] = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  2 ** -149,
  -(2 ** -149),
  1.1754942106924411e-38, // the largest subnormal
  1.1754943508222875e-38, // the smallest normal
  3.4028234663852886e38,
  -3.4028234663852886e38,
  2 ** 64,
  2 ** -64,
  3,
  Math.fround(0.1),
];
const NANS_S: readonly number[] = [
  0x7f800001,
  0x7fa00000,
  0x7fc00000,
  0xffc00005 | 0,
  0xffbfffff | 0,
];

/** A random double of moderate size, all 53 bits random. */
const randD = (r: Rng, spread: number) =>
  r.sign() * r.sig53() * 2 ** (r.int(2 * spread + 1) - spread);
/** A random single of moderate size. */
const randS = (r: Rng, spread: number) =>
  r.sign() * r.sig24() * 2 ** (r.int(2 * spread + 1) - spread);

/** Operands as register words: [lo, hi] of rs1, rs2, rs3. */
type Operands = [number, number, number, number, number, number];

function opsD(a: number, b: number, c: number): Operands {
  return [...bitsD(a), ...bitsD(b), ...bitsD(c)] as Operands;
}
function opsS(a: number, b: number, c: number): Operands {
  return [bitsS(a), -1, bitsS(b), -1, bitsS(c), -1];
}

/**
 * A triple (a, b, c) for a double fma whose exact value a * b + c lies at
 * a midpoint between doubles plus a tiny error: a * b = ph + pl with the
 * product's low part pl tiny (a and b are 1 + 2^-52, 1 - 2^-53 and the
 * like), ph's lowest bit is half the result's ulp q, and c, a multiple of
 * q, adds to ph without cancelling it. The low part then only shows in the
 * last error term.
 */
function tieD(r: Rng): [number, number, number] {
  const f = () => 1 + r.pick([2 ** -52, -(2 ** -53), 2 ** -51, 3 * 2 ** -52]);
  const a = r.sign() * f() * 2 ** (r.int(41) - 20);
  const b = r.sign() * f() * 2 ** (r.int(41) - 20);
  const ph = a * b;
  let lsb = 2 ** (Math.floor(Math.log2(Math.abs(ph))) - 53);
  while ((ph / lsb) % 2 === 0) lsb *= 2;
  const q = 2 * lsb;
  const x = Math.sign(ph) *
    (2 ** 52 + r.int(2 ** 26) * 2 ** 26 + r.int(2 ** 26)) * q;
  return [a, b, x - (ph - lsb)];
}

/**
 * A triple for a single fma whose double sum a * b + c rounds exactly to a
 * midpoint between two singles while the exact sum lies just off it: the
 * product is half an ulp of c times (1 - k² 2^-46).
 */
function midS(r: Rng): [number, number, number] {
  const c = randS(r, 30);
  const ec = Math.floor(Math.log2(Math.abs(c)));
  const k = 1 + r.int(1024);
  const ea = r.int(21) - 10;
  const a = r.sign() * (1 + k * 2 ** -23) * 2 ** ea;
  const b = r.sign() * (1 - k * 2 ** -23) * 2 ** (ec - 24 - ea);
  return [a, b, c];
}

/** Operands for a double fma (or multiply: the third is then unused). */
function genD(r: Rng): Operands {
  const pick = r.int(100);
  if (pick < 30) return opsD(randD(r, 10), randD(r, 10), randD(r, 30));
  if (pick < 45) return opsD(...tieD(r));
  if (pick < 55) {
    // cancellation: c is minus the rounded product, nudged
    const a = randD(r, 30), b = randD(r, 30);
    const p = a * b;
    const c = r.pick([
      -p,
      -p * (1 + 2 ** -52),
      -p * (1 - 2 ** -53),
      -p * (1 + r.int(16) * 2 ** -40),
      -p + randD(r, 3) * 2 ** -60 * Math.abs(p),
    ]);
    return opsD(a, b, c);
  }
  if (pick < 65) {
    // a zero factor
    const z = r.pick([0, -0]);
    const o = r.chance(0.8) ? randD(r, 100) : r.pick(SPECIAL_D);
    const c = r.pick([0, -0, randD(r, 100), r.pick(SPECIAL_D)]);
    return r.chance(0.5) ? opsD(z, o, c) : opsD(o, z, c);
  }
  if (pick < 75) {
    // near the ends of the fast paths' ranges, and beyond
    const e = r.pick([-960, 960, -1022, 1023, -540, 500, -1074]);
    const a = randD(r, 3) * 2 ** Math.trunc(e / 2);
    const b = randD(r, 3) * 2 ** (e - Math.trunc(e / 2));
    const c = r.chance(0.5) ? -a * b * (1 + r.int(4) * 2 ** -52) : randD(r, 3) *
      2 ** e;
    return opsD(a, b, c);
  }
  if (pick < 85) {
    const w = opsD(
      r.chance(0.6) ? r.pick(SPECIAL_D) : randD(r, 20),
      r.chance(0.6) ? r.pick(SPECIAL_D) : randD(r, 20),
      r.chance(0.6) ? r.pick(SPECIAL_D) : randD(r, 20),
    );
    for (let k = 0; k < 3; k++) {
      if (r.chance(0.15)) [w[2 * k], w[2 * k + 1]] = r.pick(NANS_D);
    }
    return w;
  }
  // wide exponents, all bits random
  return opsD(randD(r, 600), randD(r, 600), randD(r, 1000));
}

/** Operands for a single fma or multiply. */
function genS(r: Rng): Operands {
  const pick = r.int(100);
  if (pick < 30) return opsS(randS(r, 10), randS(r, 10), randS(r, 25));
  if (pick < 45) return opsS(...midS(r));
  if (pick < 55) {
    // a product at a single midpoint (exact in a double), and cancellations
    const k = 1 + r.int(12);
    const a = r.sign() * (1 + 2 ** -k) * 2 ** (r.int(21) - 10);
    const b = r.sign() * (1 + 2 ** (k - 24)) * 2 ** (r.int(21) - 10);
    const p = a * b;
    return opsS(
      a,
      b,
      r.pick([
        0,
        -Math.fround(p),
        -Math.fround(p) * (1 + 2 ** -23),
        randS(r, 5),
      ]),
    );
  }
  if (pick < 65) {
    const z = r.pick([0, -0]);
    const o = r.chance(0.8) ? randS(r, 60) : r.pick(SPECIAL_S);
    const c = r.pick([0, -0, randS(r, 60), r.pick(SPECIAL_S)]);
    return r.chance(0.5) ? opsS(z, o, c) : opsS(o, z, c);
  }
  if (pick < 75) {
    const e = r.pick([-126, 127, -149, 128, -100, 100]);
    const a = randS(r, 2) * 2 ** Math.trunc(e / 2);
    const b = randS(r, 2) * 2 ** (e - Math.trunc(e / 2));
    const c = r.chance(0.5)
      ? -Math.fround(a * b) * (1 + r.int(4) * 2 ** -23)
      : randS(r, 2) * 2 ** e;
    return opsS(a, b, c);
  }
  const w = opsS(
    r.chance(0.6) ? r.pick(SPECIAL_S) : randS(r, 20),
    r.chance(0.6) ? r.pick(SPECIAL_S) : randS(r, 20),
    r.chance(0.6) ? r.pick(SPECIAL_S) : randS(r, 20),
  );
  for (let k = 0; k < 3; k++) {
    if (r.chance(0.15)) w[2 * k] = r.pick(NANS_S);
    // an operand without its NaN box reads as the canonical NaN
    if (r.chance(0.05)) w[2 * k + 1] = r.pick([0, 0x3ff00000, -2]);
  }
  return w;
}

// Which branch the inline double fma takes (RNE), to show the adversarial
// cases reach it ---------------------------------------------------------

/** "e0", "tie" (a tie the error breaks: the helper's), or "near" (e != 0 otherwise). */
function classifyD(a: number, b: number, d: number): string {
  const ph = a * b;
  const sa = 134217729 * a, ah = sa - (sa - a), al = a - ah;
  const sb = 134217729 * b, bh = sb - (sb - b), bl = b - bh;
  const pl = ((ah * bh - ph) + ah * bl + al * bh) + al * bl;
  const uh = d + ph, bu = uh - d, ul = (d - (uh - bu)) + (ph - bu);
  const t = ul + pl, bt = t - ul, e = (ul - (t - bt)) + (pl - bt);
  if (e === 0) return "e0";
  const v = uh + t, bw = v - uh, r2 = (uh - (v - bw)) + (t - bw);
  const w = r2 + e, bx = w - r2, e2 = (r2 - (w - bx)) + (e - bx);
  const z = v + w, r3 = w - (z - v);
  return e2 !== 0 && r3 !== 0 && (z + 2 * r3) - z === 2 * r3 ? "tie" : "near";
}
/** "exact", "mid" (the double sum is inexact and at a single midpoint), or "near". */
function classifyS(a: number, b: number, d: number): string {
  const pr = a * b, sm = pr + d, bv = sm - pr;
  if ((pr - (sm - bv)) + (d - bv) === 0) return "exact";
  const r = Math.fround(sm), df = sm - r;
  return df !== 0 && Math.fround(r + 2 * df) - r === 2 * df ? "mid" : "near";
}

// Running one case ------------------------------------------------------------

const PC = 0x2000;
const cpu = new RiscvCpu(1 << 16);
cpu.m32[PC >> 2] = 0x0020f1c3 | 0; // the word an illegal-rm fault reports
const code = new Int32Array(3);

type Kind = "fma_d" | "fma_s" | "fmul_d" | "fmul_s" | "fsqrt_d" | "fsqrt_s";
const OPLET = {
  fma_d: op_fma_d,
  fma_s: op_fma_s,
  fmul_d: op_fmul_d,
  fmul_s: op_fmul_s,
  fsqrt_d: op_fsqrt_d,
  fsqrt_s: op_fsqrt_s,
};
const HELPER = {
  fma_d: fFmaD,
  fma_s: fFmaS,
  fmul_d: fMulD,
  fmul_s: fMulS,
  fsqrt_d: fSqrtD,
  fsqrt_s: fSqrtS,
};

/** Runs the oplet (or its helper) once; returns rd's bits, fflags and the other registers, or the fault. */
function runOne(
  kind: Kind,
  helper: boolean,
  w: Operands,
  p: number,
  flags: number,
  frm: number,
): string {
  cpu.fw.fill(0x5a5a5a5a);
  for (let k = 0; k < 6; k++) cpu.fw[2 + k] = w[k]; // f1, f2, f3
  cpu.fcs[0] = flags;
  cpu.fcs[1] = frm;
  try {
    if (helper) HELPER[kind](cpu, p, PC);
    else {
      code[1] = p;
      code[2] = PC;
      assert.equal(OPLET[kind](cpu, code, 0), 3);
    }
  } catch (e) {
    if (!(e instanceof GuestFault)) throw e;
    return `fault ${e.message} flags ${cpu.fcs[0]}`;
  }
  const regs = [...cpu.fw.subarray(0, 10)].map((x) => (x >>> 0).toString(16));
  return `${regs.join(" ")} flags ${cpu.fcs[0]} frm ${cpu.fcs[1]}`;
}

const RMS = [0, 0, 0, 0, 1, 2, 3, 4, 7, 7] as const;
const NEGS = [
  0,
  FMA_NEG_ADDEND,
  FMA_NEG_PRODUCT,
  FMA_NEG_ADDEND | FMA_NEG_PRODUCT,
];

/** The state a case runs in: rd, rm, sign bits, fflags and frm. */
function setting(r: Rng, kind: Kind) {
  const rm = r.pick(RMS);
  const neg = kind.startsWith("fma") ? r.pick(NEGS) : 0;
  const p = fpPack(r.pick([4, 4, 4, 1, 2, 3]), 1, 2, 3, rm) | neg;
  const flags = r.chance(0.6) ? r.pick([1, 1, 3, 17, 31]) : r.int(32);
  const frm = r.chance(0.9) ? r.int(5) : 5 + r.int(3);
  return { p, flags, frm, rm, neg };
}

function check(kind: Kind, gen: (r: Rng) => Operands, n: number, seed: number) {
  const r = prng(seed);
  const seen: Record<string, number> = {};
  for (let k = 0; k < n; k++) {
    const w = gen(r);
    const { p, flags, frm, rm, neg } = setting(r, kind);
    const want = runOne(kind, true, w, p, flags, frm);
    const got = runOne(kind, false, w, p, flags, frm);
    if (got !== want) {
      assert.fail(
        `${kind} case ${k} (seed ${seed}): operands ${
          w.map((x) => (x >>> 0).toString(16)).join(" ")
        }, p ${
          p.toString(16)
        }, fflags ${flags}, frm ${frm}:\n  oplet  ${got}\n  helper ${want}`,
      );
    }
    if (kind === "fma_d" && rm === 0 && (flags & 1) !== 0) {
      const pn = neg & FMA_NEG_PRODUCT ? -1 : 1;
      const cn = neg & FMA_NEG_ADDEND ? -1 : 1;
      const a = fromBitsD(w[0], w[1]), b = fromBitsD(w[2], w[3]);
      const c = fromBitsD(w[4], w[5]);
      const cls = classifyD(pn * a, b, cn * c);
      seen[cls] = (seen[cls] ?? 0) + 1;
    }
    if (kind === "fma_s" && rm === 0 && (flags & 1) !== 0) {
      const pn = neg & FMA_NEG_PRODUCT ? -1 : 1;
      const cn = neg & FMA_NEG_ADDEND ? -1 : 1;
      const cls = classifyS(
        pn * fromBitsS(w[0]),
        fromBitsS(w[2]),
        cn * fromBitsS(w[4]),
      );
      seen[cls] = (seen[cls] ?? 0) + 1;
    }
  }
  return seen;
}

Deno.test("fma.d oplet: the inline paths give softfloat's bits and flags", () => {
  const seen = check("fma_d", genD, 60000, 1);
  // the adversarial operands reach the tie that needs the helper, and the
  // inexact error term's inline path, many times
  assert.ok((seen.tie ?? 0) >= 200, JSON.stringify(seen));
  assert.ok((seen.near ?? 0) >= 1000, JSON.stringify(seen));
});

Deno.test("fma.s oplet: the inline paths give softfloat's bits and flags", () => {
  const seen = check("fma_s", genS, 60000, 2);
  assert.ok((seen.mid ?? 0) >= 500, JSON.stringify(seen));
  assert.ok((seen.near ?? 0) >= 1000, JSON.stringify(seen));
});

Deno.test("fmul.d and fmul.s oplets: zero factors inline in any rounding mode, as softfloat", () => {
  check("fmul_d", genD, 20000, 3);
  check("fmul_s", genS, 20000, 4);
});

Deno.test("fsqrt.d and fsqrt.s oplets: the inline square roots give softfloat's bits and flags", () => {
  // the first operand of each generated set, and its magnitude
  const abs = (gen: (r: Rng) => Operands, d: boolean) => (r: Rng) => {
    const w = gen(r);
    if (r.chance(0.5)) w[d ? 1 : 0] &= 0x7fffffff;
    return w;
  };
  check("fsqrt_d", abs(genD, true), 20000, 5);
  check("fsqrt_s", abs(genS, false), 20000, 6);
});

Deno.test("the fma tie that an error term breaks: the helper's answer, not the double sum's", () => {
  // a * b = 1 + 2^-51 + 2^-104 exactly; c = 4: the sum is a midpoint
  // between two doubles plus 2^-104, so it rounds up, while the double
  // sum of the parts is the midpoint, which rounds to even (down).
  const a = 1 + 2 ** -52;
  const want = 5 + 2 ** -50;
  assert.equal(classifyD(a, a, 4), "tie");
  const p = fpPack(4, 1, 2, 3, 0);
  runOne("fma_d", false, opsD(a, a, 4), p, 1, 0);
  assert.equal(cpu.f[4], want);
  assert.equal(cpu.fcs[0], 1);
});

// Through a machine, on every backend ---------------------------------------

const R4 = (
  op: number,
  fmt: number,
  rd: number,
  a: number,
  b: number,
  c: number,
  rm: number,
) =>
  ((c << 27) | (fmt << 25) | (b << 20) | (a << 15) | (rm << 12) | (rd << 7) |
    op) >>> 0;
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const S = (imm: number, rs2: number, rs1: number, f3: number, op: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    ((imm & 31) << 7) | op) >>> 0;
const BNEZ_BACK = (rs1: number, words: number) => {
  const off = -4 * words;
  return ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) |
    (rs1 << 15) | (1 << 12) | (((off >> 1) & 0xf) << 8) |
    (((off >> 11) & 1) << 7) | 0x63) >>> 0;
};
const BASE = 0x10000, IN = 0x20000, OUT = 0x80000;

/**
 * A loop over records of 8 words (three operands, fflags, frm): load them,
 * set fflags and frm, run one fma (dynamic rounding), store the result and
 * fflags.
 */
function loopProgram(op: number, fmt: number, n: number): number[] {
  const ld = fmt ? 3 : 2;
  const body = [
    I(0, 10, ld, 1, 0x07), // fld/flw f1, 0(a0)
    I(8, 10, ld, 2, 0x07),
    I(16, 10, ld, 3, 0x07),
    I(24, 10, 2, 13, 0x03), // lw a3, 24(a0)
    I(28, 10, 2, 14, 0x03), // lw a4, 28(a0)
    I(1, 13, 1, 0, 0x73), // csrrw x0, fflags, a3
    I(2, 14, 1, 0, 0x73), // csrrw x0, frm, a4
    R4(op, fmt, 4, 1, 2, 3, 7),
    S(0, 4, 11, 3, 0x27), // fsd f4, 0(a1): the NaN box too for singles
    I(1, 0, 2, 15, 0x73), // csrrs a5, fflags, x0
    S(8, 15, 11, 2, 0x23), // sw a5, 8(a1)
    I(32, 10, 0, 10, 0x13), // addi a0, a0, 32
    I(16, 11, 0, 11, 0x13), // addi a1, a1, 16
    I(-1, 12, 0, 12, 0x13), // addi a2, a2, -1
  ];
  return [
    I(n, 0, 0, 12, 0x13), // addi a2, x0, n (n < 2048)
    ...body,
    BNEZ_BACK(12, body.length),
    0x73,
  ];
}

Deno.test("fused multiply-adds through a machine: every backend gives the helper's bits and flags", () => {
  const N = 2000;
  for (const [fmt, gen] of [[1, genD], [0, genS]] as const) {
    for (
      const [op, neg] of [[0x43, 0], [0x47, FMA_NEG_ADDEND], [
        0x4b,
        FMA_NEG_PRODUCT,
      ], [0x4f, FMA_NEG_ADDEND | FMA_NEG_PRODUCT]]
    ) {
      const r = prng(100 + op + fmt);
      const recs: number[][] = [];
      const want: string[] = [];
      for (let k = 0; k < N; k++) {
        const w = gen(r);
        if (!fmt) w[1] = w[3] = w[5] = -1; // flw boxes what it loads
        const flags = r.chance(0.6) ? 1 : r.int(32);
        const frm = r.chance(0.6) ? 0 : r.int(5);
        recs.push([...w, flags, frm]);
        const s = runOne(
          fmt ? "fma_d" : "fma_s",
          true,
          w,
          fpPack(4, 1, 2, 3, 7) | neg,
          flags,
          frm,
        );
        want.push(
          `${(cpu.fw[9] >>> 0).toString(16)}:${
            (cpu.fw[8] >>> 0).toString(16)
          } ${cpu.fcs[0]}`,
        );
        assert.ok(!s.startsWith("fault"));
      }
      for (const backend of BACKENDS) {
        const m = new Machine({
          memSize: 1 << 20,
          backend,
          jit: { hotAfter: 1 },
        });
        loopProgram(op, fmt, N).forEach((
          x,
          k,
        ) => (m.cpu.m32[(BASE >> 2) + k] = x));
        recs.forEach((rec, k) => {
          // singles sit in the low word of each 8-byte slot
          const v = fmt
            ? rec
            : [rec[0], 0, rec[2], 0, rec[4], 0, rec[6], rec[7]];
          v.forEach((x, j) => (m.cpu.m32[(IN >> 2) + 8 * k + j] = x));
        });
        m.cpu.x[10] = IN;
        m.cpu.x[11] = OUT;
        m.cpu.pc = BASE;
        assert.equal(cpuExec(m, () => true), "exit");
        if (backend === "jit") {
          // the loop ran compiled: its block, with the fma's body, is most of
          // the code (the others compile to a few hundred bytes)
          const st = (m.backend as unknown as { stats: { bytes: number } })
            .stats;
          assert.ok(st.bytes > 1000, `${st.bytes} bytes of wasm`);
        }
        for (let k = 0; k < N; k++) {
          const o = (OUT >> 2) + 4 * k;
          const got = `${(m.cpu.m32[o + 1] >>> 0).toString(16)}:${
            (m.cpu.m32[o] >>> 0).toString(16)
          } ${m.cpu.m32[o + 2]}`;
          if (got !== want[k]) {
            assert.fail(
              `${backend}, opcode ${op.toString(16)} fmt ${fmt}, record ${k} ${
                recs[k].map((x) => (x >>> 0).toString(16)).join(" ")
              }: got ${got}, want ${want[k]}`,
            );
          }
        }
      }
    }
  }
});
