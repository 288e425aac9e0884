// Hand-checked edge cases of the softfloat module (the differential test in
// tests/fp/ compares it with qemu-riscv32 on random operands).
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import * as sf from "./softfloat.ts";

const { NX, UF, OF, DZ, NV, RNE, RTZ, RDN, RUP, RMM } = sf;

function run(f: (e: sf.FpFlags) => number): [number, number] {
  const e = { fflags: 0 };
  const r = f(e);
  return [r, e.fflags];
}

Deno.test("add: rounding modes, exact cancellation signs, ∞ - ∞", () => {
  const tiny = 2 ** -60;
  assertEquals(run((e) => sf.add64(e, 1, tiny, RNE, 0)), [1, NX]);
  assertEquals(run((e) => sf.add64(e, 1, tiny, RUP, 0)), [1 + 2 ** -52, NX]);
  assertEquals(run((e) => sf.add64(e, -1, -tiny, RDN, 0)), [-1 - 2 ** -52, NX]);
  assertEquals(run((e) => sf.add64(e, -1, -tiny, RTZ, 0)), [-1, NX]);
  assertEquals(run((e) => sf.add64(e, 1, 1, RNE, 0)), [2, 0]);
  assertEquals(Object.is(run((e) => sf.add64(e, 1, -1, RDN, 0))[0], -0), true);
  assertEquals(Object.is(run((e) => sf.add64(e, 1, -1, RNE, 0))[0], 0), true);
  assertEquals(Object.is(run((e) => sf.add32(e, -0, -0, RUP, 0))[0], -0), true);
  const [r, f] = run((e) => sf.add64(e, Infinity, -Infinity, RNE, 0));
  assertEquals([Number.isNaN(r), f], [true, NV]);
  // a quiet NaN operand raises nothing, a signalling one NV
  assertEquals(run((e) => sf.add32(e, NaN, 1, RNE, 0))[1], 0);
  assertEquals(run((e) => sf.add32(e, NaN, 1, RNE, 1))[1], NV);
});

Deno.test("halfway cases: RNE to even, RMM away from zero", () => {
  const h = 1 + 2 ** -24; // halfway between two singles
  assertEquals(run((e) => sf.cvtSD(e, h, RNE, 0)), [1, NX]);
  assertEquals(run((e) => sf.cvtSD(e, h, RMM, 0)), [1 + 2 ** -23, NX]);
  assertEquals(run((e) => sf.cvtSD(e, -h, RMM, 0)), [-(1 + 2 ** -23), NX]);
  assertEquals(run((e) => sf.cvtW(e, 2.5, RNE)), [2, NX]);
  assertEquals(run((e) => sf.cvtW(e, 2.5, RMM)), [3, NX]);
  assertEquals(run((e) => sf.cvtW(e, -2.5, RMM)), [-3, NX]);
});

Deno.test("overflow goes to ∞ or the largest finite value by rounding mode", () => {
  const big = 2 ** 1023;
  assertEquals(run((e) => sf.mul64(e, big, 2, RNE, 0)), [Infinity, OF | NX]);
  assertEquals(run((e) => sf.mul64(e, big, 2, RTZ, 0)), [
    Number.MAX_VALUE,
    OF | NX,
  ]);
  assertEquals(run((e) => sf.mul64(e, big, -2, RUP, 0)), [
    -Number.MAX_VALUE,
    OF | NX,
  ]);
  assertEquals(run((e) => sf.mul64(e, big, -2, RDN, 0)), [-Infinity, OF | NX]);
  assertEquals(run((e) => sf.div32(e, 1, 0, RNE, 0)), [Infinity, DZ]);
});

Deno.test("underflow: tininess is detected after rounding", () => {
  const min = 2 ** -126;
  // rounds up to the smallest normal in RNE: not tiny after rounding, no UF
  const justBelow = min * (1 - 2 ** -25);
  assertEquals(run((e) => sf.cvtSD(e, justBelow, RNE, 0)), [min, NX]);
  // further below, still rounds up to it but is tiny after rounding
  const below = min * (1 - 1.5 * 2 ** -25);
  assertEquals(run((e) => sf.cvtSD(e, below, RNE, 0)), [min, UF | NX]);
  // an exact subnormal raises nothing
  assertEquals(run((e) => sf.mul32(e, 2 ** -140, 0.5, RNE, 0)), [2 ** -141, 0]);
  assertEquals(run((e) => sf.mul64(e, 2 ** -1070, 2 ** -10, RNE, 0)), [
    0,
    UF | NX,
  ]);
  assertEquals(run((e) => sf.mul64(e, 2 ** -1070, 2 ** -10, RUP, 0)), [
    2 ** -1074,
    UF | NX,
  ]);
});

Deno.test("fma rounds once, and ∞ * 0 + qNaN is invalid", () => {
  const a = 1 + 2 ** -30;
  // a * a = 1 + 2^-29 + 2^-60: a separate multiply would lose the 2^-60
  assertEquals(run((e) => sf.fma64(e, a, a, -1, RNE, 0)), [
    2 ** -29 + 2 ** -60,
    0,
  ]);
  const [r, f] = run((e) => sf.fma32(e, Infinity, 0, NaN, RNE, 0));
  assertEquals([Number.isNaN(r), f], [true, NV]);
  // -(0 * 1) - 0 = -0 - 0 = -0; fmadd(0, 1, -0) = +0
  assertEquals(
    Object.is(run((e) => sf.fnma64(e, 0, 1, 0, RNE, 0))[0], -0),
    true,
  );
  assertEquals(
    Object.is(run((e) => sf.fma64(e, 0, 1, -0, RNE, 0))[0], 0),
    true,
  );
});

Deno.test("min/max: -0 < +0, NaN operands ignored, NV for signalling", () => {
  assertEquals(Object.is(run((e) => sf.fmin(e, 0, -0, 0))[0], -0), true);
  assertEquals(Object.is(run((e) => sf.fmax(e, -0, 0, 0))[0], 0), true);
  assertEquals(run((e) => sf.fmin(e, NaN, 3, 1)), [3, NV]);
  assertEquals(run((e) => sf.fmax(e, 3, NaN, 0)), [3, 0]);
  assertEquals(Number.isNaN(run((e) => sf.fmax(e, NaN, NaN, 0))[0]), true);
});

Deno.test("comparisons: feq is quiet, flt and fle signal on any NaN", () => {
  assertEquals(run((e) => sf.feq(e, NaN, 1, 0)), [0, 0]);
  assertEquals(run((e) => sf.feq(e, NaN, 1, 1)), [0, NV]);
  assertEquals(run((e) => sf.flt(e, NaN, 1)), [0, NV]);
  assertEquals(run((e) => sf.fle(e, -0, 0)), [1, 0]);
  assertEquals(run((e) => sf.feq(e, -0, 0, 0)), [1, 0]);
});

Deno.test("fclass: one bit per class", () => {
  const c = (x: number, single: boolean, sn = 0) => sf.fclass(x, single, sn);
  assertEquals(
    [
      c(-Infinity, true),
      c(-1, true),
      c(-(2 ** -130), true),
      c(-0, true),
      c(0, true),
    ],
    [1, 2, 4, 8, 16],
  );
  assertEquals([c(2 ** -130, true), c(2 ** -130, false), c(Infinity, false)], [
    32,
    64,
    128,
  ]);
  assertEquals([c(NaN, false, 1), c(NaN, false, 0)], [256, 512]);
});

Deno.test("float to integer conversions saturate with NV, and NX only in range", () => {
  assertEquals(run((e) => sf.cvtW(e, NaN, RNE)), [0x7fffffff, NV]);
  assertEquals(run((e) => sf.cvtW(e, -Infinity, RNE)), [-0x80000000, NV]);
  assertEquals(run((e) => sf.cvtW(e, 2147483647.5, RNE)), [0x7fffffff, NV]);
  assertEquals(run((e) => sf.cvtW(e, 2147483647.5, RTZ)), [0x7fffffff, NX]);
  assertEquals(run((e) => sf.cvtWU(e, -0.5, RNE)), [0, NX]);
  assertEquals(run((e) => sf.cvtWU(e, -0.5, RDN)), [0, NV]);
  assertEquals(run((e) => sf.cvtWU(e, 4294967295, RNE)), [-1, 0]);
  assertEquals(run((e) => sf.cvtWU(e, NaN, RNE)), [-1, NV]);
  assertEquals(run((e) => sf.cvtSFromInt(e, 0x7fffffff, false, RTZ)), [
    2147483520,
    NX,
  ]);
  assertEquals(run((e) => sf.cvtSFromInt(e, -1, true, RNE)), [4294967296, NX]);
});

Deno.test("bit patterns: canonical NaNs and signalling NaN detection", () => {
  assertEquals(sf.toBits32(NaN), 0x7fc00000);
  assertEquals([sf.hiBits64(NaN), sf.loBits64(NaN)], [0x7ff80000, 0]);
  assertEquals([
    sf.isSNaN32(0x7f800001),
    sf.isSNaN32(0x7fc00000),
    sf.isSNaN32(0x7f800000),
  ], [
    true,
    false,
    false,
  ]);
  assertEquals([
    sf.isSNaN64(0x7ff00000, 1),
    sf.isSNaN64(0xfff40000 | 0, 0),
    sf.isSNaN64(0x7ff80000, 1),
  ], [
    true,
    true,
    false,
  ]);
  assertEquals(sf.toBits32(sf.fromBits32(0x80000001)) >>> 0, 0x80000001);
});
