/**
 * IEEE 754 binary32 and binary64 arithmetic as RISC-V's F and D extensions
 * define it, bit for bit as qemu-riscv32 computes it: results, the exception
 * flags NV, DZ, OF, UF and NX, all five rounding modes, tininess detected
 * after rounding, and canonical NaNs.
 *
 * Values are JavaScript numbers: a binary64 operand is the double itself, a
 * binary32 operand is the double that holds the single's exact value. A NaN
 * carries no payload here, so every operation that must know whether a NaN
 * operand is signalling takes a mask `sn` (bit 0: the first operand is a
 * signalling NaN, bit 1: the second, bit 2: the third); callers that hold the
 * bit patterns compute it with {@link isSNaN32} / {@link isSNaN64}. Every
 * arithmetic result that is a NaN is the canonical NaN (RISC-V never
 * propagates payloads), so a `NaN` return value stands for `0x7fc00000` or
 * `0x7ff8000000000000`. Sign injection works on bit patterns and is left to
 * the caller.
 *
 * Flags accumulate (bitwise or) into `e.fflags`, with RISC-V's bit order
 * ({@link NX} = 1, {@link UF} = 2, {@link OF} = 4, {@link DZ} = 8,
 * {@link NV} = 16). Rounding modes are RISC-V's `rm` values ({@link RNE} = 0,
 * {@link RTZ}, {@link RDN}, {@link RUP}, {@link RMM} = 4).
 *
 * Speed: in round-to-nearest-even, the common case, every operation except
 * the fused multiply-adds computes its result with the host's own IEEE
 * arithmetic (`Math.fround` for singles; double rounding is innocuous for
 * +, -, *, /, sqrt from binary64 to binary32) and finds out whether it was
 * exact with error-free transforms (TwoSum, Veltkamp/Dekker products, exact
 * residuals), skipped once NX is set: flags only accumulate, so a program
 * that has seen one inexact result (nearly every program, early) pays for
 * the bare host operation and a range check. Results that are infinite, NaN, tiny (where underflow must be
 * decided) or so large or small that the transforms could over- or
 * underflow, all directed rounding modes, and the fused multiply-adds take
 * the exact path: the operands' significands as BigInts, an exact sum,
 * product, quotient or square root with a sticky bit, and one rounding.
 *
 * @example
 * ```ts
 * import { add64, NX, RNE, RUP } from "@oplet/emu/softfloat";
 * const e = { fflags: 0 };
 * console.log(add64(e, 0.1, 0.2, RNE, 0)); // 0.30000000000000004
 * console.log((e.fflags & NX) !== 0); // true: the sum was rounded
 * console.log(add64(e, 1, 2 ** -60, RUP, 0) === 1 + 2 ** -52); // true
 * ```
 *
 * @module
 */

/** Where the exception flags accumulate: the `fflags` CSR. */
export interface FpFlags {
  /** NX | UF | OF | DZ | NV, or-ed in by every operation. */
  fflags: number;
}

/** Inexact. */
export const NX = 1;
/** Underflow (tiny after rounding and inexact). */
export const UF = 2;
/** Overflow. */
export const OF = 4;
/** Division by zero. */
export const DZ = 8;
/** Invalid operation. */
export const NV = 16;

/** Round to nearest, ties to even. */
export const RNE = 0;
/** Round towards zero. */
export const RTZ = 1;
/** Round down (towards -∞). */
export const RDN = 2;
/** Round up (towards +∞). */
export const RUP = 3;
/** Round to nearest, ties away from zero (to max magnitude). */
export const RMM = 4;

/** The canonical single NaN's bit pattern. */
export const CANONICAL_NAN32 = 0x7fc00000;
/** The canonical double NaN's high word (its low word is 0). */
export const CANONICAL_NAN64_HI = 0x7ff80000;

// ---------------------------------------------------------------------------
// Bit patterns

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const u32s = new Uint32Array(f32.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE ? 0 : 1;
const HI = LITTLE ? 1 : 0;

/** Whether the single with bit pattern `bits` is a signalling NaN. */
export function isSNaN32(bits: number): boolean {
  return (bits & 0x7fc00000) === 0x7f800000 && (bits & 0x003fffff) !== 0;
}

/** Whether the double with words `hi`, `lo` is a signalling NaN. */
export function isSNaN64(hi: number, lo: number): boolean {
  return (hi & 0x7ff80000) === 0x7ff00000 &&
    ((hi & 0x0007ffff) !== 0 || lo !== 0);
}

/** The value of the single with bit pattern `bits` (NaNs lose their payload). */
export function fromBits32(bits: number): number {
  u32s[0] = bits;
  return f32[0];
}

/** The bit pattern (signed 32-bit) of single `x`; a NaN gives the canonical NaN. */
export function toBits32(x: number): number {
  if (x !== x) return CANONICAL_NAN32;
  f32[0] = x;
  return u32s[0] | 0;
}

/** The value of the double with words `hi`, `lo` (NaNs lose their payload). */
export function fromBits64(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}

/** The high word (signed 32-bit) of double `x`; a NaN gives the canonical NaN's. */
export function hiBits64(x: number): number {
  if (x !== x) return CANONICAL_NAN64_HI;
  f64[0] = x;
  return u32[HI] | 0;
}

/** The low word (signed 32-bit) of double `x`; a NaN gives the canonical NaN's (0). */
export function loBits64(x: number): number {
  if (x !== x) return 0;
  f64[0] = x;
  return u32[LO] | 0;
}

// ---------------------------------------------------------------------------
// The exact path

/** A binary format: precision (bits, with the hidden one) and exponent range. */
interface Format {
  p: number;
  emin: number;
  emax: number;
  /** The largest finite value. */
  max: number;
}

const S: Format = { p: 24, emin: -126, emax: 127, max: 3.4028234663852886e38 };
const D: Format = {
  p: 53,
  emin: -1022,
  emax: 1023,
  max: Number.MAX_VALUE,
};

/** Significand and exponent of finite nonzero `x`: |x| = m * 2^ex (set by decompose). */
let dm = 0;
let dex = 0;
function decompose(x: number): void {
  f64[0] = x;
  const hi = u32[HI];
  const bexp = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * 4294967296 + u32[LO];
  if (bexp === 0) {
    dm = frac;
    dex = -1074;
  } else {
    dm = frac + 4503599627370496;
    dex = bexp - 1075;
  }
}

function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/** 2^k for any integer k with 2^k a double (-1074 <= k <= 1023). */
function pow2(k: number): number {
  if (k >= -1022) return Math.pow(2, k);
  return Math.pow(2, k + 200) * Math.pow(2, -200);
}

/**
 * Rounds (-1)^neg * (m + sticky) * 2^ex to `fmt` in mode `rm` and raises
 * NX, UF and OF. `m` > 0; when `sticky`, something nonzero lies below the
 * units of `m`, and `m` has at least p + 2 bits.
 */
function roundPack(
  e: FpFlags,
  neg: boolean,
  m: bigint,
  ex: number,
  sticky: boolean,
  fmt: Format,
  rm: number,
): number {
  const n = bitLength(m);
  const top = ex + n - 1; // exponent of the leading bit
  const p = fmt.p;
  let lsb = Math.max(top - p + 1, fmt.emin - p + 1);
  let q: bigint;
  let inexact = sticky;
  let up = false;
  let tiny = false;
  if (lsb <= ex) {
    q = m << BigInt(ex - lsb);
  } else {
    const sh = BigInt(lsb - ex);
    q = m >> sh;
    const rem = m - (q << sh);
    const half = 1n << (sh - 1n);
    if (rem !== 0n) inexact = true;
    up = roundsUp(rm, neg, rem, half, sticky, (q & 1n) === 1n);
  }
  if (inexact && top < fmt.emin) {
    // Tininess after rounding: round to p bits with an unbounded exponent.
    const shU = n - p;
    let rounded: number;
    if (shU <= 0) rounded = top;
    else {
      const sh = BigInt(shU);
      const qU = m >> sh;
      const remU = m - (qU << sh);
      const u = roundsUp(
        rm,
        neg,
        remU,
        1n << (sh - 1n),
        sticky,
        (qU & 1n) === 1n,
      );
      rounded = u && qU + 1n === 1n << BigInt(p) ? top + 1 : top;
    }
    tiny = rounded < fmt.emin;
  }
  if (up) {
    q += 1n;
    if (q === 1n << BigInt(p)) {
      q = 1n << BigInt(p - 1);
      lsb += 1;
    }
  }
  let flags = inexact ? NX : 0;
  if (tiny) flags |= UF;
  if (q !== 0n && lsb + bitLength(q) - 1 > fmt.emax) {
    e.fflags |= OF | NX;
    return overflowResult(neg, fmt, rm);
  }
  e.fflags |= flags;
  const r = Number(q) * pow2(lsb);
  return neg ? -r : r;
}

function roundsUp(
  rm: number,
  neg: boolean,
  rem: bigint,
  half: bigint,
  sticky: boolean,
  odd: boolean,
): boolean {
  if (rem === 0n && !sticky) return false;
  switch (rm) {
    case RNE:
      return rem > half || (rem === half && (sticky || odd));
    case RTZ:
      return false;
    case RDN:
      return neg;
    case RUP:
      return !neg;
    default: // RMM
      return rem >= half;
  }
}

function overflowResult(neg: boolean, fmt: Format, rm: number): number {
  switch (rm) {
    case RTZ:
      return neg ? -fmt.max : fmt.max;
    case RDN:
      return neg ? -Infinity : fmt.max;
    case RUP:
      return neg ? -fmt.max : Infinity;
    default:
      return neg ? -Infinity : Infinity;
  }
}

/** The sign of an exact zero sum of two addends of signs `na`, `nb`. */
function zeroSum(na: boolean, nb: boolean, rm: number): number {
  if (na === nb) return na ? -0 : 0;
  return rm === RDN ? -0 : 0;
}

function isNeg(x: number): boolean {
  return x < 0 || (x === 0 && 1 / x < 0);
}

/** a + b for finite a, b, exactly, then rounded once. */
function addExact(
  e: FpFlags,
  a: number,
  b: number,
  fmt: Format,
  rm: number,
): number {
  if (a === 0 || b === 0) {
    if (a === 0 && b === 0) return zeroSum(isNeg(a), isNeg(b), rm);
    // x + 0 = x exactly when x is representable; a single is.
    return a === 0 ? b : a;
  }
  decompose(a);
  const ma = dm, ea = dex;
  decompose(b);
  const mb = dm, eb = dex;
  const ex = Math.min(ea, eb);
  let A = BigInt(ma) << BigInt(ea - ex);
  let B = BigInt(mb) << BigInt(eb - ex);
  if (a < 0) A = -A;
  if (b < 0) B = -B;
  const s = A + B;
  if (s === 0n) return rm === RDN ? -0 : 0;
  return roundPack(e, s < 0n, s < 0n ? -s : s, ex, false, fmt, rm);
}

/** a * b + c for finite a, b, c (c may be omitted as `undefined`), rounded once. */
function fmaExact(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  fmt: Format,
  rm: number,
): number {
  const np = isNeg(a) !== isNeg(b);
  if (a === 0 || b === 0) {
    if (c === 0) return zeroSum(np, isNeg(c), rm);
    return c; // 0 + c = c exactly
  }
  decompose(a);
  const ma = dm, ea = dex;
  decompose(b);
  const mb = dm, eb = dex;
  let P = BigInt(ma) * BigInt(mb);
  let ep = ea + eb;
  if (np) P = -P;
  if (c !== 0) {
    decompose(c);
    let C = BigInt(dm);
    const ec = dex;
    if (c < 0) C = -C;
    const ex = Math.min(ep, ec);
    P = (P << BigInt(ep - ex)) + (C << BigInt(ec - ex));
    ep = ex;
    if (P === 0n) return rm === RDN ? -0 : 0;
  }
  return roundPack(e, P < 0n, P < 0n ? -P : P, ep, false, fmt, rm);
}

function divExact(
  e: FpFlags,
  a: number,
  b: number,
  fmt: Format,
  rm: number,
): number {
  // a, b finite and nonzero
  decompose(a);
  const ma = BigInt(dm), ea = dex;
  decompose(b);
  const mb = BigInt(dm), eb = dex;
  const k = Math.max(0, fmt.p + 2 + bitLength(mb) - bitLength(ma));
  const num = ma << BigInt(k);
  const q = num / mb;
  const sticky = q * mb !== num;
  return roundPack(e, (a < 0) !== (b < 0), q, ea - eb - k, sticky, fmt, rm);
}

function isqrt(n: bigint): bigint {
  // Newton's method from an estimate above the root.
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function sqrtExact(e: FpFlags, a: number, fmt: Format, rm: number): number {
  // a finite and > 0
  decompose(a);
  let m = BigInt(dm);
  let ex = dex;
  if (ex & 1) {
    m <<= 1n;
    ex -= 1;
  }
  const k = Math.max(0, fmt.p + 3 - (bitLength(m) >> 1));
  m <<= BigInt(2 * k);
  const r = isqrt(m);
  const sticky = r * r !== m;
  ex -= 2 * k;
  return roundPack(e, false, r, ex / 2, sticky, fmt, rm);
}

/** Rounds finite double `x` to `fmt` in mode `rm` (for conversions). */
function roundTo(e: FpFlags, x: number, fmt: Format, rm: number): number {
  if (x === 0) return x;
  decompose(x);
  return roundPack(e, x < 0, BigInt(dm), dex, false, fmt, rm);
}

// ---------------------------------------------------------------------------
// NaN and special-operand handling shared by the operations

/** The result of an operation with a NaN operand: NV if any is signalling. */
function nanResult(e: FpFlags, sn: number): number {
  if (sn !== 0) e.fflags |= NV;
  return NaN;
}

function invalid(e: FpFlags): number {
  e.fflags |= NV;
  return NaN;
}

// Bounds within which the error-free transforms cannot over- or underflow.
const BIG = 2 ** 960;
const SMALL = 2 ** -960;
const SPLIT = 134217729; // 2^27 + 1
const MIN_NORMAL32 = 2 ** -126;

/** The rounding error of the double product a * b = p, exactly (Dekker). */
function prodErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

// ---------------------------------------------------------------------------
// Binary64 operations

/** a + b in binary64. */
export function add64(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  const s = a + b;
  if (rm === RNE && Math.abs(s) < BIG) {
    // TwoSum: the exact rounding error of a + b (not needed once NX is set)
    if ((e.fflags & NX) === 0) {
      const bv = s - a;
      if ((a - (s - bv)) + (b - bv) !== 0) e.fflags |= NX;
    }
    return s;
  }
  return add64Slow(e, a, b, rm, sn);
}

function add64Slow(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  if (a !== a || b !== b) return nanResult(e, sn);
  if (a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) {
    const s = a + b;
    return s !== s ? invalid(e) : s;
  }
  return addExact(e, a, b, D, rm);
}

/** a - b in binary64. */
export function sub64(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  return add64(e, a, -b, rm, sn);
}

/** a * b in binary64. */
export function mul64(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  const p = a * b;
  if (rm === RNE) {
    const ap = Math.abs(p);
    if (ap > SMALL && ap < BIG && Math.abs(a) < BIG && Math.abs(b) < BIG) {
      if ((e.fflags & NX) === 0 && prodErr(a, b, p) !== 0) e.fflags |= NX;
      return p;
    }
    if (p === 0 && (a === 0 || b === 0)) return p;
  }
  return mul64Slow(e, a, b, rm, sn);
}

function mul64Slow(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  if (a !== a || b !== b) return nanResult(e, sn);
  const p = a * b;
  if (p !== p) return invalid(e); // 0 * ∞
  if (a === 0 || b === 0 || !isFinite(a) || !isFinite(b)) return p;
  return mulExact(e, a, b, D, rm);
}

/** a * b for finite nonzero a, b, rounded once. */
function mulExact(
  e: FpFlags,
  a: number,
  b: number,
  fmt: Format,
  rm: number,
): number {
  decompose(a);
  const ma = dm, ea = dex;
  decompose(b);
  return roundPack(
    e,
    (a < 0) !== (b < 0),
    BigInt(ma) * BigInt(dm),
    ea + dex,
    false,
    fmt,
    rm,
  );
}

/** a / b in binary64. */
export function div64(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  const q = a / b;
  if (rm === RNE) {
    const aq = Math.abs(q), ab = Math.abs(b), aa = Math.abs(a);
    if (
      aq > SMALL && aq < BIG && ab > SMALL && ab < BIG && aa > SMALL && aa < BIG
    ) {
      if ((e.fflags & NX) === 0) {
        const p = q * b;
        if (p !== a || prodErr(q, b, p) !== 0) e.fflags |= NX;
      }
      return q;
    }
  }
  return div64Slow(e, a, b, rm, sn, D);
}

function div64Slow(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
  fmt: Format,
): number {
  if (a !== a || b !== b) return nanResult(e, sn);
  const fa = isFinite(a), fb = isFinite(b);
  if (!fa || !fb) {
    if (!fa && !fb) return invalid(e);
    return a / b; // ∞/x = ∞, x/∞ = 0, exact
  }
  if (b === 0) {
    if (a === 0) return invalid(e);
    e.fflags |= DZ;
    return a / b;
  }
  if (a === 0) return a / b;
  return divExact(e, a, b, fmt, rm);
}

/** sqrt(a) in binary64. */
export function sqrt64(e: FpFlags, a: number, rm: number, sn: number): number {
  if (rm === RNE && a > SMALL && a < BIG) {
    const r = Math.sqrt(a);
    if ((e.fflags & NX) === 0) {
      const p = r * r;
      if (p !== a || prodErr(r, r, p) !== 0) e.fflags |= NX;
    }
    return r;
  }
  return sqrtSlow(e, a, rm, sn, D);
}

function sqrtSlow(
  e: FpFlags,
  a: number,
  rm: number,
  sn: number,
  fmt: Format,
): number {
  if (a !== a) return nanResult(e, sn);
  if (a === 0) return a; // sqrt(-0) = -0
  if (a < 0) return invalid(e);
  if (a === Infinity) return a;
  return sqrtExact(e, a, fmt, rm);
}

/** Fused a * b + c in binary64, rounded once (`fmadd.d`). */
export function fma64(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
): number {
  return fmaAny(e, a, b, c, rm, sn, D);
}

/**
 * Fused multiply-add with RISC-V's special cases: ∞ * 0 is invalid even when
 * the addend is a quiet NaN; otherwise any NaN operand gives the canonical NaN.
 */
function fmaAny(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
  fmt: Format,
): number {
  const fa = isFinite(a), fb = isFinite(b);
  if (
    ((a === 0 && !fb && b === b) || (b === 0 && !fa && a === a))
  ) {
    e.fflags |= NV;
    return NaN;
  }
  if (a !== a || b !== b || c !== c) return nanResult(e, sn);
  const fc = isFinite(c);
  if (!fa || !fb) {
    const p = a * b; // ±∞
    if (!fc && c !== p) return invalid(e);
    return p;
  }
  if (!fc) return c;
  if (fmt === D && rm === RNE) {
    // a * b = ph + pl exactly (Dekker), c + ph = uh + ul exactly (TwoSum),
    // then uh + RO(ul + pl) rounded once to nearest is the correctly rounded
    // fma (Boldo and Melquiond's emulation by rounding to odd). When ul + pl
    // is inexact, so is the fma: c and ph within a factor 2 cancel exactly
    // (ul = 0), otherwise |ul + pl| is a few ulps of uh at most, and a double
    // result x would make ul + pl = x - uh exact.
    const ph = a * b;
    const aph = Math.abs(ph);
    if (
      aph > SMALL && aph < BIG && Math.abs(a) < BIG && Math.abs(b) < BIG &&
      Math.abs(c) < BIG
    ) {
      const pl = prodErr(a, b, ph);
      const uh = c + ph;
      let bv = uh - c;
      const ul = (c - (uh - bv)) + (ph - bv);
      let t = ul + pl;
      bv = t - ul;
      const et = (ul - (t - bv)) + (pl - bv);
      if (et !== 0) t = roundToOdd(t, et);
      const v = uh + t;
      const av = Math.abs(v);
      if (av > SMALL && av < BIG) {
        bv = v - uh;
        if (et !== 0 || (uh - (v - bv)) + (t - bv) !== 0) e.fflags |= NX;
        return v;
      }
    }
  }
  if (fmt === S && rm === RNE) {
    // The product of two singles is exact in a double: a * b + c then has
    // one rounding to double (TwoSum finds its error), then to single.
    const p = a * b;
    let s = p + c;
    const bv = s - p;
    const err = (p - (s - bv)) + (c - bv);
    if (err !== 0) s = roundToOdd(s, err);
    const r = Math.fround(s);
    const ar = Math.abs(r);
    if (ar > MIN_NORMAL32 && ar < Infinity) {
      if (r !== s || err !== 0) e.fflags |= NX;
      return r;
    }
  }
  return fmaExact(e, a, b, c, fmt, rm);
}

/**
 * The double s, made odd towards the exact value s + err (err != 0, the
 * exact error of s): rounding to odd at 53 bits followed by one rounding to
 * 24 bits rounds the exact value correctly (53 >= 24 + 2).
 */
function roundToOdd(s: number, err: number): number {
  f64[0] = s;
  const lo = u32[LO];
  if ((lo & 1) !== 0) return s;
  if ((err > 0) === (s > 0)) u32[LO] = lo + 1; // away from zero: no carry, lo is even
  else if (lo !== 0) u32[LO] = lo - 1;
  else {
    u32[LO] = 0xffffffff;
    u32[HI] -= 1;
  }
  return f64[0];
}

/** Fused a * b - c in binary64 (`fmsub.d`). */
export function fms64(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
): number {
  return fmaAny(e, a, b, -c, rm, sn, D);
}

/** Fused -(a * b) + c in binary64 (`fnmsub.d`). */
export function fnms64(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
): number {
  return fmaAny(e, -a, b, c, rm, sn, D);
}

/** Fused -(a * b) - c in binary64 (`fnmadd.d`). */
export function fnma64(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
): number {
  return fmaAny(e, -a, b, -c, rm, sn, D);
}

// ---------------------------------------------------------------------------
// Binary32 operations

/** a + b in binary32 (a, b singles). */
export function add32(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  const s = a + b;
  if (rm === RNE) {
    const r = Math.fround(s);
    if (Math.abs(r) < Infinity) {
      if ((e.fflags & NX) === 0) {
        const bv = s - a;
        if (r !== s || (a - (s - bv)) + (b - bv) !== 0) e.fflags |= NX;
      }
      return r;
    }
  }
  if (a !== a || b !== b) return nanResult(e, sn);
  if (!isFinite(a) || !isFinite(b)) {
    return s !== s ? invalid(e) : s;
  }
  return addExact(e, a, b, S, rm);
}

/** a - b in binary32. */
export function sub32(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  return add32(e, a, -b, rm, sn);
}

/** a * b in binary32. */
export function mul32(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  const p = a * b; // exact
  if (rm === RNE) {
    const r = Math.fround(p);
    const ar = Math.abs(r);
    if (ar > MIN_NORMAL32 && ar < Infinity) {
      if (r !== p) e.fflags |= NX;
      return r;
    }
    if (p === 0 && (a === 0 || b === 0)) return p;
  }
  if (a !== a || b !== b) return nanResult(e, sn);
  if (p !== p) return invalid(e);
  if (a === 0 || b === 0 || !isFinite(a) || !isFinite(b)) return p;
  return roundTo(e, p, S, rm);
}

/** a / b in binary32. */
export function div32(
  e: FpFlags,
  a: number,
  b: number,
  rm: number,
  sn: number,
): number {
  if (rm === RNE) {
    const q = Math.fround(a / b);
    const aq = Math.abs(q);
    if (aq > MIN_NORMAL32 && aq < Infinity && b !== 0) {
      if ((e.fflags & NX) === 0 && q * b !== a) e.fflags |= NX; // q * b is exact in a double
      return q;
    }
  }
  return div64Slow(e, a, b, rm, sn, S);
}

/** sqrt(a) in binary32. */
export function sqrt32(e: FpFlags, a: number, rm: number, sn: number): number {
  if (rm === RNE && a > 0 && a < Infinity) {
    const r = Math.fround(Math.sqrt(a));
    if (r * r !== a) e.fflags |= NX;
    return r;
  }
  return sqrtSlow(e, a, rm, sn, S);
}

/** Fused a * b + c in binary32 (`fmadd.s`). */
export function fma32(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
): number {
  return fmaAny(e, a, b, c, rm, sn, S);
}

/** Fused a * b - c in binary32 (`fmsub.s`). */
export function fms32(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
): number {
  return fmaAny(e, a, b, -c, rm, sn, S);
}

/** Fused -(a * b) + c in binary32 (`fnmsub.s`). */
export function fnms32(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
): number {
  return fmaAny(e, -a, b, c, rm, sn, S);
}

/** Fused -(a * b) - c in binary32 (`fnmadd.s`). */
export function fnma32(
  e: FpFlags,
  a: number,
  b: number,
  c: number,
  rm: number,
  sn: number,
): number {
  return fmaAny(e, -a, b, -c, rm, sn, S);
}

// ---------------------------------------------------------------------------
// Format-independent operations (the same code serves singles and doubles)

/**
 * `fmin`: IEEE 754-2019 minimumNumber, as RISC-V (since version 2.2 of F)
 * defines it: -0 is below +0; a NaN operand is ignored (NV if signalling);
 * two NaNs give the canonical NaN.
 */
export function fmin(e: FpFlags, a: number, b: number, sn: number): number {
  if (a !== a || b !== b) {
    if (sn !== 0) e.fflags |= NV;
    return a !== a ? b : a;
  }
  if (a === b) return isNeg(a) ? a : b;
  return a < b ? a : b;
}

/** `fmax`: IEEE 754-2019 maximumNumber (see {@link fmin}). */
export function fmax(e: FpFlags, a: number, b: number, sn: number): number {
  if (a !== a || b !== b) {
    if (sn !== 0) e.fflags |= NV;
    return a !== a ? b : a;
  }
  if (a === b) return isNeg(a) ? b : a;
  return a > b ? a : b;
}

/** `feq`: 1 if a == b; quiet (NV only for a signalling NaN). */
export function feq(e: FpFlags, a: number, b: number, sn: number): number {
  if (a !== a || b !== b) {
    if (sn !== 0) e.fflags |= NV;
    return 0;
  }
  return a === b ? 1 : 0;
}

/** `flt`: 1 if a < b; signalling (NV for any NaN). */
export function flt(e: FpFlags, a: number, b: number): number {
  if (a !== a || b !== b) {
    e.fflags |= NV;
    return 0;
  }
  return a < b ? 1 : 0;
}

/** `fle`: 1 if a <= b; signalling (NV for any NaN). */
export function fle(e: FpFlags, a: number, b: number): number {
  if (a !== a || b !== b) {
    e.fflags |= NV;
    return 0;
  }
  return a <= b ? 1 : 0;
}

/**
 * `fclass`: the one-hot class mask (bit 0 -∞, 1 negative normal, 2 negative
 * subnormal, 3 -0, 4 +0, 5 positive subnormal, 6 positive normal, 7 +∞,
 * 8 signalling NaN, 9 quiet NaN). `single` selects the format whose normal
 * range applies; `sn` is 1 when `a` is a signalling NaN.
 */
export function fclass(a: number, single: boolean, sn: number): number {
  if (a !== a) return sn !== 0 ? 256 : 512;
  const neg = isNeg(a);
  const m = Math.abs(a);
  let k: number;
  if (m === Infinity) k = 0;
  else if (m === 0) k = 3;
  else if (m < (single ? MIN_NORMAL32 : 2.2250738585072014e-308)) k = 2;
  else k = 1;
  return neg ? 1 << k : 1 << (7 - k);
}

// ---------------------------------------------------------------------------
// Conversions

/** Rounds finite `x` to an integer in mode `rm`; sets `cvtInexact`. */
let cvtInexact = false;
function roundInt(x: number, rm: number): number {
  const t = Math.trunc(x);
  const f = x - t; // exact
  if (f === 0) {
    cvtInexact = false;
    return t;
  }
  cvtInexact = true;
  const af = Math.abs(f);
  const neg = x < 0;
  let up: boolean;
  switch (rm) {
    case RNE:
      up = af > 0.5 || (af === 0.5 && t % 2 !== 0);
      break;
    case RTZ:
      up = false;
      break;
    case RDN:
      up = neg;
      break;
    case RUP:
      up = !neg;
      break;
    default:
      up = af >= 0.5;
  }
  return up ? (neg ? t - 1 : t + 1) : t;
}

/**
 * `fcvt.w.s` / `fcvt.w.d`: `x` to a signed 32-bit integer, rounded in `rm`;
 * NaN and +∞ and values above 2^31-1 give 2^31-1, -∞ and values below -2^31
 * give -2^31, with NV (and no NX).
 */
export function cvtW(e: FpFlags, x: number, rm: number): number {
  if (x !== x) {
    e.fflags |= NV;
    return 0x7fffffff;
  }
  if (x >= 2147483648) {
    e.fflags |= NV;
    return 0x7fffffff;
  }
  if (x <= -2147483649) {
    e.fflags |= NV;
    return -2147483648;
  }
  const r = roundInt(x, rm);
  if (r > 2147483647) {
    e.fflags |= NV;
    return 0x7fffffff;
  }
  if (r < -2147483648) {
    e.fflags |= NV;
    return -2147483648;
  }
  if (cvtInexact) e.fflags |= NX;
  return r | 0;
}

/**
 * `fcvt.wu.s` / `fcvt.wu.d`: `x` to an unsigned 32-bit integer (returned as
 * its signed 32-bit pattern), rounded in `rm`; NaN, +∞ and values above
 * 2^32-1 give 2^32-1, values that round below 0 give 0, with NV.
 */
export function cvtWU(e: FpFlags, x: number, rm: number): number {
  if (x !== x || x >= 4294967296) {
    e.fflags |= NV;
    return -1;
  }
  if (x <= -1) {
    e.fflags |= NV;
    return 0;
  }
  const r = roundInt(x, rm);
  if (r > 4294967295) {
    e.fflags |= NV;
    return -1;
  }
  if (r < 0) {
    e.fflags |= NV;
    return 0;
  }
  if (cvtInexact) e.fflags |= NX;
  return r | 0;
}

/** `fcvt.s.w` (`unsigned` false) / `fcvt.s.wu`: a 32-bit integer to binary32. */
export function cvtSFromInt(
  e: FpFlags,
  v: number,
  unsigned: boolean,
  rm: number,
): number {
  const x = unsigned ? v >>> 0 : v | 0;
  const r = Math.fround(x);
  if (r === x) return r;
  if (rm === RNE) {
    e.fflags |= NX;
    return r;
  }
  return roundTo(e, x, S, rm);
}

/** `fcvt.d.w` (`unsigned` false) / `fcvt.d.wu`: a 32-bit integer to binary64 (always exact). */
export function cvtDFromInt(v: number, unsigned: boolean): number {
  return unsigned ? v >>> 0 : v | 0;
}

/** `fcvt.s.d`: binary64 to binary32, rounded in `rm`. */
export function cvtSD(e: FpFlags, x: number, rm: number, sn: number): number {
  const r = Math.fround(x);
  if (r === x) return r; // exact (or ±∞, ±0)
  if (x !== x) return nanResult(e, sn);
  if (rm === RNE) {
    const ar = Math.abs(r);
    if (ar > MIN_NORMAL32 && ar < Infinity) {
      e.fflags |= NX;
      return r;
    }
  }
  return roundTo(e, x, S, rm);
}

/** `fcvt.d.s`: binary32 to binary64 (exact; a NaN becomes the canonical NaN). */
export function cvtDS(e: FpFlags, x: number, sn: number): number {
  if (x !== x) return nanResult(e, sn);
  return x;
}
