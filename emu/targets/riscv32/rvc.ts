/**
 * The RV32C compressed instructions: each 16-bit instruction is expanded
 * into the 32-bit instruction it stands for, so that the translator turns
 * it into the same oplets (and profiles and fused sets carry over).
 *
 * A 16-bit instruction is any halfword whose two low bits are not `11`.
 *
 * @module
 */

import { OPC } from "./decode.ts";

/** Whether the halfword `h` starts a 16-bit (compressed) instruction. */
export function isCompressed(h: number): boolean {
  return (h & 3) !== 3;
}

/** The length in bytes (2 or 4) of the instruction whose first halfword is `h`. */
export function insnLength(h: number): 2 | 4 {
  return (h & 3) === 3 ? 4 : 2;
}

const r = (h: number, lo: number, n: number) => (h >>> lo) & ((1 << n) - 1);
/** A compressed 3-bit register field (x8..x15) at bit `lo`. */
const rc = (h: number, lo: number) => 8 + r(h, lo, 3);
/** Sign-extends the low `bits` bits of `v`. */
const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);

const encI = (op: number, rd: number, f3: number, rs1: number, imm: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const encR = (
  f7: number,
  rs2: number,
  rs1: number,
  f3: number,
  rd: number,
  op: number,
) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const encS = (
  f3: number,
  rs1: number,
  rs2: number,
  imm: number,
  op: number = OPC.STORE,
) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    ((imm & 31) << 7) | op) >>> 0;
const encB = (f3: number, rs1: number, rs2: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 63) << 25) | (rs2 << 20) |
    (rs1 << 15) | (f3 << 12) | (((off >> 1) & 15) << 8) |
    (((off >> 11) & 1) << 7) | OPC.BRANCH) >>> 0;
const encJ = (rd: number, off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) |
    (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) | (rd << 7) |
    OPC.JAL) >>> 0;

/** The CJ-format jump offset (c.j, c.jal). */
function cjOffset(h: number): number {
  return sext(
    (r(h, 12, 1) << 11) | (r(h, 11, 1) << 4) | (r(h, 9, 2) << 8) |
      (r(h, 8, 1) << 10) | (r(h, 7, 1) << 6) | (r(h, 6, 1) << 7) |
      (r(h, 3, 3) << 1) | (r(h, 2, 1) << 5),
    12,
  );
}

/** The CB-format branch offset (c.beqz, c.bnez). */
function cbOffset(h: number): number {
  return sext(
    (r(h, 12, 1) << 8) | (r(h, 10, 2) << 3) | (r(h, 5, 2) << 6) |
      (r(h, 3, 2) << 1) | (r(h, 2, 1) << 5),
    9,
  );
}

/** The 6-bit immediate of the CI format, sign-extended. */
const ciImm = (h: number) => sext((r(h, 12, 1) << 5) | r(h, 2, 5), 6);
/** The 6-bit shift amount of c.slli, c.srli, c.srai. */
const shamt = (h: number) => (r(h, 12, 1) << 5) | r(h, 2, 5);
/** The CL/CS word offset (c.lw, c.sw). */
const clwOffset = (h: number) =>
  (r(h, 10, 3) << 3) | (r(h, 6, 1) << 2) | (r(h, 5, 1) << 6);

/** The CL/CS doubleword offset (c.fld, c.fsd). */
const cldOffset = (h: number) => (r(h, 10, 3) << 3) | (r(h, 5, 2) << 6);

/**
 * Expands the compressed instruction `h` (a halfword whose low two bits are
 * not `11`) into the 32-bit RV32I instruction it stands for; returns 0 for
 * an illegal or reserved encoding. The compressed floating-point loads and
 * stores (`c.flw`, `c.fsw`, `c.fld`, `c.fsd` and their sp-relative forms)
 * expand to `flw`, `fsw`, `fld` and `fsd`. Encodings
 * follow the RISC-V unprivileged specification's RVC chapter; hints expand
 * to instructions without effect. As under qemu-riscv32, shift amounts of
 * 32 or more and `c.jr` through x0 are illegal.
 *
 * @example
 * ```ts
 * import { expandCompressed } from "@oplet/emu";
 * console.log(expandCompressed(0x0505).toString(16)); // "150513" (addi a0, a0, 1)
 * ```
 */
export function expandCompressed(h: number): number {
  h &= 0xffff;
  const f3 = h >>> 13;
  const rd = r(h, 7, 5), rs2 = r(h, 2, 5);
  switch (h & 3) {
    case 0:
      switch (f3) {
        case 0: { // c.addi4spn
          const imm = (r(h, 11, 2) << 4) | (r(h, 7, 4) << 6) |
            (r(h, 6, 1) << 2) | (r(h, 5, 1) << 3);
          return imm === 0 ? 0 : encI(OPC.OP_IMM, rc(h, 2), 0, 2, imm);
        }
        case 2: // c.lw
          return encI(OPC.LOAD, rc(h, 2), 2, rc(h, 7), clwOffset(h));
        case 6: // c.sw
          return encS(2, rc(h, 7), rc(h, 2), clwOffset(h));
        case 1: // c.fld
          return encI(OPC.LOAD_FP, rc(h, 2), 3, rc(h, 7), cldOffset(h));
        case 3: // c.flw
          return encI(OPC.LOAD_FP, rc(h, 2), 2, rc(h, 7), clwOffset(h));
        case 5: // c.fsd
          return encS(3, rc(h, 7), rc(h, 2), cldOffset(h), OPC.STORE_FP);
        case 7: // c.fsw
          return encS(2, rc(h, 7), rc(h, 2), clwOffset(h), OPC.STORE_FP);
        default: // reserved
          return 0;
      }
    case 1:
      switch (f3) {
        case 0: // c.addi (c.nop when rd is x0)
          return encI(OPC.OP_IMM, rd, 0, rd, ciImm(h));
        case 1: // c.jal
          return encJ(1, cjOffset(h));
        case 2: // c.li
          return encI(OPC.OP_IMM, rd, 0, 0, ciImm(h));
        case 3: {
          if (r(h, 12, 1) === 0 && rs2 === 0) return 0; // nzimm = 0: reserved
          if (rd === 2) { // c.addi16sp
            const imm = sext(
              (r(h, 12, 1) << 9) | (r(h, 6, 1) << 4) | (r(h, 5, 1) << 6) |
                (r(h, 3, 2) << 7) | (r(h, 2, 1) << 5),
              10,
            );
            return encI(OPC.OP_IMM, 2, 0, 2, imm);
          }
          // c.lui
          return (((ciImm(h) & 0xfffff) << 12) | (rd << 7) | OPC.LUI) >>> 0;
        }
        case 4: {
          const d = rc(h, 7);
          switch (r(h, 10, 2)) {
            case 0: // c.srli
              return shamt(h) > 31 ? 0 : encR(0, shamt(h), d, 5, d, OPC.OP_IMM);
            case 1: // c.srai
              return shamt(h) > 31
                ? 0
                : encR(0x20, shamt(h), d, 5, d, OPC.OP_IMM);
            case 2: // c.andi
              return encI(OPC.OP_IMM, d, 7, d, ciImm(h));
            default: {
              if (r(h, 12, 1)) return 0; // c.subw, c.addw: RV64 only
              const s = rc(h, 2);
              switch (r(h, 5, 2)) {
                case 0: // c.sub
                  return encR(0x20, s, d, 0, d, OPC.OP);
                case 1: // c.xor
                  return encR(0, s, d, 4, d, OPC.OP);
                case 2: // c.or
                  return encR(0, s, d, 6, d, OPC.OP);
                default: // c.and
                  return encR(0, s, d, 7, d, OPC.OP);
              }
            }
          }
        }
        case 5: // c.j
          return encJ(0, cjOffset(h));
        case 6: // c.beqz
          return encB(0, rc(h, 7), 0, cbOffset(h));
        default: // c.bnez
          return encB(1, rc(h, 7), 0, cbOffset(h));
      }
    case 2:
      switch (f3) {
        case 0: // c.slli
          return shamt(h) > 31 ? 0 : encR(0, shamt(h), rd, 1, rd, OPC.OP_IMM);
        case 2: { // c.lwsp
          if (rd === 0) return 0;
          const imm = (r(h, 12, 1) << 5) | (r(h, 4, 3) << 2) |
            (r(h, 2, 2) << 6);
          return encI(OPC.LOAD, rd, 2, 2, imm);
        }
        case 4:
          if (r(h, 12, 1) === 0) {
            if (rs2 !== 0) return encR(0, rs2, 0, 0, rd, OPC.OP); // c.mv
            return rd === 0 ? 0 : encI(OPC.JALR, 0, 0, rd, 0); // c.jr
          }
          if (rs2 !== 0) return encR(0, rs2, rd, 0, rd, OPC.OP); // c.add
          return rd === 0
            ? 0x00100073 // c.ebreak
            : encI(OPC.JALR, 1, 0, rd, 0); // c.jalr
        case 6: { // c.swsp
          const imm = (r(h, 9, 4) << 2) | (r(h, 7, 2) << 6);
          return encS(2, 2, rs2, imm);
        }
        case 1: { // c.fldsp
          const imm = (r(h, 12, 1) << 5) | (r(h, 5, 2) << 3) |
            (r(h, 2, 3) << 6);
          return encI(OPC.LOAD_FP, rd, 3, 2, imm);
        }
        case 3: { // c.flwsp
          const imm = (r(h, 12, 1) << 5) | (r(h, 4, 3) << 2) |
            (r(h, 2, 2) << 6);
          return encI(OPC.LOAD_FP, rd, 2, 2, imm);
        }
        case 5: { // c.fsdsp
          const imm = (r(h, 10, 3) << 3) | (r(h, 7, 3) << 6);
          return encS(3, 2, rs2, imm, OPC.STORE_FP);
        }
        default: { // c.fswsp
          const imm = (r(h, 9, 4) << 2) | (r(h, 7, 2) << 6);
          return encS(2, 2, rs2, imm, OPC.STORE_FP);
        }
      }
    default:
      return 0;
  }
}
