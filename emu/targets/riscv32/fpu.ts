/**
 * The F and D extensions' instructions on the CPU state: the helpers that
 * the floating-point oplets in `ops.ts` call (like `loadSlow` for memory).
 * They read the float registers (with NaN-boxing for singles), resolve the
 * dynamic rounding mode, compute with `softfloat.ts` and write results back
 * bit for bit (canonical NaNs), accumulating `fflags`.
 *
 * An oplet passes one packed parameter `p`: `rd | rs1 << 5 | rs2 << 10 |
 * rs3 << 15 | rm << 20` (see {@link fpPack}), and for the instructions that
 * round, the guest pc, so that a dynamic rounding mode that `frm` makes
 * invalid raises an illegal instruction there, as on qemu-riscv32.
 *
 * The helpers reach the state only through guest memory (the float
 * registers, `fflags` and `frm` live there): one that produces an integer
 * returns it, and the oplet stores it (in T0; the translator moves it into
 * x[rd]); one that takes an integer gets it as an argument. So compiled
 * code calls them without writing back its registers (`helpers_test.ts`).
 *
 * @module
 */

import { GuestFault } from "../../fault.ts";
import type { RiscvCpu } from "./cpu.ts";
import * as sf from "./softfloat.ts";

/** The dynamic rounding mode's `rm` value: use `frm`. */
export const RM_DYN = 7;

/** Packs an FP instruction's register fields and rounding mode into one oplet parameter. */
export function fpPack(
  rd: number,
  rs1: number,
  rs2: number,
  rs3: number,
  rm: number,
): number {
  return rd | (rs1 << 5) | (rs2 << 10) | (rs3 << 15) | (rm << 20);
}

/**
 * For the fused multiply-adds, a bit above `rm` in the packed parameter:
 * negate the addend (`fmsub`, `fnmadd`).
 */
export const FMA_NEG_ADDEND = 1 << 23;
/**
 * For the fused multiply-adds, a bit above `rm` in the packed parameter:
 * negate the product (`fnmsub`, `fnmadd`).
 */
export const FMA_NEG_PRODUCT = 1 << 24;

/** The rounding mode an instruction uses: its static `rm`, or `frm` (illegal if 5..7). */
function rmOf(s: RiscvCpu, p: number, pc: number): number {
  const rm = (p >>> 20) & 7;
  if (rm !== RM_DYN) return rm;
  const f = s.frm;
  if (f > 4) {
    const a = pc >>> 0;
    const word = s.mu8[a] | (s.mu8[a + 1] << 8) | (s.mu8[a + 2] << 16) |
      (s.mu8[a + 3] << 24);
    throw new GuestFault("illegal instruction", pc, word, "decode");
  }
  return f;
}

// Register access -----------------------------------------------------------

/** A single read from float register r: the canonical NaN unless NaN-boxed. */
function getS(s: RiscvCpu, r: number): number {
  return s.fw[2 * r + 1] === -1 ? s.fs[2 * r] : NaN;
}
/** 1 if float register r holds a NaN-boxed signalling single NaN. */
function snS(s: RiscvCpu, r: number): number {
  return s.fw[2 * r + 1] === -1 && sf.isSNaN32(s.fw[2 * r]) ? 1 : 0;
}
/** 1 if float register r holds a signalling double NaN. */
function snD(s: RiscvCpu, r: number): number {
  return sf.isSNaN64(s.fw[2 * r + 1], s.fw[2 * r]) ? 1 : 0;
}
/** Writes single x (a NaN as the canonical NaN), NaN-boxed. */
function setS(s: RiscvCpu, r: number, x: number): void {
  if (x !== x) s.fw[2 * r] = sf.CANONICAL_NAN32;
  else s.fs[2 * r] = x;
  s.fw[2 * r + 1] = -1;
}
/** Writes double x (a NaN as the canonical NaN). */
function setD(s: RiscvCpu, r: number, x: number): void {
  if (x !== x) {
    s.fw[2 * r] = 0;
    s.fw[2 * r + 1] = sf.CANONICAL_NAN64_HI;
  } else s.f[r] = x;
}
/** The sNaN mask of up to three single operands (only computed when one is a NaN). */
function sn3S(s: RiscvCpu, p: number, n: number): number {
  let m = snS(s, (p >>> 5) & 31);
  if (n > 1) m |= snS(s, (p >>> 10) & 31) << 1;
  if (n > 2) m |= snS(s, (p >>> 15) & 31) << 2;
  return m;
}
function sn3D(s: RiscvCpu, p: number, n: number): number {
  let m = snD(s, (p >>> 5) & 31);
  if (n > 1) m |= snD(s, (p >>> 10) & 31) << 1;
  if (n > 2) m |= snD(s, (p >>> 15) & 31) << 2;
  return m;
}

// Binary32 ------------------------------------------------------------------

/** `fadd.s`. */
export function fAddS(s: RiscvCpu, p: number, pc: number): void {
  const a = getS(s, (p >>> 5) & 31), b = getS(s, (p >>> 10) & 31);
  const sn = a !== a || b !== b ? sn3S(s, p, 2) : 0;
  setS(s, p & 31, sf.add32(s, a, b, rmOf(s, p, pc), sn));
}
/** `fsub.s`. */
export function fSubS(s: RiscvCpu, p: number, pc: number): void {
  const a = getS(s, (p >>> 5) & 31), b = getS(s, (p >>> 10) & 31);
  const sn = a !== a || b !== b ? sn3S(s, p, 2) : 0;
  setS(s, p & 31, sf.sub32(s, a, b, rmOf(s, p, pc), sn));
}
/** `fmul.s`. */
export function fMulS(s: RiscvCpu, p: number, pc: number): void {
  const a = getS(s, (p >>> 5) & 31), b = getS(s, (p >>> 10) & 31);
  const sn = a !== a || b !== b ? sn3S(s, p, 2) : 0;
  setS(s, p & 31, sf.mul32(s, a, b, rmOf(s, p, pc), sn));
}
/** `fdiv.s`. */
export function fDivS(s: RiscvCpu, p: number, pc: number): void {
  const a = getS(s, (p >>> 5) & 31), b = getS(s, (p >>> 10) & 31);
  const sn = a !== a || b !== b ? sn3S(s, p, 2) : 0;
  setS(s, p & 31, sf.div32(s, a, b, rmOf(s, p, pc), sn));
}
/** `fsqrt.s`. */
export function fSqrtS(s: RiscvCpu, p: number, pc: number): void {
  const a = getS(s, (p >>> 5) & 31);
  setS(s, p & 31, sf.sqrt32(s, a, rmOf(s, p, pc), a !== a ? sn3S(s, p, 1) : 0));
}
/** `fmin.s` (funct3 0) and `fmax.s` (funct3 1); `max` selects. */
export function fMinMaxS(s: RiscvCpu, p: number, max: number): void {
  const a = getS(s, (p >>> 5) & 31), b = getS(s, (p >>> 10) & 31);
  const sn = a !== a || b !== b ? sn3S(s, p, 2) : 0;
  setS(s, p & 31, max ? sf.fmax(s, a, b, sn) : sf.fmin(s, a, b, sn));
}
/**
 * `fmadd.s`, `fmsub.s` (`p` has {@link FMA_NEG_ADDEND}), `fnmsub.s`
 * ({@link FMA_NEG_PRODUCT}) and `fnmadd.s` (both). NaN operands (and their
 * signalling bits) are read from the registers as they are.
 */
export function fFmaS(s: RiscvCpu, p: number, pc: number): void {
  const kind = (p >>> 23) & 3;
  const a = getS(s, (p >>> 5) & 31),
    b = getS(s, (p >>> 10) & 31),
    c = getS(s, (p >>> 15) & 31);
  const sn = a !== a || b !== b || c !== c ? sn3S(s, p, 3) : 0;
  const rm = rmOf(s, p, pc);
  setS(
    s,
    p & 31,
    kind === 0
      ? sf.fma32(s, a, b, c, rm, sn)
      : kind === 1
      ? sf.fms32(s, a, b, c, rm, sn)
      : kind === 2
      ? sf.fnms32(s, a, b, c, rm, sn)
      : sf.fnma32(s, a, b, c, rm, sn),
  );
}
/** `feq.s` (funct3 2), `flt.s` (1), `fle.s` (0): returns the result (for x[rd]). */
export function fCmpS(s: RiscvCpu, p: number, f3: number): number {
  const a = getS(s, (p >>> 5) & 31), b = getS(s, (p >>> 10) & 31);
  const r = f3 === 2
    ? sf.feq(s, a, b, a !== a || b !== b ? sn3S(s, p, 2) : 0)
    : f3 === 1
    ? sf.flt(s, a, b)
    : sf.fle(s, a, b);
  return r;
}
/** `fclass.s`: returns the class mask (for x[rd]). */
export function fClassS(s: RiscvCpu, p: number): number {
  const a = getS(s, (p >>> 5) & 31);
  return sf.fclass(a, true, a !== a ? sn3S(s, p, 1) : 0);
}
/** `fcvt.w.s` (`unsigned` 0) and `fcvt.wu.s` (1): returns the result (for x[rd]). */
export function fCvtWS(
  s: RiscvCpu,
  p: number,
  pc: number,
  unsigned: number,
): number {
  const a = getS(s, (p >>> 5) & 31);
  const rm = rmOf(s, p, pc);
  return unsigned ? sf.cvtWU(s, a, rm) : sf.cvtW(s, a, rm);
}
/** `fcvt.s.w` (`unsigned` 0) and `fcvt.s.wu` (1) of `v`, the value of x[rs1]. */
export function fCvtSW(
  s: RiscvCpu,
  p: number,
  pc: number,
  unsigned: number,
  v: number,
): void {
  setS(s, p & 31, sf.cvtSFromInt(s, v, unsigned !== 0, rmOf(s, p, pc)));
}
/** `fsgnj.s` (funct3 0), `fsgnjn.s` (1), `fsgnjx.s` (2): on the bits. */
export function fSgnjS(s: RiscvCpu, p: number, f3: number): void {
  const r1 = (p >>> 5) & 31, r2 = (p >>> 10) & 31;
  const a = s.fw[2 * r1 + 1] === -1 ? s.fw[2 * r1] : sf.CANONICAL_NAN32;
  const b = s.fw[2 * r2 + 1] === -1 ? s.fw[2 * r2] : sf.CANONICAL_NAN32;
  const sign = f3 === 0 ? b : f3 === 1 ? ~b : a ^ b;
  const rd = p & 31;
  s.fw[2 * rd] = (a & 0x7fffffff) | (sign & 0x80000000);
  s.fw[2 * rd + 1] = -1;
}
/** `fcvt.s.d`. */
export function fCvtSD(s: RiscvCpu, p: number, pc: number): void {
  const a = s.f[(p >>> 5) & 31];
  setS(s, p & 31, sf.cvtSD(s, a, rmOf(s, p, pc), a !== a ? sn3D(s, p, 1) : 0));
}

// Binary64 ------------------------------------------------------------------

/** `fadd.d`. */
export function fAddD(s: RiscvCpu, p: number, pc: number): void {
  const a = s.f[(p >>> 5) & 31], b = s.f[(p >>> 10) & 31];
  const sn = a !== a || b !== b ? sn3D(s, p, 2) : 0;
  setD(s, p & 31, sf.add64(s, a, b, rmOf(s, p, pc), sn));
}
/** `fsub.d`. */
export function fSubD(s: RiscvCpu, p: number, pc: number): void {
  const a = s.f[(p >>> 5) & 31], b = s.f[(p >>> 10) & 31];
  const sn = a !== a || b !== b ? sn3D(s, p, 2) : 0;
  setD(s, p & 31, sf.sub64(s, a, b, rmOf(s, p, pc), sn));
}
/** `fmul.d`. */
export function fMulD(s: RiscvCpu, p: number, pc: number): void {
  const a = s.f[(p >>> 5) & 31], b = s.f[(p >>> 10) & 31];
  const sn = a !== a || b !== b ? sn3D(s, p, 2) : 0;
  setD(s, p & 31, sf.mul64(s, a, b, rmOf(s, p, pc), sn));
}
/** `fdiv.d`. */
export function fDivD(s: RiscvCpu, p: number, pc: number): void {
  const a = s.f[(p >>> 5) & 31], b = s.f[(p >>> 10) & 31];
  const sn = a !== a || b !== b ? sn3D(s, p, 2) : 0;
  setD(s, p & 31, sf.div64(s, a, b, rmOf(s, p, pc), sn));
}
/** `fsqrt.d`. */
export function fSqrtD(s: RiscvCpu, p: number, pc: number): void {
  const a = s.f[(p >>> 5) & 31];
  setD(s, p & 31, sf.sqrt64(s, a, rmOf(s, p, pc), a !== a ? sn3D(s, p, 1) : 0));
}
/** `fmin.d` and `fmax.d`; `max` selects. */
export function fMinMaxD(s: RiscvCpu, p: number, max: number): void {
  const a = s.f[(p >>> 5) & 31], b = s.f[(p >>> 10) & 31];
  const sn = a !== a || b !== b ? sn3D(s, p, 2) : 0;
  setD(s, p & 31, max ? sf.fmax(s, a, b, sn) : sf.fmin(s, a, b, sn));
}
/**
 * `fmadd.d`, `fmsub.d` (`p` has {@link FMA_NEG_ADDEND}), `fnmsub.d`
 * ({@link FMA_NEG_PRODUCT}) and `fnmadd.d` (both). NaN operands (and their
 * signalling bits) are read from the registers as they are.
 */
export function fFmaD(s: RiscvCpu, p: number, pc: number): void {
  const kind = (p >>> 23) & 3;
  const a = s.f[(p >>> 5) & 31],
    b = s.f[(p >>> 10) & 31],
    c = s.f[(p >>> 15) & 31];
  const sn = a !== a || b !== b || c !== c ? sn3D(s, p, 3) : 0;
  const rm = rmOf(s, p, pc);
  setD(
    s,
    p & 31,
    kind === 0
      ? sf.fma64(s, a, b, c, rm, sn)
      : kind === 1
      ? sf.fms64(s, a, b, c, rm, sn)
      : kind === 2
      ? sf.fnms64(s, a, b, c, rm, sn)
      : sf.fnma64(s, a, b, c, rm, sn),
  );
}
/** `feq.d` (funct3 2), `flt.d` (1), `fle.d` (0): returns the result (for x[rd]). */
export function fCmpD(s: RiscvCpu, p: number, f3: number): number {
  const a = s.f[(p >>> 5) & 31], b = s.f[(p >>> 10) & 31];
  const r = f3 === 2
    ? sf.feq(s, a, b, a !== a || b !== b ? sn3D(s, p, 2) : 0)
    : f3 === 1
    ? sf.flt(s, a, b)
    : sf.fle(s, a, b);
  return r;
}
/** `fclass.d`: returns the class mask (for x[rd]). */
export function fClassD(s: RiscvCpu, p: number): number {
  const a = s.f[(p >>> 5) & 31];
  return sf.fclass(a, false, a !== a ? sn3D(s, p, 1) : 0);
}
/** `fcvt.w.d` (`unsigned` 0) and `fcvt.wu.d` (1): returns the result (for x[rd]). */
export function fCvtWD(
  s: RiscvCpu,
  p: number,
  pc: number,
  unsigned: number,
): number {
  const a = s.f[(p >>> 5) & 31];
  const rm = rmOf(s, p, pc);
  return unsigned ? sf.cvtWU(s, a, rm) : sf.cvtW(s, a, rm);
}
/**
 * `fcvt.d.w` (`unsigned` 0) and `fcvt.d.wu` (1) of `v`, the value of
 * x[rs1]: exact, but the rounding mode must be valid.
 */
export function fCvtDW(
  s: RiscvCpu,
  p: number,
  pc: number,
  unsigned: number,
  v: number,
): void {
  rmOf(s, p, pc);
  s.f[p & 31] = sf.cvtDFromInt(v, unsigned !== 0);
}
/** `fsgnj.d` (funct3 0), `fsgnjn.d` (1), `fsgnjx.d` (2): on the bits. */
export function fSgnjD(s: RiscvCpu, p: number, f3: number): void {
  const r1 = (p >>> 5) & 31, r2 = (p >>> 10) & 31, rd = p & 31;
  const a = s.fw[2 * r1 + 1], b = s.fw[2 * r2 + 1];
  const sign = f3 === 0 ? b : f3 === 1 ? ~b : a ^ b;
  s.fw[2 * rd] = s.fw[2 * r1];
  s.fw[2 * rd + 1] = (a & 0x7fffffff) | (sign & 0x80000000);
}
/** `fcvt.d.s`. */
export function fCvtDS(s: RiscvCpu, p: number, pc: number): void {
  rmOf(s, p, pc);
  const a = getS(s, (p >>> 5) & 31);
  setD(s, p & 31, sf.cvtDS(s, a, a !== a ? sn3S(s, p, 1) : 0));
}

// The floating-point CSRs ---------------------------------------------------

/** The FP CSR numbers. */
export const CSR_FFLAGS = 0x001;
/** `frm`. */
export const CSR_FRM = 0x002;
/** `fcsr`: frm in bits 7..5, fflags in bits 4..0. */
export const CSR_FCSR = 0x003;

/**
 * A Zicsr instruction on `fflags`, `frm` or `fcsr`. `q` packs
 * `csr | funct3 << 2 | rd << 5 | rs1 << 10` (rs1 is the 5-bit immediate for
 * the `i` forms); `v` is the value of x[rs1] for the register forms. The
 * CSR gets the new value; returns the old one (for x[rd]).
 */
export function fCsr(s: RiscvCpu, q: number, v: number): number {
  const csr = q & 3,
    f3 = (q >>> 2) & 7,
    r1 = (q >>> 10) & 31;
  const old = csr === 1
    ? s.fflags
    : csr === 2
    ? s.frm
    : (s.frm << 5) | s.fflags;
  const src = f3 >= 5 ? r1 : v;
  const op = f3 & 3;
  const n = op === 1 ? src : op === 2 ? old | src : old & ~src;
  if (csr === 1) s.fflags = n & 31;
  else if (csr === 2) s.frm = n & 7;
  else {
    s.fflags = n & 31;
    s.frm = (n >>> 5) & 7;
  }
  return old;
}
