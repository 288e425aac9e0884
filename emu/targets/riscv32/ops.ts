// Every oplet keeps the parameter names (s, c, i), used or not: the switch
// dispatcher and the generator paste bodies that rely on them.
// deno-lint-ignore-file no-unused-vars
/**
 * The RV32IMAFDC oplets: the micro-operations that translated blocks are made of,
 * in the style of dyngen's `op.c`. This file is the single source of truth for
 * what each oplet does: the emulator runs these functions, the profile header
 * carries the table at the end of the file, and `@oplet/gen` reads this source
 * to paste bodies together into fused oplets.
 *
 * Conventions that the generator relies on (keep them when adding oplets):
 * - every oplet is `export function op_NAME(s: RiscvCpu, c: Int32Array, i: number): number`;
 * - its parameters are read as `c[i + 1]`, `c[i + 2]`, ... only;
 * - temporaries are `s.t0`, `s.t1`, `s.t2`; guest registers are `s.x[...]`;
 * - a non-exit oplet ends with its only `return`: `return i + 1 + params;`
 *   it reports faults by throwing (through `loadSlow`/`storeSlow`), never by returning;
 * - an exit oplet (the seed's `EXIT_TB()`) returns an `EXIT_*` code;
 * - bodies use only what this file imports.
 *
 * @module
 */

import {
  EXIT_CSR,
  EXIT_EBREAK,
  EXIT_FENCE_I,
  EXIT_GOTO0,
  EXIT_GOTO1,
  EXIT_ILLEGAL,
  EXIT_LOOKUP,
  EXIT_SYSCALL,
  EXIT_YIELD,
} from "../../oplet.ts";
import { defineOplet, type OpletDef } from "../../oplet.ts";
import { mulHigh, mulHighSU, mulHighU } from "../../mul_high.ts";
import {
  atomicFault,
  loadSlow,
  MEM_LOW,
  type RiscvCpu,
  storeSlow,
} from "./cpu.ts";
import {
  fAddD,
  fAddS,
  fClassD,
  fClassS,
  fCmpD,
  fCmpS,
  fCsr,
  fCvtDS,
  fCvtDW,
  fCvtSD,
  fCvtSW,
  fCvtWD,
  fCvtWS,
  fDivD,
  fDivS,
  fFmaD,
  fFmaS,
  fMinMaxD,
  fMinMaxS,
  fMulD,
  fMulS,
  fSqrtD,
  fSqrtS,
  fSubD,
  fSubS,
} from "./fpu.ts";

/** Records that the block with id PARAM1 runs (only in profiling runs); yields when the profile buffer is full. */
export function op_profile(s: RiscvCpu, c: Int32Array, i: number): number {
  const n = s.profLen;
  if (n >= s.prof.length) return EXIT_YIELD;
  s.prof[n] = c[i + 1];
  s.profLen = n + 1;
  return i + 2;
}

/** T0 = register PARAM1. */
export function op_mov_T0_r(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.x[c[i + 1]];
  return i + 2;
}

/** T1 = register PARAM1. */
export function op_mov_T1_r(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t1 = s.x[c[i + 1]];
  return i + 2;
}

/** Register PARAM1 = T0 (never x0). */
export function op_mov_r_T0(s: RiscvCpu, c: Int32Array, i: number): number {
  s.x[c[i + 1]] = s.t0;
  return i + 2;
}

/** Register PARAM1 = T1 (never x0). */
export function op_mov_r_T1(s: RiscvCpu, c: Int32Array, i: number): number {
  s.x[c[i + 1]] = s.t1;
  return i + 2;
}

/** T0 = PARAM1. */
export function op_movi_T0(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = c[i + 1];
  return i + 2;
}

/** T1 = PARAM1. */
export function op_movi_T1(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t1 = c[i + 1];
  return i + 2;
}

/** Register PARAM1 = PARAM2 (li, lui, auipc). */
export function op_movi_r(s: RiscvCpu, c: Int32Array, i: number): number {
  s.x[c[i + 1]] = c[i + 2];
  return i + 3;
}

/** Register PARAM1 = register PARAM2 (mv). */
export function op_mov_r_r(s: RiscvCpu, c: Int32Array, i: number): number {
  s.x[c[i + 1]] = s.x[c[i + 2]];
  return i + 3;
}

/** T0 = T0 + T1. */
export function op_add(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = (s.t0 + s.t1) | 0;
  return i + 1;
}

/** T0 = T0 - T1. */
export function op_sub(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = (s.t0 - s.t1) | 0;
  return i + 1;
}

/** T0 = T0 << (T1 & 31). */
export function op_sll(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 << s.t1;
  return i + 1;
}

/** T0 = T0 < T1 (signed). */
export function op_slt(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 < s.t1 ? 1 : 0;
  return i + 1;
}

/** T0 = T0 < T1 (unsigned). */
export function op_sltu(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 >>> 0 < s.t1 >>> 0 ? 1 : 0;
  return i + 1;
}

/** T0 = T0 ^ T1. */
export function op_xor(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 ^ s.t1;
  return i + 1;
}

/** T0 = T0 >>> (T1 & 31). */
export function op_srl(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = (s.t0 >>> s.t1) | 0;
  return i + 1;
}

/** T0 = T0 >> (T1 & 31). */
export function op_sra(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 >> s.t1;
  return i + 1;
}

/** T0 = T0 | T1. */
export function op_or(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 | s.t1;
  return i + 1;
}

/** T0 = T0 & T1. */
export function op_and(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 & s.t1;
  return i + 1;
}

/** T0 = low 32 bits of T0 * T1. */
export function op_mul(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = Math.imul(s.t0, s.t1);
  return i + 1;
}

/** T0 = high 32 bits of T0 * T1, both signed. */
export function op_mulh(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = mulHigh(s.t0, s.t1);
  return i + 1;
}

/** T0 = high 32 bits of T0 (signed) * T1 (unsigned). */
export function op_mulhsu(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = mulHighSU(s.t0, s.t1);
  return i + 1;
}

/** T0 = high 32 bits of T0 * T1, both unsigned. */
export function op_mulhu(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = mulHighU(s.t0, s.t1);
  return i + 1;
}

/** T0 = T0 / T1 (signed; -1 on division by zero, T0 on overflow). */
export function op_div(s: RiscvCpu, c: Int32Array, i: number): number {
  const d = s.t1;
  s.t0 = d === 0 ? -1 : d === -1 ? -s.t0 | 0 : (s.t0 / d) | 0;
  return i + 1;
}

/** T0 = T0 / T1 (unsigned; all ones on division by zero). */
export function op_divu(s: RiscvCpu, c: Int32Array, i: number): number {
  const d = s.t1 >>> 0;
  s.t0 = d === 0 ? -1 : ((s.t0 >>> 0) / d) | 0;
  return i + 1;
}

/** T0 = T0 % T1 (signed; T0 on division by zero, 0 on overflow). */
export function op_rem(s: RiscvCpu, c: Int32Array, i: number): number {
  const d = s.t1;
  s.t0 = d === 0 ? s.t0 : d === -1 ? 0 : s.t0 % d;
  return i + 1;
}

/** T0 = T0 % T1 (unsigned; T0 on division by zero). */
export function op_remu(s: RiscvCpu, c: Int32Array, i: number): number {
  const d = s.t1 >>> 0;
  s.t0 = d === 0 ? s.t0 : ((s.t0 >>> 0) % d) | 0;
  return i + 1;
}

/** T0 = T0 + PARAM1. */
export function op_addi(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = (s.t0 + c[i + 1]) | 0;
  return i + 2;
}

/** T0 = T0 < PARAM1 (signed). */
export function op_slti(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 < c[i + 1] ? 1 : 0;
  return i + 2;
}

/** T0 = T0 < PARAM1 (unsigned). */
export function op_sltiu(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 >>> 0 < c[i + 1] >>> 0 ? 1 : 0;
  return i + 2;
}

/** T0 = T0 ^ PARAM1. */
export function op_xori(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 ^ c[i + 1];
  return i + 2;
}

/** T0 = T0 | PARAM1. */
export function op_ori(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 | c[i + 1];
  return i + 2;
}

/** T0 = T0 & PARAM1. */
export function op_andi(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 & c[i + 1];
  return i + 2;
}

/** T0 = T0 << PARAM1. */
export function op_slli(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 << c[i + 1];
  return i + 2;
}

/** T0 = T0 >>> PARAM1. */
export function op_srli(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = (s.t0 >>> c[i + 1]) | 0;
  return i + 2;
}

/** T0 = T0 >> PARAM1. */
export function op_srai(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = s.t0 >> c[i + 1];
  return i + 2;
}

/** T0 = a signed byte at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_ld8s(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  s.t0 = ((a - MEM_LOW) >>> 0) < s.span
    ? s.m8[a]
    : loadSlow(s, a, 1, true, c[i + 2]);
  return i + 3;
}

/** T0 = an unsigned byte at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_ld8u(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  s.t0 = ((a - MEM_LOW) >>> 0) < s.span
    ? s.mu8[a]
    : loadSlow(s, a, 1, false, c[i + 2]);
  return i + 3;
}

/** T0 = a signed halfword at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_ld16s(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  s.t0 = (a & 1) === 0 && ((a - MEM_LOW) >>> 0) < s.span
    ? s.m16[a >>> 1]
    : loadSlow(s, a, 2, true, c[i + 2]);
  return i + 3;
}

/** T0 = an unsigned halfword at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_ld16u(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  s.t0 = (a & 1) === 0 && ((a - MEM_LOW) >>> 0) < s.span
    ? s.mu16[a >>> 1]
    : loadSlow(s, a, 2, false, c[i + 2]);
  return i + 3;
}

/** T0 = a word at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_ld32(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  s.t0 = (a & 3) === 0 && ((a - MEM_LOW) >>> 0) < s.span
    ? s.m32[a >>> 2]
    : loadSlow(s, a, 4, true, c[i + 2]);
  return i + 3;
}

/** Stores the low byte of T1 at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_st8(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  if (((a - s.wlow) >>> 0) < s.wspan) s.mu8[a] = s.t1;
  else storeSlow(s, a, 1, s.t1, c[i + 2]);
  return i + 3;
}

/** Stores the low halfword of T1 at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_st16(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  if ((a & 1) === 0 && ((a - s.wlow) >>> 0) < s.wspan) s.mu16[a >>> 1] = s.t1;
  else storeSlow(s, a, 2, s.t1, c[i + 2]);
  return i + 3;
}

/** Stores T1 at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_st32(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  if ((a & 3) === 0 && ((a - s.wlow) >>> 0) < s.wspan) s.m32[a >>> 2] = s.t1;
  else storeSlow(s, a, 4, s.t1, c[i + 2]);
  return i + 3;
}

/**
 * lr.w: T0 = the word at T0, reserved for a later sc.w; PARAM1 is the guest
 * pc, for faults (misaligned: SIGBUS).
 */
export function op_lr_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - MEM_LOW) >>> 0) >= s.span) {
    atomicFault(a, false, c[i + 1]);
  }
  const v = s.m32[a >>> 2];
  s.resAddr = a;
  s.resVal = v;
  s.t0 = v;
  return i + 2;
}

/**
 * sc.w: stores T1 at T0 and sets T0 = 0 if T0 is the reserved address and
 * the word there still holds what lr.w loaded, else T0 = 1 (without
 * touching memory); clears the reservation. PARAM1 is the guest pc, for
 * faults.
 */
export function op_sc_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if (a === s.resAddr) {
    if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
      atomicFault(a, true, c[i + 1]);
    }
    if (s.m32[a >>> 2] === s.resVal) {
      s.m32[a >>> 2] = s.t1;
      s.t0 = 0;
    } else {
      s.t0 = 1;
    }
  } else {
    s.t0 = 1;
  }
  s.resAddr = -1;
  return i + 2;
}

/**
 * amoadd.w: the word at T0 becomes the word + T1, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amoadd_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = (old + s.t1) | 0;
  s.t0 = old;
  return i + 2;
}

/**
 * amoswap.w: the word at T0 becomes T1, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amoswap_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = s.t1;
  s.t0 = old;
  return i + 2;
}

/**
 * amoxor.w: the word at T0 becomes the word ^ T1, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amoxor_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = old ^ s.t1;
  s.t0 = old;
  return i + 2;
}

/**
 * amoor.w: the word at T0 becomes the word | T1, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amoor_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = old | s.t1;
  s.t0 = old;
  return i + 2;
}

/**
 * amoand.w: the word at T0 becomes the word & T1, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amoand_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = old & s.t1;
  s.t0 = old;
  return i + 2;
}

/**
 * amomin.w: the word at T0 becomes the signed minimum, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amomin_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = old < s.t1 ? old : s.t1;
  s.t0 = old;
  return i + 2;
}

/**
 * amomax.w: the word at T0 becomes the signed maximum, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amomax_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = old > s.t1 ? old : s.t1;
  s.t0 = old;
  return i + 2;
}

/**
 * amominu.w: the word at T0 becomes the unsigned minimum, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amominu_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = old >>> 0 < s.t1 >>> 0 ? old : s.t1;
  s.t0 = old;
  return i + 2;
}

/**
 * amomaxu.w: the word at T0 becomes the unsigned maximum, and T0 the
 * word it held; PARAM1 is the guest pc, for faults (misaligned: SIGBUS).
 */
export function op_amomaxu_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = s.t0;
  if ((a & 3) !== 0 || ((a - s.wlow) >>> 0) >= s.wspan) {
    atomicFault(a, true, c[i + 1]);
  }
  const old = s.m32[a >>> 2];
  s.m32[a >>> 2] = old >>> 0 > s.t1 >>> 0 ? old : s.t1;
  s.t0 = old;
  return i + 2;
}

/** Float register PARAM3 = the NaN-boxed single at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_flw(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  const r = 2 * c[i + 3];
  s.fw[r] = (a & 3) === 0 && ((a - MEM_LOW) >>> 0) < s.span
    ? s.m32[a >>> 2]
    : loadSlow(s, a, 4, true, c[i + 2]);
  s.fw[r + 1] = -1;
  return i + 4;
}

/** Float register PARAM3 = the double at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_fld(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  // One 64-bit move, not two words: two 32-bit stores read back as one
  // double (the next FP oplet) stall store-to-load forwarding. Typed-array
  // moves keep a NaN's bits.
  if ((a & 7) === 0 && ((a - MEM_LOW) >>> 0) < s.span) {
    s.f[c[i + 3]] = s.mf64[a >>> 3];
  } else {
    const r = 2 * c[i + 3];
    const lo = loadSlow(s, a, 4, true, c[i + 2]) | 0;
    s.fw[r + 1] = loadSlow(s, (a + 4) | 0, 4, true, c[i + 2]);
    s.fw[r] = lo;
  }
  return i + 4;
}

/** Stores the low word of float register PARAM3 at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_fsw(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  const v = s.fw[2 * c[i + 3]];
  if ((a & 3) === 0 && ((a - s.wlow) >>> 0) < s.wspan) s.m32[a >>> 2] = v;
  else storeSlow(s, a, 4, v, c[i + 2]);
  return i + 4;
}

/** Stores float register PARAM3 (64 bits) at T0 + PARAM1; PARAM2 is the guest pc, for faults. */
export function op_fsd(s: RiscvCpu, c: Int32Array, i: number): number {
  const a = (s.t0 + c[i + 1]) | 0;
  if ((a & 7) === 0 && ((a - s.wlow) >>> 0) < s.wspan) {
    s.mf64[a >>> 3] = s.f[c[i + 3]];
  } else {
    const r = 2 * c[i + 3];
    // the high half first: a store running into an unmapped page writes nothing
    storeSlow(s, (a + 4) | 0, 4, s.fw[r + 1], c[i + 2]);
    storeSlow(s, a, 4, s.fw[r], c[i + 2]);
  }
  return i + 4;
}

/** `fadd.s`: f[rd] = f[rs1] + f[rs2]; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fadd_s(s: RiscvCpu, c: Int32Array, i: number): number {
  // Inline fast path as for doubles; both operands NaN-boxed. Rounding the
  // double result to single is exact RNE (double rounding is harmless here).
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const r = Math.fround(s.fs[a] + s.fs[b]);
  if (
    (s.fcs[0] & 1) !== 0 && (s.fw[a + 1] & s.fw[b + 1]) === -1 &&
    Math.abs(r) <= 3.4028234663852886e38 &&
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 0
  ) {
    const d = 2 * (p & 31);
    s.fs[d] = r;
    s.fw[d + 1] = -1;
  } else fAddS(s, p, c[i + 2]);
  return i + 3;
}

/** `fsub.s`: f[rd] = f[rs1] - f[rs2]; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fsub_s(s: RiscvCpu, c: Int32Array, i: number): number {
  // Inline fast path as for doubles; both operands NaN-boxed. Rounding the
  // double result to single is exact RNE (double rounding is harmless here).
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const r = Math.fround(s.fs[a] - s.fs[b]);
  if (
    (s.fcs[0] & 1) !== 0 && (s.fw[a + 1] & s.fw[b + 1]) === -1 &&
    Math.abs(r) <= 3.4028234663852886e38 &&
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 0
  ) {
    const d = 2 * (p & 31);
    s.fs[d] = r;
    s.fw[d + 1] = -1;
  } else fSubS(s, p, c[i + 2]);
  return i + 3;
}

/** `fmul.s`: f[rd] = f[rs1] * f[rs2]; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fmul_s(s: RiscvCpu, c: Int32Array, i: number): number {
  // Inline fast path as for doubles; both operands NaN-boxed. Rounding the
  // double result to single is exact RNE (double rounding is harmless here).
  // The product of two singles is exact in a double: it is zero only for a
  // zero factor, and then exact in any rounding mode.
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const pr = s.fs[a] * s.fs[b];
  const r = Math.fround(pr);
  const m = p >>> 20;
  const rm = m === 7 ? s.fcs[1] : m;
  if (
    (s.fw[a + 1] & s.fw[b + 1]) === -1 &&
    (((s.fcs[0] & 1) !== 0 && rm === 0 &&
      1.1754943508222875e-38 < Math.abs(r) &&
      Math.abs(r) <= 3.4028234663852886e38) || (pr === 0 && rm < 5))
  ) {
    const d = 2 * (p & 31);
    s.fs[d] = r;
    s.fw[d + 1] = -1;
  } else fMulS(s, p, c[i + 2]);
  return i + 3;
}

/** `fdiv.s`: f[rd] = f[rs1] / f[rs2]; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fdiv_s(s: RiscvCpu, c: Int32Array, i: number): number {
  // Inline fast path as for doubles; both operands NaN-boxed. Rounding the
  // double result to single is exact RNE (double rounding is harmless here).
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const r = Math.fround(s.fs[a] / s.fs[b]);
  if (
    (s.fcs[0] & 1) !== 0 && (s.fw[a + 1] & s.fw[b + 1]) === -1 &&
    1.1754943508222875e-38 < Math.abs(r) &&
    Math.abs(r) <= 3.4028234663852886e38 &&
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 0
  ) {
    const d = 2 * (p & 31);
    s.fs[d] = r;
    s.fw[d + 1] = -1;
  } else fDivS(s, p, c[i + 2]);
  return i + 3;
}

/**
 * `fsqrt.s`; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the
 * guest pc. Inline in round to nearest once NX is set, for a NaN-boxed
 * positive finite operand: the double square root rounded to single is
 * correctly rounded (53 >= 2 * 24 + 2), and cannot over- or underflow.
 */
export function op_fsqrt_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const ra = 2 * ((p >>> 5) & 31);
  const a = s.fs[ra];
  if (
    (s.fcs[0] & 1) !== 0 && s.fw[ra + 1] === -1 && 0 < a &&
    a <= 3.4028234663852886e38 &&
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 0
  ) {
    const d = 2 * (p & 31);
    s.fs[d] = Math.fround(Math.sqrt(a));
    s.fw[d + 1] = -1;
  } else fSqrtS(s, p, c[i + 2]);
  return i + 3;
}

/**
 * `fmin.s`; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when
 * neither operand is a NaN (and both are NaN-boxed) and they are not two zeros (no flags).
 */
export function op_fmin_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const ra = 2 * ((p >>> 5) & 31);
  const rb = 2 * ((p >>> 10) & 31);
  const a = s.fs[ra];
  const b = s.fs[rb];
  if (
    (s.fw[ra + 1] & s.fw[rb + 1]) === -1 && a === a && b === b &&
    (a !== b || a !== 0)
  ) {
    const d = 2 * (p & 31);
    s.fs[d] = a < b ? a : b;
    s.fw[d + 1] = -1;
  } else fMinMaxS(s, p, 0);
  return i + 2;
}

/**
 * `fmax.s`; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when
 * neither operand is a NaN (and both are NaN-boxed) and they are not two zeros (no flags).
 */
export function op_fmax_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const ra = 2 * ((p >>> 5) & 31);
  const rb = 2 * ((p >>> 10) & 31);
  const a = s.fs[ra];
  const b = s.fs[rb];
  if (
    (s.fw[ra + 1] & s.fw[rb + 1]) === -1 && a === a && b === b &&
    (a !== b || a !== 0)
  ) {
    const d = 2 * (p & 31);
    s.fs[d] = a > b ? a : b;
    s.fw[d + 1] = -1;
  } else fMinMaxS(s, p, 1);
  return i + 2;
}

/**
 * The single fused multiply-adds, one oplet for the four: `fmadd.s`
 * (a * b + c), `fmsub.s` (a * b - c), `fnmsub.s` (-(a * b) + c) and
 * `fnmadd.s` (-(a * b) - c), each rounded once. PARAM1 packs rd, rs1, rs2,
 * rs3 and rm (fpPack) and, above rm, the negations: bit 23 negates the
 * addend, bit 24 the product (`FMA_NEG_ADDEND`, `FMA_NEG_PRODUCT` in fpu.ts);
 * PARAM2 is the guest pc.
 *
 * Inline, exactly as softfloat: with NaN-boxed operands, the product of two
 * singles is exact in a double. In round to nearest once NX is set, and for
 * a result far from over- and underflow, the double sum (rounded once)
 * rounded to single is the fma unless the sum landed exactly on a midpoint
 * between two singles while the exact sum was not there (then the helper).
 * A zero product (a zero factor) gives exactly 0 + c in any rounding mode,
 * with no flags, unless c is zero too (then its sign depends on the mode:
 * inline in all but round down).
 */
export function op_fma_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const ra = 2 * ((p >>> 5) & 31);
  const rb = 2 * ((p >>> 10) & 31);
  const rc = 2 * ((p >>> 15) & 31);
  const pr = (1 - ((p >>> 23) & 2)) * s.fs[ra] * s.fs[rb];
  const d = (1 - 2 * ((p >>> 23) & 1)) * s.fs[rc];
  const sm = pr + d;
  const bv = sm - pr;
  const r = Math.fround(sm);
  const ar = Math.abs(r);
  const m = (p >>> 20) & 7;
  const rm = m === 7 ? s.fcs[1] : m;
  let done = false;
  if ((s.fw[ra + 1] & s.fw[rb + 1] & s.fw[rc + 1]) === -1) {
    if (
      (s.fcs[0] & 1) !== 0 && rm === 0 && 1.1754943508222875e-38 < ar &&
      ar <= 3.4028234663852886e38
    ) {
      // sm - r is exact; 2 * (sm - r) reaches the next single exactly when
      // sm is a midpoint (the inexact sum must then be rounded by the helper)
      const df = sm - r;
      if (
        (pr - (sm - bv)) + (d - bv) === 0 || df === 0 ||
        Math.fround(r + 2 * df) - r !== 2 * df
      ) {
        const e = 2 * (p & 31);
        s.fs[e] = r;
        s.fw[e + 1] = -1;
        done = true;
      }
    } else if (pr === 0 && d === d && rm < 5 && (d !== 0 || rm !== 2)) {
      const z = 2 * (p & 31);
      s.fs[z] = pr + d;
      s.fw[z + 1] = -1;
      done = true;
    }
  }
  if (!done) fFmaS(s, p, c[i + 2]);
  return i + 3;
}

/**
 * `feq.s`: T0 = the comparison (the translator moves it into x[rd]);
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when both are NaN-boxed and neither is a NaN
 * (no flags then).
 */
export function op_feq_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const ra = 2 * ((p >>> 5) & 31);
  const rb = 2 * ((p >>> 10) & 31);
  const a = s.fs[ra];
  const b = s.fs[rb];
  if ((s.fw[ra + 1] & s.fw[rb + 1]) === -1 && a === a && b === b) {
    s.t0 = a === b ? 1 : 0;
  } else s.t0 = fCmpS(s, p, 2);
  return i + 2;
}

/**
 * `flt.s`: T0 = the comparison (the translator moves it into x[rd]);
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when both are NaN-boxed and neither is a NaN
 * (no flags then).
 */
export function op_flt_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const ra = 2 * ((p >>> 5) & 31);
  const rb = 2 * ((p >>> 10) & 31);
  const a = s.fs[ra];
  const b = s.fs[rb];
  if ((s.fw[ra + 1] & s.fw[rb + 1]) === -1 && a === a && b === b) {
    s.t0 = a < b ? 1 : 0;
  } else s.t0 = fCmpS(s, p, 1);
  return i + 2;
}

/**
 * `fle.s`: T0 = the comparison (the translator moves it into x[rd]);
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when both are NaN-boxed and neither is a NaN
 * (no flags then).
 */
export function op_fle_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const ra = 2 * ((p >>> 5) & 31);
  const rb = 2 * ((p >>> 10) & 31);
  const a = s.fs[ra];
  const b = s.fs[rb];
  if ((s.fw[ra + 1] & s.fw[rb + 1]) === -1 && a === a && b === b) {
    s.t0 = a <= b ? 1 : 0;
  } else s.t0 = fCmpS(s, p, 0);
  return i + 2;
}

/** `fclass.s`: T0 = the class mask (the translator moves it into x[rd]); PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). */
export function op_fclass_s(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = fClassS(s, c[i + 1]);
  return i + 2;
}

/**
 * `fcvt.w.s`: T0 = f[rs1] as a signed integer (the translator moves it into
 * x[rd]); PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest
 * pc. Inline when rounding towards zero a value in range that is integral
 * or once NX is set (the only flag it could raise).
 */
export function op_fcvt_w_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const r = 2 * ((p >>> 5) & 31);
  const a = s.fs[r];
  const t = Math.trunc(a);
  if (
    s.fw[r + 1] === -1 && ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 1 &&
    -2147483648 <= t && t <= 2147483647 &&
    ((s.fcs[0] & 1) !== 0 || t === a)
  ) {
    s.t0 = t | 0;
  } else s.t0 = fCvtWS(s, p, c[i + 2], 0);
  return i + 3;
}

/**
 * `fcvt.wu.s`: T0 = f[rs1] as an unsigned integer (the translator moves it into
 * x[rd]); PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest
 * pc. Inline when rounding towards zero a value in range that is integral
 * or once NX is set (the only flag it could raise).
 */
export function op_fcvt_wu_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const r = 2 * ((p >>> 5) & 31);
  const a = s.fs[r];
  const t = Math.trunc(a);
  if (
    s.fw[r + 1] === -1 && ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 1 &&
    0 <= t && t <= 4294967295 &&
    ((s.fcs[0] & 1) !== 0 || t === a)
  ) {
    s.t0 = t | 0;
  } else s.t0 = fCvtWS(s, p, c[i + 2], 1);
  return i + 3;
}

/**
 * `fcvt.s.w`: f[rd] = T0 (signed; the translator loads x[rs1] into it);
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc.
 * Inline when the single is exact.
 */
export function op_fcvt_s_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const v = s.t0;
  const r = Math.fround(v);
  if (r === v && ((p >>> 20) !== 7 || s.fcs[1] <= 4)) {
    const d = 2 * (p & 31);
    s.fs[d] = r;
    s.fw[d + 1] = -1;
  } else fCvtSW(s, p, c[i + 2], 0, s.t0);
  return i + 3;
}

/**
 * `fcvt.s.wu`: f[rd] = T0 (unsigned; the translator loads x[rs1] into it);
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc.
 * Inline when the single is exact.
 */
export function op_fcvt_s_wu(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const v = s.t0 >>> 0;
  const r = Math.fround(v);
  if (r === v && ((p >>> 20) !== 7 || s.fcs[1] <= 4)) {
    const d = 2 * (p & 31);
    s.fs[d] = r;
    s.fw[d + 1] = -1;
  } else fCvtSW(s, p, c[i + 2], 1, s.t0);
  return i + 3;
}

/** `fsgnj.s`: sign injection on the bits; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). */
export function op_fsgnj_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const d = 2 * (p & 31);
  // An operand that is not NaN-boxed reads as the canonical NaN.
  const x = s.fw[a + 1] === -1 ? s.fw[a] : 0x7fc00000;
  const y = s.fw[b + 1] === -1 ? s.fw[b] : 0x7fc00000;
  const sign = y;
  s.fw[d] = (x & 0x7fffffff) | (sign & 0x80000000);
  s.fw[d + 1] = -1;
  return i + 2;
}

/** `fsgnjn.s`: sign injection on the bits; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). */
export function op_fsgnjn_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const d = 2 * (p & 31);
  // An operand that is not NaN-boxed reads as the canonical NaN.
  const x = s.fw[a + 1] === -1 ? s.fw[a] : 0x7fc00000;
  const y = s.fw[b + 1] === -1 ? s.fw[b] : 0x7fc00000;
  const sign = ~y;
  s.fw[d] = (x & 0x7fffffff) | (sign & 0x80000000);
  s.fw[d + 1] = -1;
  return i + 2;
}

/** `fsgnjx.s`: sign injection on the bits; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). */
export function op_fsgnjx_s(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const d = 2 * (p & 31);
  // An operand that is not NaN-boxed reads as the canonical NaN.
  const x = s.fw[a + 1] === -1 ? s.fw[a] : 0x7fc00000;
  const y = s.fw[b + 1] === -1 ? s.fw[b] : 0x7fc00000;
  const sign = x ^ y;
  s.fw[d] = (x & 0x7fffffff) | (sign & 0x80000000);
  s.fw[d + 1] = -1;
  return i + 2;
}

/** `fadd.d`: f[rd] = f[rs1] + f[rs2]; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fadd_d(s: RiscvCpu, c: Int32Array, i: number): number {
  // Inline fast path: round to nearest even once NX is set, and a result
  // that cannot have over- or underflowed: exactly softfloat's answer.
  const p = c[i + 1];
  const r = s.f[(p >>> 5) & 31] + s.f[(p >>> 10) & 31];
  if (
    (s.fcs[0] & 1) !== 0 && Math.abs(r) <= 1.7976931348623157e308 &&
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 0
  ) {
    s.f[p & 31] = r;
  } else fAddD(s, p, c[i + 2]);
  return i + 3;
}

/** `fsub.d`: f[rd] = f[rs1] - f[rs2]; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fsub_d(s: RiscvCpu, c: Int32Array, i: number): number {
  // Inline fast path: round to nearest even once NX is set, and a result
  // that cannot have over- or underflowed: exactly softfloat's answer.
  const p = c[i + 1];
  const r = s.f[(p >>> 5) & 31] - s.f[(p >>> 10) & 31];
  if (
    (s.fcs[0] & 1) !== 0 && Math.abs(r) <= 1.7976931348623157e308 &&
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 0
  ) {
    s.f[p & 31] = r;
  } else fSubD(s, p, c[i + 2]);
  return i + 3;
}

/** `fmul.d`: f[rd] = f[rs1] * f[rs2]; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fmul_d(s: RiscvCpu, c: Int32Array, i: number): number {
  // Inline fast path: round to nearest even once NX is set, and a result
  // that cannot have over- or underflowed: exactly softfloat's answer.
  // A zero factor gives an exact zero (or a NaN) in any rounding mode.
  const p = c[i + 1];
  const x = s.f[(p >>> 5) & 31];
  const y = s.f[(p >>> 10) & 31];
  const r = x * y;
  const m = p >>> 20;
  const rm = m === 7 ? s.fcs[1] : m;
  if (
    ((s.fcs[0] & 1) !== 0 && rm === 0 &&
      2.2250738585072014e-308 < Math.abs(r) &&
      Math.abs(r) <= 1.7976931348623157e308) ||
    (r === 0 && (x === 0 || y === 0) && rm < 5)
  ) {
    s.f[p & 31] = r;
  } else fMulD(s, p, c[i + 2]);
  return i + 3;
}

/** `fdiv.d`: f[rd] = f[rs1] / f[rs2]; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fdiv_d(s: RiscvCpu, c: Int32Array, i: number): number {
  // Inline fast path: round to nearest even once NX is set, and a result
  // that cannot have over- or underflowed: exactly softfloat's answer.
  const p = c[i + 1];
  const r = s.f[(p >>> 5) & 31] / s.f[(p >>> 10) & 31];
  if (
    (s.fcs[0] & 1) !== 0 && 2.2250738585072014e-308 < Math.abs(r) &&
    Math.abs(r) <= 1.7976931348623157e308 &&
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 0
  ) {
    s.f[p & 31] = r;
  } else fDivD(s, p, c[i + 2]);
  return i + 3;
}

/**
 * `fsqrt.d`; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the
 * guest pc. Inline in round to nearest once NX is set, for a positive
 * finite operand: the host's square root is correctly rounded, and cannot
 * over- or underflow.
 */
export function op_fsqrt_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = s.f[(p >>> 5) & 31];
  if (
    (s.fcs[0] & 1) !== 0 && 0 < a && a <= 1.7976931348623157e308 &&
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 0
  ) {
    s.f[p & 31] = Math.sqrt(a);
  } else fSqrtD(s, p, c[i + 2]);
  return i + 3;
}

/**
 * `fmin.d`; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when
 * neither operand is a NaN and they are not two zeros (no flags).
 */
export function op_fmin_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = s.f[(p >>> 5) & 31];
  const b = s.f[(p >>> 10) & 31];
  if (a === a && b === b && (a !== b || a !== 0)) s.f[p & 31] = a < b ? a : b;
  else fMinMaxD(s, p, 0);
  return i + 2;
}

/**
 * `fmax.d`; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when
 * neither operand is a NaN and they are not two zeros (no flags).
 */
export function op_fmax_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = s.f[(p >>> 5) & 31];
  const b = s.f[(p >>> 10) & 31];
  if (a === a && b === b && (a !== b || a !== 0)) s.f[p & 31] = a > b ? a : b;
  else fMinMaxD(s, p, 1);
  return i + 2;
}

/**
 * The double fused multiply-adds, one oplet for the four: `fmadd.d`
 * (a * b + c), `fmsub.d` (a * b - c), `fnmsub.d` (-(a * b) + c) and
 * `fnmadd.d` (-(a * b) - c), each rounded once. PARAM1 packs rd, rs1, rs2,
 * rs3 and rm (fpPack) and, above rm, the negations: bit 23 negates the
 * addend, bit 24 the product (`FMA_NEG_ADDEND`, `FMA_NEG_PRODUCT` in fpu.ts);
 * PARAM2 is the guest pc.
 *
 * Inline, exactly as softfloat: in round to nearest once NX is set, with
 * operands and result far from over- and underflow, a * b = ph + pl exactly
 * (Dekker), c + ph = uh + ul exactly (TwoSum) and ul + pl = t + e exactly
 * (TwoSum), so the fma is uh + t + e rounded once. When e = 0 that is
 * uh + t rounded. Otherwise uh + t = v + r2 and r2 + e = w + e2 (TwoSum),
 * w is far below v, and v + w = z + r3 exactly (Fast2Sum): z is the fma
 * unless v + w is a tie (|r3| half the spacing at z) that e2 breaks
 * (then the helper). r3 and the half-spacing are multiples of w's ulp, so
 * a smaller |r3| leaves room for |e2| <= ulp(w) / 2. A zero product (a
 * zero factor) gives exactly 0 + c in any rounding mode, with no flags,
 * unless c is zero too (then its sign depends on the mode: inline in all
 * but round down).
 */
export function op_fma_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = (1 - ((p >>> 23) & 2)) * s.f[(p >>> 5) & 31];
  const b = s.f[(p >>> 10) & 31];
  const d = (1 - 2 * ((p >>> 23) & 1)) * s.f[(p >>> 15) & 31];
  const ph = a * b;
  const aph = Math.abs(ph);
  const m = (p >>> 20) & 7;
  const rm = m === 7 ? s.fcs[1] : m;
  let done = false;
  if (
    (s.fcs[0] & 1) !== 0 && rm === 0 &&
    1.0261342003245941e-289 < aph && aph < 9.7453140114e+288 &&
    Math.abs(a) < 9.7453140114e+288 && Math.abs(b) < 9.7453140114e+288 &&
    Math.abs(d) < 9.7453140114e+288
  ) {
    const sa = 134217729 * a;
    const ah = sa - (sa - a);
    const al = a - ah;
    const sb = 134217729 * b;
    const bh = sb - (sb - b);
    const bl = b - bh;
    const pl = ((ah * bh - ph) + ah * bl + al * bh) + al * bl;
    const uh = d + ph;
    const bu = uh - d;
    const ul = (d - (uh - bu)) + (ph - bu);
    const t = ul + pl;
    const bt = t - ul;
    const e = (ul - (t - bt)) + (pl - bt);
    const v = uh + t;
    const av = Math.abs(v);
    if (e === 0) {
      // an exact zero sum is +0 in round to nearest
      if (
        (1.0261342003245941e-289 < av && av < 9.7453140114e+288) || v === 0
      ) {
        s.f[p & 31] = v;
        done = true;
      }
    } else {
      const bw = v - uh;
      const r2 = (uh - (v - bw)) + (t - bw);
      const w = r2 + e;
      const bx = w - r2;
      const e2 = (r2 - (w - bx)) + (e - bx);
      const z = v + w;
      const r3 = w - (z - v);
      const az = Math.abs(z);
      if (
        1.0261342003245941e-289 < az && az < 9.7453140114e+288 &&
        (e2 === 0 || r3 === 0 || (z + 2 * r3) - z !== 2 * r3)
      ) {
        s.f[p & 31] = z;
        done = true;
      }
    }
  } else if (
    ph === 0 && (a === 0 || b === 0) && d === d && rm < 5 &&
    (d !== 0 || rm !== 2)
  ) {
    s.f[p & 31] = ph + d;
    done = true;
  }
  if (!done) fFmaD(s, p, c[i + 2]);
  return i + 3;
}

/**
 * `feq.d`: T0 = the comparison (the translator moves it into x[rd]);
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when neither operand is a NaN
 * (no flags then).
 */
export function op_feq_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = s.f[(p >>> 5) & 31];
  const b = s.f[(p >>> 10) & 31];
  if (a === a && b === b) s.t0 = a === b ? 1 : 0;
  else s.t0 = fCmpD(s, p, 2);
  return i + 2;
}

/**
 * `flt.d`: T0 = the comparison (the translator moves it into x[rd]);
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when neither operand is a NaN
 * (no flags then).
 */
export function op_flt_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = s.f[(p >>> 5) & 31];
  const b = s.f[(p >>> 10) & 31];
  if (a === a && b === b) s.t0 = a < b ? 1 : 0;
  else s.t0 = fCmpD(s, p, 1);
  return i + 2;
}

/**
 * `fle.d`: T0 = the comparison (the translator moves it into x[rd]);
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). Inline when neither operand is a NaN
 * (no flags then).
 */
export function op_fle_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = s.f[(p >>> 5) & 31];
  const b = s.f[(p >>> 10) & 31];
  if (a === a && b === b) s.t0 = a <= b ? 1 : 0;
  else s.t0 = fCmpD(s, p, 0);
  return i + 2;
}

/** `fclass.d`: T0 = the class mask (the translator moves it into x[rd]); PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). */
export function op_fclass_d(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = fClassD(s, c[i + 1]);
  return i + 2;
}

/**
 * `fcvt.w.d`: T0 = f[rs1] as a signed integer (the translator moves it into
 * x[rd]); PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest
 * pc. Inline when rounding towards zero a value in range that is integral
 * or once NX is set (the only flag it could raise).
 */
export function op_fcvt_w_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = s.f[(p >>> 5) & 31];
  const t = Math.trunc(a);
  if (
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 1 && -2147483648 <= t &&
    t <= 2147483647 &&
    ((s.fcs[0] & 1) !== 0 || t === a)
  ) {
    s.t0 = t | 0;
  } else s.t0 = fCvtWD(s, p, c[i + 2], 0);
  return i + 3;
}

/**
 * `fcvt.wu.d`: T0 = f[rs1] as an unsigned integer (the translator moves it into
 * x[rd]); PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest
 * pc. Inline when rounding towards zero a value in range that is integral
 * or once NX is set (the only flag it could raise).
 */
export function op_fcvt_wu_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = s.f[(p >>> 5) & 31];
  const t = Math.trunc(a);
  if (
    ((p >>> 20) === 7 ? s.fcs[1] : p >>> 20) === 1 && 0 <= t &&
    t <= 4294967295 &&
    ((s.fcs[0] & 1) !== 0 || t === a)
  ) {
    s.t0 = t | 0;
  } else s.t0 = fCvtWD(s, p, c[i + 2], 1);
  return i + 3;
}

/**
 * `fcvt.d.w`: f[rd] = T0 (signed; the translator loads x[rs1] into it), exact;
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc
 * (a dynamic rounding mode must still be valid).
 */
export function op_fcvt_d_w(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  if ((p >>> 20) !== 7 || s.fcs[1] <= 4) s.f[p & 31] = s.t0;
  else fCvtDW(s, p, c[i + 2], 0, s.t0);
  return i + 3;
}

/**
 * `fcvt.d.wu`: f[rd] = T0 (unsigned; the translator loads x[rs1] into it), exact;
 * PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc
 * (a dynamic rounding mode must still be valid).
 */
export function op_fcvt_d_wu(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  if ((p >>> 20) !== 7 || s.fcs[1] <= 4) s.f[p & 31] = s.t0 >>> 0;
  else fCvtDW(s, p, c[i + 2], 1, s.t0);
  return i + 3;
}

/** `fsgnj.d`: sign injection on the bits; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). */
export function op_fsgnj_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const d = 2 * (p & 31);
  const hi = s.fw[a + 1];
  const sign = s.fw[b + 1];
  s.fw[d] = s.fw[a];
  s.fw[d + 1] = (hi & 0x7fffffff) | (sign & 0x80000000);
  return i + 2;
}

/** `fsgnjn.d`: sign injection on the bits; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). */
export function op_fsgnjn_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const d = 2 * (p & 31);
  const hi = s.fw[a + 1];
  const sign = ~s.fw[b + 1];
  s.fw[d] = s.fw[a];
  s.fw[d + 1] = (hi & 0x7fffffff) | (sign & 0x80000000);
  return i + 2;
}

/** `fsgnjx.d`: sign injection on the bits; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack). */
export function op_fsgnjx_d(s: RiscvCpu, c: Int32Array, i: number): number {
  const p = c[i + 1];
  const a = 2 * ((p >>> 5) & 31);
  const b = 2 * ((p >>> 10) & 31);
  const d = 2 * (p & 31);
  const hi = s.fw[a + 1];
  const sign = hi ^ s.fw[b + 1];
  s.fw[d] = s.fw[a];
  s.fw[d + 1] = (hi & 0x7fffffff) | (sign & 0x80000000);
  return i + 2;
}

/** `fcvt.s.d`; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fcvt_s_d(s: RiscvCpu, c: Int32Array, i: number): number {
  fCvtSD(s, c[i + 1], c[i + 2]);
  return i + 3;
}

/** `fcvt.d.s`; PARAM1 packs rd, rs1, rs2, rs3 and rm (fpPack); PARAM2 is the guest pc. */
export function op_fcvt_d_s(s: RiscvCpu, c: Int32Array, i: number): number {
  fCvtDS(s, c[i + 1], c[i + 2]);
  return i + 3;
}

/** `fmv.d` (fsgnj.d with rs1 = rs2): float register PARAM1 = float register PARAM2, all 64 bits. */
export function op_fmv_d(s: RiscvCpu, c: Int32Array, i: number): number {
  // One 64-bit move (keeping a NaN's bits), not two words: see op_fld.
  s.f[c[i + 1]] = s.f[c[i + 2]];
  return i + 3;
}

/** `fmv.x.w`: register PARAM1 (never x0) = the low word of float register PARAM2. */
export function op_fmv_x_w(s: RiscvCpu, c: Int32Array, i: number): number {
  s.x[c[i + 1]] = s.fw[2 * c[i + 2]];
  return i + 3;
}

/** `fmv.w.x`: float register PARAM1 = register PARAM2, NaN-boxed. */
export function op_fmv_w_x(s: RiscvCpu, c: Int32Array, i: number): number {
  const d = 2 * c[i + 1];
  s.fw[d] = s.x[c[i + 2]];
  s.fw[d + 1] = -1;
  return i + 3;
}

/**
 * A CSR instruction on fflags, frm or fcsr: T0 = the CSR's old value (the
 * translator moves it into x[rd]), after T0, loaded from x[rs1] for the
 * register forms, updated the CSR; PARAM1 packs csr, funct3, rd and rs1
 * (see fCsr).
 */
export function op_fcsr(s: RiscvCpu, c: Int32Array, i: number): number {
  s.t0 = fCsr(s, c[i + 1], s.t0);
  return i + 2;
}

/** Leaves the block: to PARAM1 through slot 0 if T0 == T1, else to PARAM2 through slot 1. */
export function op_br_eq(s: RiscvCpu, c: Int32Array, i: number): number {
  if (s.t0 === s.t1) {
    s.pc = c[i + 1];
    return EXIT_GOTO0;
  }
  s.pc = c[i + 2];
  return EXIT_GOTO1;
}

/** Leaves the block: to PARAM1 through slot 0 if T0 != T1, else to PARAM2 through slot 1. */
export function op_br_ne(s: RiscvCpu, c: Int32Array, i: number): number {
  if (s.t0 !== s.t1) {
    s.pc = c[i + 1];
    return EXIT_GOTO0;
  }
  s.pc = c[i + 2];
  return EXIT_GOTO1;
}

/** Leaves the block: to PARAM1 through slot 0 if T0 < T1 (signed), else to PARAM2 through slot 1. */
export function op_br_lt(s: RiscvCpu, c: Int32Array, i: number): number {
  if (s.t0 < s.t1) {
    s.pc = c[i + 1];
    return EXIT_GOTO0;
  }
  s.pc = c[i + 2];
  return EXIT_GOTO1;
}

/** Leaves the block: to PARAM1 through slot 0 if T0 >= T1 (signed), else to PARAM2 through slot 1. */
export function op_br_ge(s: RiscvCpu, c: Int32Array, i: number): number {
  if (s.t0 >= s.t1) {
    s.pc = c[i + 1];
    return EXIT_GOTO0;
  }
  s.pc = c[i + 2];
  return EXIT_GOTO1;
}

/** Leaves the block: to PARAM1 through slot 0 if T0 < T1 (unsigned), else to PARAM2 through slot 1. */
export function op_br_ltu(s: RiscvCpu, c: Int32Array, i: number): number {
  if (s.t0 >>> 0 < s.t1 >>> 0) {
    s.pc = c[i + 1];
    return EXIT_GOTO0;
  }
  s.pc = c[i + 2];
  return EXIT_GOTO1;
}

/** Leaves the block: to PARAM1 through slot 0 if T0 >= T1 (unsigned), else to PARAM2 through slot 1. */
export function op_br_geu(s: RiscvCpu, c: Int32Array, i: number): number {
  if (s.t0 >>> 0 >= s.t1 >>> 0) {
    s.pc = c[i + 1];
    return EXIT_GOTO0;
  }
  s.pc = c[i + 2];
  return EXIT_GOTO1;
}

/** Leaves the block for PARAM1 through slot 0 (QEMU's goto_tb). */
export function op_goto_tb(s: RiscvCpu, c: Int32Array, i: number): number {
  s.pc = c[i + 1];
  return EXIT_GOTO0;
}

/** Leaves the block for (T0 + PARAM1) & ~1, found through the block cache (jalr). */
export function op_jmp_T0(s: RiscvCpu, c: Int32Array, i: number): number {
  s.pc = (s.t0 + c[i + 1]) & -2;
  return EXIT_LOOKUP;
}

/** Leaves the block for a system call at pc PARAM1. */
export function op_ecall(s: RiscvCpu, c: Int32Array, i: number): number {
  s.pc = c[i + 1];
  return EXIT_SYSCALL;
}

/** Leaves the block for a breakpoint at pc PARAM1. */
export function op_ebreak(s: RiscvCpu, c: Int32Array, i: number): number {
  s.pc = c[i + 1];
  return EXIT_EBREAK;
}

/**
 * Leaves the block to read a counter CSR at pc PARAM1; PARAM2 is
 * `csr << 5 | rd`. The loop writes the value (it knows how many
 * instructions have retired).
 */
export function op_csr_counter(s: RiscvCpu, c: Int32Array, i: number): number {
  s.pc = c[i + 1];
  s.trap = c[i + 2];
  return EXIT_CSR;
}

/**
 * Leaves the block for an illegal instruction PARAM3 at pc PARAM2 if
 * register PARAM1 is not zero: a csrrs/csrrc whose mask register is not x0
 * writes a read-only counter only when the mask is nonzero, as
 * qemu-riscv32 checks it at run time.
 */
export function op_csr_ro_check(s: RiscvCpu, c: Int32Array, i: number): number {
  if (s.x[c[i + 1]] !== 0) {
    s.pc = c[i + 2];
    s.trap = c[i + 3];
    return EXIT_ILLEGAL;
  }
  return i + 4;
}

/** Leaves the block for fence.i at pc PARAM1: the loop drops every translated block. */
export function op_fence_i(s: RiscvCpu, c: Int32Array, i: number): number {
  s.pc = c[i + 1];
  return EXIT_FENCE_I;
}

/** Leaves the block for an illegal instruction PARAM2 at pc PARAM1. */
export function op_illegal(s: RiscvCpu, c: Int32Array, i: number): number {
  s.pc = c[i + 1];
  s.trap = c[i + 2];
  return EXIT_ILLEGAL;
}

/** The oplet table: an oplet's number is its index here. */
export const OPLETS: readonly OpletDef<RiscvCpu>[] = [
  defineOplet(op_profile, 1, true),
  defineOplet(op_mov_T0_r, 1),
  defineOplet(op_mov_T1_r, 1),
  defineOplet(op_mov_r_T0, 1),
  defineOplet(op_mov_r_T1, 1),
  defineOplet(op_movi_T0, 1),
  defineOplet(op_movi_T1, 1),
  defineOplet(op_movi_r, 2),
  defineOplet(op_mov_r_r, 2),
  defineOplet(op_add, 0),
  defineOplet(op_sub, 0),
  defineOplet(op_sll, 0),
  defineOplet(op_slt, 0),
  defineOplet(op_sltu, 0),
  defineOplet(op_xor, 0),
  defineOplet(op_srl, 0),
  defineOplet(op_sra, 0),
  defineOplet(op_or, 0),
  defineOplet(op_and, 0),
  defineOplet(op_mul, 0),
  defineOplet(op_mulh, 0),
  defineOplet(op_mulhsu, 0),
  defineOplet(op_mulhu, 0),
  defineOplet(op_div, 0),
  defineOplet(op_divu, 0),
  defineOplet(op_rem, 0),
  defineOplet(op_remu, 0),
  defineOplet(op_addi, 1),
  defineOplet(op_slti, 1),
  defineOplet(op_sltiu, 1),
  defineOplet(op_xori, 1),
  defineOplet(op_ori, 1),
  defineOplet(op_andi, 1),
  defineOplet(op_slli, 1),
  defineOplet(op_srli, 1),
  defineOplet(op_srai, 1),
  defineOplet(op_ld8s, 2),
  defineOplet(op_ld8u, 2),
  defineOplet(op_ld16s, 2),
  defineOplet(op_ld16u, 2),
  defineOplet(op_ld32, 2),
  defineOplet(op_st8, 2),
  defineOplet(op_st16, 2),
  defineOplet(op_st32, 2),
  defineOplet(op_lr_w, 1),
  defineOplet(op_sc_w, 1),
  defineOplet(op_amoadd_w, 1),
  defineOplet(op_amoswap_w, 1),
  defineOplet(op_amoxor_w, 1),
  defineOplet(op_amoor_w, 1),
  defineOplet(op_amoand_w, 1),
  defineOplet(op_amomin_w, 1),
  defineOplet(op_amomax_w, 1),
  defineOplet(op_amominu_w, 1),
  defineOplet(op_amomaxu_w, 1),
  defineOplet(op_flw, 3),
  defineOplet(op_fld, 3),
  defineOplet(op_fsw, 3),
  defineOplet(op_fsd, 3),
  defineOplet(op_fadd_s, 2),
  defineOplet(op_fsub_s, 2),
  defineOplet(op_fmul_s, 2),
  defineOplet(op_fdiv_s, 2),
  defineOplet(op_fsqrt_s, 2),
  defineOplet(op_fmin_s, 1),
  defineOplet(op_fmax_s, 1),
  defineOplet(op_fma_s, 2),
  defineOplet(op_feq_s, 1),
  defineOplet(op_flt_s, 1),
  defineOplet(op_fle_s, 1),
  defineOplet(op_fclass_s, 1),
  defineOplet(op_fcvt_w_s, 2),
  defineOplet(op_fcvt_wu_s, 2),
  defineOplet(op_fcvt_s_w, 2),
  defineOplet(op_fcvt_s_wu, 2),
  defineOplet(op_fsgnj_s, 1),
  defineOplet(op_fsgnjn_s, 1),
  defineOplet(op_fsgnjx_s, 1),
  defineOplet(op_fadd_d, 2),
  defineOplet(op_fsub_d, 2),
  defineOplet(op_fmul_d, 2),
  defineOplet(op_fdiv_d, 2),
  defineOplet(op_fsqrt_d, 2),
  defineOplet(op_fmin_d, 1),
  defineOplet(op_fmax_d, 1),
  defineOplet(op_fma_d, 2),
  defineOplet(op_feq_d, 1),
  defineOplet(op_flt_d, 1),
  defineOplet(op_fle_d, 1),
  defineOplet(op_fclass_d, 1),
  defineOplet(op_fcvt_w_d, 2),
  defineOplet(op_fcvt_wu_d, 2),
  defineOplet(op_fcvt_d_w, 2),
  defineOplet(op_fcvt_d_wu, 2),
  defineOplet(op_fsgnj_d, 1),
  defineOplet(op_fsgnjn_d, 1),
  defineOplet(op_fsgnjx_d, 1),
  defineOplet(op_fcvt_s_d, 2),
  defineOplet(op_fcvt_d_s, 2),
  defineOplet(op_fmv_d, 2),
  defineOplet(op_fmv_x_w, 2),
  defineOplet(op_fmv_w_x, 2),
  defineOplet(op_fcsr, 1),
  defineOplet(op_br_eq, 2, true),
  defineOplet(op_br_ne, 2, true),
  defineOplet(op_br_lt, 2, true),
  defineOplet(op_br_ge, 2, true),
  defineOplet(op_br_ltu, 2, true),
  defineOplet(op_br_geu, 2, true),
  defineOplet(op_goto_tb, 1, true),
  defineOplet(op_jmp_T0, 1, true),
  defineOplet(op_ecall, 1, true),
  defineOplet(op_ebreak, 1, true),
  defineOplet(op_csr_counter, 2, true),
  defineOplet(op_csr_ro_check, 3, true),
  defineOplet(op_fence_i, 1, true),
  defineOplet(op_illegal, 2, true),
];
