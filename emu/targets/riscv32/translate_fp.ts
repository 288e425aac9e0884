/**
 * The F and D extensions' front end: one guest instruction into its oplets.
 * Kept apart from `translate.ts`, which hands every floating-point opcode
 * here. Encodings follow the RISC-V unprivileged specification (RV32F and
 * RV32D); what is illegal is what qemu-riscv32 7.2 refuses: other formats
 * (H, Q), RV64-only forms (`fmv.x.d`), reserved funct3/rs2 values and the
 * rounding modes 5 and 6 (7, dynamic, is checked against `frm` when the
 * instruction runs).
 *
 * @module
 */

import { funct3, immI, immS, rd, rs1, rs2, rs3 } from "./decode.ts";
import { OPC } from "./decode.ts";
import { FMA_NEG_ADDEND, FMA_NEG_PRODUCT, fpPack } from "./fpu.ts";
import type { OpletName } from "./translate.ts";

/** Emits an oplet with parameters (the translator's `emit`). */
export type Emit = (name: OpletName, ...params: number[]) => void;

const ARITH: Readonly<Record<number, readonly [OpletName, OpletName]>> = {
  0x00: ["fadd_s", "fadd_d"],
  0x01: ["fsub_s", "fsub_d"],
  0x02: ["fmul_s", "fmul_d"],
  0x03: ["fdiv_s", "fdiv_d"],
};
/** The fused multiply-adds: one oplet per format, the negations in its parameter. */
const FMAS: Readonly<Record<number, number>> = {
  [OPC.MADD]: 0,
  [OPC.MSUB]: FMA_NEG_ADDEND,
  [OPC.NMSUB]: FMA_NEG_PRODUCT,
  [OPC.NMADD]: FMA_NEG_PRODUCT | FMA_NEG_ADDEND,
};
const SGNJ: readonly (readonly [OpletName, OpletName])[] = [
  ["fsgnj_s", "fsgnj_d"],
  ["fsgnjn_s", "fsgnjn_d"],
  ["fsgnjx_s", "fsgnjx_d"],
];
const CMP: readonly (readonly [OpletName, OpletName])[] = [
  ["fle_s", "fle_d"],
  ["flt_s", "flt_d"],
  ["feq_s", "feq_d"],
];
const CVT_TO_INT: readonly (readonly [OpletName, OpletName])[] = [
  ["fcvt_w_s", "fcvt_w_d"],
  ["fcvt_wu_s", "fcvt_wu_d"],
];
const CVT_FROM_INT: readonly (readonly [OpletName, OpletName])[] = [
  ["fcvt_s_w", "fcvt_d_w"],
  ["fcvt_s_wu", "fcvt_d_wu"],
];

/**
 * Emits the oplets of floating-point instruction `w` at `pc` (its major
 * opcode is LOAD_FP, STORE_FP, one of the fused multiply-adds or OP_FP);
 * returns false when the instruction is illegal (nothing emitted then).
 */
export function translateFp(w: number, pc: number, emit: Emit): boolean {
  const d = rd(w), a = rs1(w), b = rs2(w), f3 = funct3(w);
  const op = w & 0x7f;
  if (op === OPC.LOAD_FP || op === OPC.STORE_FP) {
    if (f3 !== 2 && f3 !== 3) return false;
    emit("mov_T0_r", a);
    if (op === OPC.LOAD_FP) emit(f3 === 2 ? "flw" : "fld", immI(w), pc, d);
    else emit(f3 === 2 ? "fsw" : "fsd", immS(w), pc, b);
    return true;
  }
  const roundingOk = f3 !== 5 && f3 !== 6; // rm 7 = dynamic, checked when run
  const p = fpPack(d, a, b, rs3(w), f3);
  const fma = FMAS[op];
  if (fma !== undefined) {
    const fmt = (w >>> 25) & 3;
    if (fmt > 1 || !roundingOk) return false;
    emit(fmt ? "fma_d" : "fma_s", p | fma, pc);
    return true;
  }
  // OP_FP
  const f7 = w >>> 25;
  const fmt = f7 & 3;
  const f5 = f7 >>> 2;
  if (fmt > 1) return false;
  const arith = ARITH[f5];
  if (arith) {
    if (!roundingOk) return false;
    emit(arith[fmt], p, pc);
    return true;
  }
  switch (f5) {
    case 0x0b: // fsqrt
      if (b !== 0 || !roundingOk) return false;
      emit(fmt ? "fsqrt_d" : "fsqrt_s", p, pc);
      return true;
    case 0x04: // fsgnj, fsgnjn, fsgnjx
      if (f3 > 2) return false;
      if (f3 === 0 && a === b && fmt === 1) emit("fmv_d", d, a);
      else emit(SGNJ[f3][fmt], p);
      return true;
    case 0x05: // fmin, fmax
      if (f3 > 1) return false;
      emit(f3 ? (fmt ? "fmax_d" : "fmax_s") : (fmt ? "fmin_d" : "fmin_s"), p);
      return true;
    case 0x08: // fcvt.s.d (fmt S, rs2 1), fcvt.d.s (fmt D, rs2 0)
      if (b !== 1 - fmt || !roundingOk) return false;
      emit(fmt ? "fcvt_d_s" : "fcvt_s_d", p, pc);
      return true;
    // The oplets that produce an integer leave it in T0, and those that
    // take one find it there: no FP oplet or helper touches x[].
    case 0x14: // fle, flt, feq
      if (f3 > 2) return false;
      emit(CMP[f3][fmt], p);
      if (d !== 0) emit("mov_r_T0", d);
      return true;
    case 0x18: // fcvt.w(u).fmt
      if (b > 1 || !roundingOk) return false;
      emit(CVT_TO_INT[b][fmt], p, pc);
      if (d !== 0) emit("mov_r_T0", d);
      return true;
    case 0x1a: // fcvt.fmt.w(u)
      if (b > 1 || !roundingOk) return false;
      emit("mov_T0_r", a);
      emit(CVT_FROM_INT[b][fmt], p, pc);
      return true;
    case 0x1c: // fmv.x.w (S, funct3 0), fclass (funct3 1)
      if (b !== 0) return false;
      if (f3 === 1) {
        emit(fmt ? "fclass_d" : "fclass_s", p);
        if (d !== 0) emit("mov_r_T0", d);
        return true;
      }
      if (f3 !== 0 || fmt !== 0) return false; // fmv.x.d is RV64 only
      if (d !== 0) emit("fmv_x_w", d, a);
      return true;
    case 0x1e: // fmv.w.x
      if (b !== 0 || f3 !== 0 || fmt !== 0) return false;
      emit("fmv_w_x", d, a);
      return true;
    default:
      return false;
  }
}
