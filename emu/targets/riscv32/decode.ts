/**
 * RV32 instruction decoding (32-bit forms; `rvc.ts` expands compressed ones): field extraction and immediates, per the
 * RISC-V unprivileged specification's base formats (R, I, S, B, U, J).
 *
 * @module
 */

/** Major opcodes (bits 6..0) of the 32-bit instructions RV32IMAFD and Zicsr have. */
export const OPC = {
  LOAD: 0x03,
  LOAD_FP: 0x07,
  MISC_MEM: 0x0f,
  OP_IMM: 0x13,
  AUIPC: 0x17,
  STORE: 0x23,
  STORE_FP: 0x27,
  AMO: 0x2f,
  OP: 0x33,
  LUI: 0x37,
  MADD: 0x43,
  MSUB: 0x47,
  NMSUB: 0x4b,
  NMADD: 0x4f,
  OP_FP: 0x53,
  BRANCH: 0x63,
  JALR: 0x67,
  JAL: 0x6f,
  SYSTEM: 0x73,
} as const;

/** Destination register, bits 11..7. */
export function rd(w: number): number {
  return (w >>> 7) & 31;
}
/** First source register, bits 19..15. */
export function rs1(w: number): number {
  return (w >>> 15) & 31;
}
/** Second source register, bits 24..20. */
export function rs2(w: number): number {
  return (w >>> 20) & 31;
}
/** funct3, bits 14..12. */
export function funct3(w: number): number {
  return (w >>> 12) & 7;
}
/** funct7, bits 31..25. */
export function funct7(w: number): number {
  return w >>> 25;
}
/** I-type immediate, sign-extended. */
export function immI(w: number): number {
  return w >> 20;
}
/** S-type immediate, sign-extended. */
export function immS(w: number): number {
  return ((w >> 25) << 5) | ((w >>> 7) & 31);
}
/** B-type immediate, sign-extended (a byte offset, always even). */
export function immB(w: number): number {
  return ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) |
    (((w >>> 25) & 63) << 5) |
    (((w >>> 8) & 15) << 1);
}
/** U-type immediate (upper 20 bits, low 12 zero). */
export function immU(w: number): number {
  return w & 0xfffff000;
}
/** J-type immediate, sign-extended (a byte offset, always even). */
export function immJ(w: number): number {
  return ((w >> 31) << 20) | (((w >>> 12) & 255) << 12) |
    (((w >>> 20) & 1) << 11) |
    (((w >>> 21) & 1023) << 1);
}
/** The third source register of the fused multiply-adds (R4 type), bits 31..27. */
export function rs3(w: number): number {
  return w >>> 27;
}
