/**
 * The operations of the floating-point harness guest (`tests/fp/fpops.c`):
 * their numbers, how to run each one on the softfloat module, and a
 * generator of random operand records heavy in edge values. Used by the
 * differential test against qemu-riscv32 (`softfloat_qemu_test.ts`) and by
 * the `tests/fp/diff.ts` command.
 *
 * @example
 * ```ts
 * import { evalRecord, FP_OPS } from "./fp_ops.ts";
 * const op = FP_OPS.indexOf("fadd.s");
 * const r = evalRecord({ op, rm: 0, a: 0x3f800000n, b: 0x40000000n, c: 0n });
 * console.log(r); // "0000000040400000 00"
 * ```
 *
 * @module
 */

import * as sf from "@oplet/emu/softfloat";
import { Prng } from "../fuzz/prng.ts";

/** The harness's operations; an operation's number is its index. */
export const FP_OPS: readonly string[] = [
  "fadd.s",
  "fsub.s",
  "fmul.s",
  "fdiv.s",
  "fsqrt.s",
  "fmin.s",
  "fmax.s",
  "fmadd.s",
  "fmsub.s",
  "fnmsub.s",
  "fnmadd.s",
  "feq.s",
  "flt.s",
  "fle.s",
  "fclass.s",
  "fcvt.w.s",
  "fcvt.wu.s",
  "fcvt.s.w",
  "fcvt.s.wu",
  "fsgnj.s",
  "fsgnjn.s",
  "fsgnjx.s",
  "fadd.d",
  "fsub.d",
  "fmul.d",
  "fdiv.d",
  "fsqrt.d",
  "fmin.d",
  "fmax.d",
  "fmadd.d",
  "fmsub.d",
  "fnmsub.d",
  "fnmadd.d",
  "feq.d",
  "flt.d",
  "fle.d",
  "fclass.d",
  "fcvt.w.d",
  "fcvt.wu.d",
  "fcvt.d.w",
  "fcvt.d.wu",
  "fsgnj.d",
  "fsgnjn.d",
  "fsgnjx.d",
  "fcvt.s.d",
  "fcvt.d.s",
];

/** One operation on bit patterns: A, B, C are 64-bit (singles and integers in the low 32 bits). */
export interface FpRecord {
  /** Index into {@link FP_OPS}. */
  op: number;
  /** Rounding mode 0..4 (written to frm). */
  rm: number;
  /** First operand's bits. */
  a: bigint;
  /** Second operand's bits. */
  b: bigint;
  /** Third operand's bits. */
  c: bigint;
}

/** The record as the guest reads it: one line. */
export function formatRecord(r: FpRecord): string {
  return `${r.op} ${r.rm} ${hex16(r.a)} ${hex16(r.b)} ${hex16(r.c)}`;
}

function hex16(v: bigint): string {
  return v.toString(16).padStart(16, "0");
}

const M32 = 0xffffffffn;

function s(v: bigint): number {
  return sf.fromBits32(Number(v & M32));
}
function sn32(v: bigint): number {
  return sf.isSNaN32(Number(v & M32)) ? 1 : 0;
}
function d(v: bigint): number {
  return sf.fromBits64(Number((v >> 32n) & M32), Number(v & M32));
}
function sn64(v: bigint): number {
  return sf.isSNaN64(Number((v >> 32n) & M32), Number(v & M32)) ? 1 : 0;
}
function bs(x: number): bigint {
  return BigInt(sf.toBits32(x) >>> 0);
}
function bd(x: number): bigint {
  return (BigInt(sf.hiBits64(x) >>> 0) << 32n) | BigInt(sf.loBits64(x) >>> 0);
}
function bi(v: number): bigint {
  return BigInt(v >>> 0);
}

/**
 * Runs one record on the softfloat module and formats the result as the
 * guest prints it: 16 hex digits of result, a space, 2 hex digits of fflags.
 */
export function evalRecord(r: FpRecord): string {
  const e = { fflags: 0 };
  const { rm, a, b, c } = r;
  const name = FP_OPS[r.op];
  const single = name.endsWith(".s") && !name.startsWith("fcvt.d.");
  const A = single ? s(a) : d(a);
  const B = single ? s(b) : d(b);
  const C = single ? s(c) : d(c);
  const arity = /^fn?m(add|sub)/.test(name)
    ? 3
    : /sqrt|class|cvt/.test(name)
    ? 1
    : 2;
  const sn =
    (single
      ? sn32(a) | (sn32(b) << 1) | (sn32(c) << 2)
      : sn64(a) | (sn64(b) << 1) | (sn64(c) << 2)) & ((1 << arity) - 1);
  let res: bigint;
  switch (name) {
    case "fadd.s":
      res = bs(sf.add32(e, A, B, rm, sn));
      break;
    case "fsub.s":
      res = bs(sf.sub32(e, A, B, rm, sn));
      break;
    case "fmul.s":
      res = bs(sf.mul32(e, A, B, rm, sn));
      break;
    case "fdiv.s":
      res = bs(sf.div32(e, A, B, rm, sn));
      break;
    case "fsqrt.s":
      res = bs(sf.sqrt32(e, A, rm, sn));
      break;
    case "fmin.s":
    case "fmin.d":
      res = (single ? bs : bd)(sf.fmin(e, A, B, sn));
      break;
    case "fmax.s":
    case "fmax.d":
      res = (single ? bs : bd)(sf.fmax(e, A, B, sn));
      break;
    case "fmadd.s":
      res = bs(sf.fma32(e, A, B, C, rm, sn));
      break;
    case "fmsub.s":
      res = bs(sf.fms32(e, A, B, C, rm, sn));
      break;
    case "fnmsub.s":
      res = bs(sf.fnms32(e, A, B, C, rm, sn));
      break;
    case "fnmadd.s":
      res = bs(sf.fnma32(e, A, B, C, rm, sn));
      break;
    case "feq.s":
    case "feq.d":
      res = bi(sf.feq(e, A, B, sn));
      break;
    case "flt.s":
    case "flt.d":
      res = bi(sf.flt(e, A, B));
      break;
    case "fle.s":
    case "fle.d":
      res = bi(sf.fle(e, A, B));
      break;
    case "fclass.s":
    case "fclass.d":
      res = bi(sf.fclass(A, single, sn & 1));
      break;
    case "fcvt.w.s":
    case "fcvt.w.d":
      res = bi(sf.cvtW(e, A, rm));
      break;
    case "fcvt.wu.s":
    case "fcvt.wu.d":
      res = bi(sf.cvtWU(e, A, rm));
      break;
    case "fcvt.s.w":
      res = bs(sf.cvtSFromInt(e, Number(a & M32), false, rm));
      break;
    case "fcvt.s.wu":
      res = bs(sf.cvtSFromInt(e, Number(a & M32), true, rm));
      break;
    case "fsgnj.s":
      res = (a & 0x7fffffffn) | (b & 0x80000000n);
      break;
    case "fsgnjn.s":
      res = (a & 0x7fffffffn) | (~b & 0x80000000n);
      break;
    case "fsgnjx.s":
      res = (a & 0xffffffffn) ^ (b & 0x80000000n);
      break;
    case "fadd.d":
      res = bd(sf.add64(e, A, B, rm, sn));
      break;
    case "fsub.d":
      res = bd(sf.sub64(e, A, B, rm, sn));
      break;
    case "fmul.d":
      res = bd(sf.mul64(e, A, B, rm, sn));
      break;
    case "fdiv.d":
      res = bd(sf.div64(e, A, B, rm, sn));
      break;
    case "fsqrt.d":
      res = bd(sf.sqrt64(e, A, rm, sn));
      break;
    case "fmadd.d":
      res = bd(sf.fma64(e, A, B, C, rm, sn));
      break;
    case "fmsub.d":
      res = bd(sf.fms64(e, A, B, C, rm, sn));
      break;
    case "fnmsub.d":
      res = bd(sf.fnms64(e, A, B, C, rm, sn));
      break;
    case "fnmadd.d":
      res = bd(sf.fnma64(e, A, B, C, rm, sn));
      break;
    case "fcvt.d.w":
      res = bd(sf.cvtDFromInt(Number(a & M32), false));
      break;
    case "fcvt.d.wu":
      res = bd(sf.cvtDFromInt(Number(a & M32), true));
      break;
    case "fsgnj.d":
      res = (a & 0x7fffffffffffffffn) | (b & 0x8000000000000000n);
      break;
    case "fsgnjn.d":
      res = (a & 0x7fffffffffffffffn) | (~b & 0x8000000000000000n);
      break;
    case "fsgnjx.d":
      res = a ^ (b & 0x8000000000000000n);
      break;
    case "fcvt.s.d":
      res = bs(sf.cvtSD(e, d(a), rm, sn64(a)));
      break;
    case "fcvt.d.s":
      res = bd(sf.cvtDS(e, s(a), sn32(a)));
      break;
    default:
      throw new RangeError(`Unknown harness op ${r.op}`);
  }
  return `${hex16(res)} ${e.fflags.toString(16).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------
// Operand generation

function single(sign: number, exp: number, frac: number): bigint {
  return BigInt(((sign << 31) | (exp << 23) | frac) >>> 0);
}

function dbl(sign: number, exp: number, fhi: number, flo: number): bigint {
  return (BigInt(((sign << 31) | (exp << 20) | fhi) >>> 0) << 32n) |
    BigInt(flo >>> 0);
}

const INT_EDGES = [
  0,
  1,
  -1,
  2,
  0x7fffffff,
  -0x80000000,
  0x7ffffffe,
  -0x7fffffff,
  0x00ffffff,
  0x01000001,
  0x01000003,
  0x7fffffc0,
  0x7fffff80,
  -0x7fffff80,
  0x20000001,
  0xffffff80,
];

/** A random single's bit pattern, often an edge value. */
export function randSingle(r: Prng): bigint {
  const sign = r.int(0, 1);
  switch (r.int(0, 15)) {
    case 0:
      return single(sign, 0, 0); // ±0
    case 1:
      return single(sign, 255, 0); // ±∞
    case 2:
      return single(sign, 255, r.int(1, 0x3fffff)); // sNaN
    case 3:
      return single(sign, 255, 0x400000 | r.int(0, 0x3fffff) * r.int(0, 1)); // qNaN
    case 4:
      return single(sign, 0, r.int(1, 0x7fffff)); // subnormal
    case 5:
      return single(
        sign,
        r.pick([1, 2, 254, 253]),
        r.pick([0, 1, 0x7fffff, r.int(0, 0x7fffff)]),
      );
    case 6:
      return single(sign, 0, r.pick([1, 2, 3, 0x7fffff, 0x400000, 0x400001]));
    case 7: {
      // near the integer-conversion limits and small integers and halves
      const v = r.pick([
        2147483648,
        4294967296,
        2147483647.5,
        1,
        0.5,
        1.5,
        2.5,
        0.25,
        0.75,
        16777216,
        8388608,
      ]);
      const x = Math.fround(v * (sign ? -1 : 1));
      const bits = sf.toBits32(x) + r.int(-2, 2);
      return BigInt(bits >>> 0);
    }
    case 8: {
      // an integer-valued or half-integer single
      const x = Math.fround(
        (r.int(-100000, 100000) + r.pick([0, 0.5, 0.25, 0.75])) *
          2 ** r.int(-2, 8),
      );
      return BigInt(sf.toBits32(x) >>> 0);
    }
    case 9:
      return single(
        sign,
        r.int(100, 154),
        r.pick([0, r.int(0, 0x7fffff), 0x7fffff, 1]),
      );
    default:
      return single(sign, r.int(0, 254), r.int(0, 0x7fffff));
  }
}

/** A random double's bit pattern, often an edge value. */
export function randDouble(r: Prng): bigint {
  const sign = r.int(0, 1);
  switch (r.int(0, 15)) {
    case 0:
      return dbl(sign, 0, 0, 0);
    case 1:
      return dbl(sign, 2047, 0, 0);
    case 2:
      return dbl(
        sign,
        2047,
        r.int(0, 0x7ffff),
        r.int(1, 0xffffffff) * r.int(0, 1) || 1,
      );
    case 3:
      return dbl(
        sign,
        2047,
        0x80000 | r.int(0, 0x7ffff),
        r.u32() * r.int(0, 1),
      );
    case 4:
      return dbl(sign, 0, r.int(0, 0xfffff), r.u32() || 1);
    case 5:
      return dbl(
        sign,
        r.pick([1, 2, 2046, 2045]),
        r.pick([0, 0xfffff, r.int(0, 0xfffff)]),
        r.pick([0, 1, 0xffffffff, r.u32()]),
      );
    case 6: {
      const v = r.pick([
        2147483648,
        4294967296,
        2147483647.5,
        2147483647,
        4294967295,
        4294967295.5,
        -2147483648.5,
        1,
        0.5,
        1.5,
        2.5,
        0.25,
        0.75,
        9007199254740992,
      ]);
      const x = v * (sign ? -1 : 1) +
        r.pick([0, 0, 2 ** -20, -(2 ** -20), 2 ** -30]);
      const b = bd(x);
      return (b + BigInt(r.int(-2, 2))) & 0xffffffffffffffffn;
    }
    case 7:
      // a double that is a single, or near one (fcvt.s.d halfway cases)
      return (bd(s(randSingle(r))) +
        BigInt(
          r.pick([0, 0, 0x10000000, 0x20000000, 0x1fffffff, 0x20000001]),
        )) & 0xffffffffffffffffn;
    case 8: {
      const x = (r.int(-100000, 100000) + r.pick([0, 0.5, 0.25, 0.75])) *
        2 ** r.int(-2, 8);
      return bd(x);
    }
    case 9:
      return dbl(
        sign,
        r.int(1000, 1060),
        r.int(0, 0xfffff),
        r.pick([0, r.u32(), 1]),
      );
    case 10:
      // near the single range's edges
      return dbl(
        sign,
        r.pick([
          1023 - 126,
          1023 - 127,
          1023 - 149,
          1023 - 150,
          1023 + 127,
          1023 + 128,
        ]),
        r.int(0, 0xfffff) * r.int(0, 1),
        r.u32() * r.int(0, 1),
      );
    case 11:
    case 12:
      // moderate exponents, full significands: the fast paths' domain
      return dbl(sign, 1023 + r.int(-40, 40), r.int(0, 0xfffff), r.u32());
    default:
      return dbl(sign, r.int(0, 2046), r.int(0, 0xfffff), r.u32());
  }
}

/** A random 32-bit integer operand (as the low bits). */
function randInt(r: Prng): bigint {
  const v = r.chance(0.5)
    ? r.pick(INT_EDGES) + r.int(-3, 3)
    : r.chance(0.5)
    ? r.i32()
    : r.i32() >> r.int(0, 31);
  return BigInt(v >>> 0);
}

/**
 * A random record for operation `op`. Binary operations sometimes get
 * operands built to land on halfway cases and exact cancellations; fused
 * multiply-adds sometimes get an addend that cancels the product.
 */
export function randRecord(r: Prng, op: number): FpRecord {
  const name = FP_OPS[op];
  const rm = r.int(0, 4);
  const isD = name.endsWith(".d") || name === "fcvt.s.d";
  const intIn = /^fcvt\.[sd]\.wu?$/.test(name);
  const gen = (): bigint =>
    intIn
      ? randInt(r)
      : (name === "fcvt.d.s"
        ? randSingle(r)
        : isD
        ? randDouble(r)
        : randSingle(r));
  let a = gen(), b = gen(), c = gen();
  const kind = r.int(0, 11);
  if (!intIn && kind === 0) {
    b = a ^ (r.chance(0.5) ? (isD ? 0x8000000000000000n : 0x80000000n) : 0n); // x op ±x
  } else if (!intIn && kind === 1 && !isD) {
    // close exponents: rounding of the sum happens near the last bit
    b = (a & 0xff800000n) | BigInt(r.int(0, 0x7fffff));
    if (r.chance(0.5)) b ^= 0x80000000n;
  } else if (!intIn && kind === 1 && isD) {
    b = (a & 0xfff0000000000000n) | (BigInt(r.u32()) << 20n) |
      BigInt(r.int(0, 0xfffff));
    if (r.chance(0.5)) b ^= 0x8000000000000000n;
  } else if (
    kind === 2 && name.includes("fm") || kind === 2 && name.includes("fnm")
  ) {
    // addend near -(a*b): exact cancellation and massive cancellation
    const x = isD ? d(a) * d(b) : Math.fround(s(a) * s(b));
    c = isD ? bd(-x) : bs(-x);
    if (r.chance(0.5)) {
      c = (c + BigInt(r.int(-3, 3))) & (isD ? 0xffffffffffffffffn : M32);
    }
  } else if (kind === 3 && !intIn) {
    // small significands: products and quotients that are exact or halfway
    const mk = () => {
      const v = r.int(1, 4096) * 2 ** r.int(-30, 30) * (r.chance(0.5) ? -1 : 1);
      return isD ? bd(v) : bs(Math.fround(v));
    };
    a = mk();
    b = mk();
    if (r.chance(0.5)) c = mk();
  }
  if (kind === 4 && !intIn && /mul|div|fn?m(add|sub)|fcvt\.s\.d/.test(name)) {
    // results right at the underflow threshold, where tininess after
    // rounding decides UF
    const p = isD ? 53 : 24;
    const minN = isD ? 2 ** -1022 : 2 ** -126;
    const t = minN * (1 - r.int(-4, 8) * 2 ** -(p + r.int(0, 2))) *
      (r.chance(0.5) ? -1 : 1);
    const A = isD ? d(a) : s(a);
    if (name === "fcvt.s.d") a = bd(t * (1 + r.int(-3, 3) * 2 ** -40));
    else if (A !== 0 && isFinite(A)) {
      const B = name.includes("div") ? A / t : t / A;
      b = isD ? bd(B) : bs(Math.fround(B));
      if (isD ? !isFinite(B) : !isFinite(Math.fround(B))) b = a;
      if (/m(add|sub)/.test(name) && r.chance(0.5)) {
        const small = minN * 2 ** -r.int(0, p) * r.int(-3, 3);
        c = isD ? bd(small) : bs(Math.fround(small));
      } else if (/m(add|sub)/.test(name)) c = isD ? 0n : 0n;
    }
  }
  return { op, rm, a, b, c };
}

// ---------------------------------------------------------------------------
// Running the harness guest

/** The harness guest, built from `tests/fp/fpops.c` (see `tests/fp/build.ts`). */
export const HARNESS_ELF: string = new URL("./fpops.elf", import.meta.url)
  .pathname;

/** Whether `qemu-riscv32` can be started. */
export async function haveQemu(): Promise<boolean> {
  try {
    const out = await new Deno.Command("qemu-riscv32", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

/**
 * Runs `records` through the harness guest under qemu-riscv32 and returns
 * one output line per record.
 */
export async function runOnQemu(
  records: readonly FpRecord[],
): Promise<string[]> {
  const input = new TextEncoder().encode(
    records.map(formatRecord).join("\n") + "\n",
  );
  const child = new Deno.Command("qemu-riscv32", {
    args: [HARNESS_ELF],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  // write and read at once: the guest's output would fill the pipe
  const writing = w.write(input).then(() => w.close());
  const output = child.output();
  await writing;
  const out = await output;
  if (!out.success) {
    throw new Error(
      `qemu-riscv32 ${HARNESS_ELF} failed with exit code ${out.code}: ${
        new TextDecoder().decode(out.stderr).trim()
      }`,
    );
  }
  const lines = new TextDecoder().decode(out.stdout).split("\n");
  lines.pop();
  if (lines.length !== records.length) {
    throw new Error(
      `qemu-riscv32 printed ${lines.length} results for ${records.length} records`,
    );
  }
  return lines;
}

/**
 * The fixed record set of `seed`: `perOp` random records of every operation,
 * in a shuffled order.
 */
export function seededRecords(seed: number, perOp: number): FpRecord[] {
  const r = new Prng(seed);
  const recs: FpRecord[] = [];
  for (let i = 0; i < perOp; i++) {
    for (let op = 0; op < FP_OPS.length; op++) recs.push(randRecord(r, op));
  }
  return recs;
}
