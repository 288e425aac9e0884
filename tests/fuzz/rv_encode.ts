/**
 * An RV32IMAC instruction encoder for the fuzzer: every RV32I and RV32M
 * instruction in the base formats (R, I, S, B, U, J), the A extension,
 * the Zicsr instructions and every RV32C integer instruction, per the RISC-V
 * unprivileged specification. Each function returns the 32-bit instruction
 * word as an unsigned number; operands are register numbers 0..31 and
 * immediates as the assembler writes them. Out-of-range operands throw a
 * `RangeError`.
 *
 * @example
 * ```ts
 * import { iAlu, rType } from "./rv_encode.ts";
 * console.log(rType("add", 1, 2, 3).toString(16)); // "3100b3"
 * console.log(iAlu("addi", 10, 0, -1).toString(16)); // "fff00513"
 * ```
 *
 * @module
 */

/** Major opcodes. */
export const OPCODE = {
  LOAD: 0x03,
  MISC_MEM: 0x0f,
  OP_IMM: 0x13,
  AUIPC: 0x17,
  STORE: 0x23,
  OP: 0x33,
  LUI: 0x37,
  BRANCH: 0x63,
  JALR: 0x67,
  JAL: 0x6f,
  SYSTEM: 0x73,
} as const;

/** R-type instructions of RV32I and RV32M (`op rd, rs1, rs2`), as [funct3, funct7]. */
export const R_OPS = {
  add: [0, 0x00],
  sub: [0, 0x20],
  sll: [1, 0x00],
  slt: [2, 0x00],
  sltu: [3, 0x00],
  xor: [4, 0x00],
  srl: [5, 0x00],
  sra: [5, 0x20],
  or: [6, 0x00],
  and: [7, 0x00],
  mul: [0, 0x01],
  mulh: [1, 0x01],
  mulhsu: [2, 0x01],
  mulhu: [3, 0x01],
  div: [4, 0x01],
  divu: [5, 0x01],
  rem: [6, 0x01],
  remu: [7, 0x01],
} as const;

/** I-type ALU instructions (`op rd, rs1, imm`), as funct3. */
export const I_ALU_OPS = {
  addi: 0,
  slti: 2,
  sltiu: 3,
  xori: 4,
  ori: 6,
  andi: 7,
} as const;

/** Shifts by an immediate (`op rd, rs1, shamt`), as [funct3, funct7]. */
export const SHIFT_OPS = {
  slli: [1, 0x00],
  srli: [5, 0x00],
  srai: [5, 0x20],
} as const;

/** Loads (`op rd, imm(rs1)`), as [funct3, access size in bytes]. */
export const LOAD_OPS = {
  lb: [0, 1],
  lh: [1, 2],
  lw: [2, 4],
  lbu: [4, 1],
  lhu: [5, 2],
} as const;

/** Stores (`op rs2, imm(rs1)`), as [funct3, access size in bytes]. */
export const STORE_OPS = { sb: [0, 1], sh: [1, 2], sw: [2, 4] } as const;

/** Conditional branches (`op rs1, rs2, offset`), as funct3. */
export const BRANCH_OPS = {
  beq: 0,
  bne: 1,
  blt: 4,
  bge: 5,
  bltu: 6,
  bgeu: 7,
} as const;

/** The name of an R-type instruction. */
export type ROp = keyof typeof R_OPS;
/** The name of an I-type ALU instruction. */
export type IAluOp = keyof typeof I_ALU_OPS;
/** The name of a shift by an immediate. */
export type ShiftOp = keyof typeof SHIFT_OPS;
/** The name of a load. */
export type LoadOp = keyof typeof LOAD_OPS;
/** The name of a store. */
export type StoreOp = keyof typeof STORE_OPS;
/** The name of a conditional branch. */
export type BranchOp = keyof typeof BRANCH_OPS;

function reg(r: number): number {
  if (!Number.isInteger(r) || r < 0 || r > 31) {
    throw new RangeError(`Register ${r} is not 0..31`);
  }
  return r;
}

function signed(v: number, bits: number, what: string, align = 1): number {
  const lim = 2 ** (bits - 1);
  if (!Number.isInteger(v) || v < -lim || v >= lim || v % align !== 0) {
    throw new RangeError(
      `${what} ${v} does not fit ${bits} signed bits${
        align > 1 ? ` or is not a multiple of ${align}` : ""
      }`,
    );
  }
  return v;
}

/** Encodes an R-type word. */
export function encR(
  opcode: number,
  rd: number,
  funct3: number,
  rs1: number,
  rs2: number,
  funct7: number,
): number {
  return ((funct7 << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) |
    (funct3 << 12) | (reg(rd) << 7) | opcode) >>> 0;
}

/** Encodes an I-type word; `imm` is a signed 12-bit value. */
export function encI(
  opcode: number,
  rd: number,
  funct3: number,
  rs1: number,
  imm: number,
): number {
  const i = signed(imm, 12, "I-type immediate") & 0xfff;
  return ((i << 20) | (reg(rs1) << 15) | (funct3 << 12) | (reg(rd) << 7) |
    opcode) >>> 0;
}

/** Encodes an S-type word; `imm` is a signed 12-bit value. */
export function encS(
  opcode: number,
  funct3: number,
  rs1: number,
  rs2: number,
  imm: number,
): number {
  const i = signed(imm, 12, "S-type immediate") & 0xfff;
  return (((i >> 5) << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) |
    (funct3 << 12) | ((i & 31) << 7) |
    opcode) >>> 0;
}

/** Encodes a B-type word; `offset` is an even signed 13-bit byte offset. */
export function encB(
  opcode: number,
  funct3: number,
  rs1: number,
  rs2: number,
  offset: number,
): number {
  const i = signed(offset, 13, "Branch offset", 2) & 0x1fff;
  return (((i >> 12) << 31) | (((i >> 5) & 63) << 25) | (reg(rs2) << 20) |
    (reg(rs1) << 15) |
    (funct3 << 12) | (((i >> 1) & 15) << 8) | (((i >> 11) & 1) << 7) |
    opcode) >>> 0;
}

/** Encodes a U-type word; `imm20` is the 20-bit field (0..0xfffff), as `lui rd, imm20` writes it. */
export function encU(opcode: number, rd: number, imm20: number): number {
  if (!Number.isInteger(imm20) || imm20 < 0 || imm20 > 0xfffff) {
    throw new RangeError(`U-type immediate ${imm20} is not 0..0xfffff`);
  }
  return ((imm20 << 12) | (reg(rd) << 7) | opcode) >>> 0;
}

/** Encodes a J-type word; `offset` is an even signed 21-bit byte offset. */
export function encJ(opcode: number, rd: number, offset: number): number {
  const i = signed(offset, 21, "Jump offset", 2) & 0x1fffff;
  return (((i >> 20) << 31) | (((i >> 1) & 1023) << 21) |
    (((i >> 11) & 1) << 20) |
    (((i >> 12) & 255) << 12) | (reg(rd) << 7) | opcode) >>> 0;
}

/** `op rd, rs1, rs2` for every R-type instruction of RV32I and RV32M. */
export function rType(op: ROp, rd: number, rs1: number, rs2: number): number {
  const [f3, f7] = R_OPS[op];
  return encR(OPCODE.OP, rd, f3, rs1, rs2, f7);
}

/** `op rd, rs1, imm` for addi, slti, sltiu, xori, ori, andi. */
export function iAlu(op: IAluOp, rd: number, rs1: number, imm: number): number {
  return encI(OPCODE.OP_IMM, rd, I_ALU_OPS[op], rs1, imm);
}

/** `op rd, rs1, shamt` for slli, srli, srai; `shamt` is 0..31. */
export function shiftImm(
  op: ShiftOp,
  rd: number,
  rs1: number,
  shamt: number,
): number {
  if (!Number.isInteger(shamt) || shamt < 0 || shamt > 31) {
    throw new RangeError(`Shift amount ${shamt} is not 0..31`);
  }
  const [f3, f7] = SHIFT_OPS[op];
  return encR(OPCODE.OP_IMM, rd, f3, rs1, shamt, f7);
}

/** `op rd, imm(rs1)` for lb, lh, lw, lbu, lhu. */
export function load(op: LoadOp, rd: number, rs1: number, imm: number): number {
  return encI(OPCODE.LOAD, rd, LOAD_OPS[op][0], rs1, imm);
}

/** `op rs2, imm(rs1)` for sb, sh, sw. */
export function store(
  op: StoreOp,
  rs2: number,
  rs1: number,
  imm: number,
): number {
  return encS(OPCODE.STORE, STORE_OPS[op][0], rs1, rs2, imm);
}

/** `op rs1, rs2, offset` for beq, bne, blt, bge, bltu, bgeu; `offset` is relative to the branch. */
export function branch(
  op: BranchOp,
  rs1: number,
  rs2: number,
  offset: number,
): number {
  return encB(OPCODE.BRANCH, BRANCH_OPS[op], rs1, rs2, offset);
}

/** `lui rd, imm20`. */
export function lui(rd: number, imm20: number): number {
  return encU(OPCODE.LUI, rd, imm20);
}

/** `auipc rd, imm20`. */
export function auipc(rd: number, imm20: number): number {
  return encU(OPCODE.AUIPC, rd, imm20);
}

/** `jal rd, offset`; `offset` is relative to the jump. */
export function jal(rd: number, offset: number): number {
  return encJ(OPCODE.JAL, rd, offset);
}

/** `jalr rd, imm(rs1)`. */
export function jalr(rd: number, rs1: number, imm: number): number {
  return encI(OPCODE.JALR, rd, 0, rs1, imm);
}

/** `fence pred, succ`; each set is a 4-bit mask of i, o, r, w (i is bit 3). */
export function fence(pred = 15, succ = 15): number {
  if ((pred | succ) & ~15) {
    throw new RangeError(`Fence sets ${pred}, ${succ} are not 4-bit masks`);
  }
  return ((pred << 24) | (succ << 20) | OPCODE.MISC_MEM) >>> 0;
}

/** `fence.i` (Zifencei, part of RV32I before the 2019 split). */
export function fenceI(): number {
  return encI(OPCODE.MISC_MEM, 0, 1, 0, 0);
}

/** `ecall`. */
export function ecall(): number {
  return 0x00000073;
}

/** `ebreak`. */
export function ebreak(): number {
  return 0x00100073;
}

/**
 * The shortest sequence that sets `rd` to the 32-bit value `v` (`li`):
 * `addi rd, x0, v` when it fits 12 bits, else `lui` then `addi` if needed.
 */
export function li(rd: number, v: number): number[] {
  v |= 0;
  if (v >= -2048 && v < 2048) return [iAlu("addi", rd, 0, v)];
  const lo = (v << 20) >> 20;
  const hi = ((v - lo) >>> 12) & 0xfffff;
  return lo === 0 ? [lui(rd, hi)] : [lui(rd, hi), iAlu("addi", rd, rd, lo)];
}

/**
 * The `[hi, lo]` split of a 32-bit value or offset for `lui`/`auipc` then a
 * 12-bit signed immediate: `(hi << 12) + lo === v` (mod 2^32).
 */
export function hiLo(v: number): [number, number] {
  const lo = (v << 20) >> 20;
  return [((v - lo) >>> 12) & 0xfffff, lo];
}

/** The A extension's word-sized atomic memory operations, as funct5. */
export const AMO_OPS = {
  "amoadd.w": 0x00,
  "amoswap.w": 0x01,
  "amoxor.w": 0x04,
  "amoor.w": 0x08,
  "amoand.w": 0x0c,
  "amomin.w": 0x10,
  "amomax.w": 0x14,
  "amominu.w": 0x18,
  "amomaxu.w": 0x1c,
} as const;

/** The name of an atomic memory operation. */
export type AmoOp = keyof typeof AMO_OPS;

/** Opcode of the A extension. */
export const OPCODE_AMO = 0x2f;

function amoWord(
  funct5: number,
  rd: number,
  rs1: number,
  rs2: number,
  aq: number,
  rl: number,
): number {
  if ((aq | rl) & ~1) {
    throw new RangeError(`aq ${aq} and rl ${rl} are not bits`);
  }
  return encR(OPCODE_AMO, rd, 2, rs1, rs2, (funct5 << 2) | (aq << 1) | rl);
}

/** `op rd, rs2, (rs1)` for every `amo*.w`; `aq` and `rl` are the ordering bits. */
export function amo(
  op: AmoOp,
  rd: number,
  rs1: number,
  rs2: number,
  aq = 0,
  rl = 0,
): number {
  return amoWord(AMO_OPS[op], rd, rs1, rs2, aq, rl);
}

/** `lr.w rd, (rs1)`. */
export function lrW(rd: number, rs1: number, aq = 0, rl = 0): number {
  return amoWord(0x02, rd, rs1, 0, aq, rl);
}

/** `sc.w rd, rs2, (rs1)`. */
export function scW(
  rd: number,
  rs1: number,
  rs2: number,
  aq = 0,
  rl = 0,
): number {
  return amoWord(0x03, rd, rs1, rs2, aq, rl);
}

/** The user counter CSRs (Zicntr), by name. */
export const COUNTER_CSRS = {
  cycle: 0xc00,
  time: 0xc01,
  instret: 0xc02,
  cycleh: 0xc80,
  timeh: 0xc81,
  instreth: 0xc82,
} as const;

/** `csrrw`, `csrrs`, `csrrc` (register forms) and `csrrwi`, `csrrsi`, `csrrci` (immediate forms), as funct3. */
export const CSR_OPS = {
  csrrw: 1,
  csrrs: 2,
  csrrc: 3,
  csrrwi: 5,
  csrrsi: 6,
  csrrci: 7,
} as const;

/** The name of a CSR instruction. */
export type CsrOp = keyof typeof CSR_OPS;

/** `op rd, csr, rs1` (or `uimm` for the immediate forms, 0..31). */
export function csr(
  op: CsrOp,
  rd: number,
  csrNo: number,
  rs1OrUimm: number,
): number {
  if (!Number.isInteger(csrNo) || csrNo < 0 || csrNo > 0xfff) {
    throw new RangeError(`CSR number ${csrNo} is not 0..0xfff`);
  }
  return ((csrNo << 20) | (reg(rs1OrUimm) << 15) | (CSR_OPS[op] << 12) |
    (reg(rd) << 7) | OPCODE.SYSTEM) >>> 0;
}

// ---- RV32C: compressed instructions, 16 bits each ----

function creg(r: number): number {
  if (!Number.isInteger(r) || r < 8 || r > 15) {
    throw new RangeError(
      `Register ${r} is not x8..x15 (a compressed register)`,
    );
  }
  return r - 8;
}

function unsigned(
  v: number,
  bits: number,
  what: string,
  align: number,
): number {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits || v % align !== 0) {
    throw new RangeError(
      `${what} ${v} does not fit ${bits} unsigned bits as a multiple of ${align}`,
    );
  }
  return v;
}

const bit = (v: number, from: number, to: number) => ((v >> from) & 1) << to;

/** `c.addi rd, imm` (imm -32..31; `c.nop` is `c.addi x0, 0`). */
export function cAddi(rd: number, imm: number): number {
  const i = signed(imm, 6, "c.addi immediate") & 63;
  return (bit(i, 5, 12) | (reg(rd) << 7) | ((i & 31) << 2) | 0x1) >>> 0;
}

/** `c.li rd, imm` (imm -32..31). */
export function cLi(rd: number, imm: number): number {
  return (cAddi(rd, imm) | (2 << 13)) >>> 0;
}

/** `c.lui rd, imm6` where the upper immediate is `imm6` sign-extended (-32..31, not 0; rd not x2). */
export function cLui(rd: number, imm6: number): number {
  if (imm6 === 0 || rd === 2) {
    throw new RangeError(`c.lui ${rd}, ${imm6} is reserved or c.addi16sp`);
  }
  return (cAddi(rd, imm6) | (3 << 13)) >>> 0;
}

/** `c.addi16sp sp, imm` (a nonzero multiple of 16, -512..496). */
export function cAddi16sp(imm: number): number {
  const i = signed(imm, 10, "c.addi16sp immediate", 16) & 0x3ff;
  if (i === 0) throw new RangeError("c.addi16sp 0 is reserved");
  return ((3 << 13) | bit(i, 9, 12) | (2 << 7) | bit(i, 4, 6) | bit(i, 6, 5) |
    bit(i, 8, 4) | bit(i, 7, 3) | bit(i, 5, 2) | 0x1) >>> 0;
}

/** `c.addi4spn rd, sp, imm` (rd x8..x15; imm a nonzero multiple of 4 up to 1020). */
export function cAddi4spn(rd: number, imm: number): number {
  const i = unsigned(imm, 10, "c.addi4spn immediate", 4);
  if (i === 0) throw new RangeError("c.addi4spn 0 is reserved");
  return (((i >> 4) & 3) << 11 | ((i >> 6) & 15) << 7 | bit(i, 2, 6) |
    bit(i, 3, 5) | (creg(rd) << 2)) >>> 0;
}

/** `c.slli rd, shamt` (shamt 0..31). */
export function cSlli(rd: number, shamt: number): number {
  unsigned(shamt, 5, "Shift amount", 1);
  return ((reg(rd) << 7) | (shamt << 2) | 0x2) >>> 0;
}

/** `c.srli`, `c.srai` (rd x8..x15, shamt 0..31) and `c.andi` (imm -32..31). */
export function cShiftAndi(
  op: "c.srli" | "c.srai" | "c.andi",
  rd: number,
  imm: number,
): number {
  const f2 = { "c.srli": 0, "c.srai": 1, "c.andi": 2 }[op];
  const i = op === "c.andi"
    ? signed(imm, 6, "c.andi immediate") & 63
    : unsigned(imm, 5, "Shift amount", 1);
  return ((4 << 13) | bit(i, 5, 12) | (f2 << 10) | (creg(rd) << 7) |
    ((i & 31) << 2) | 0x1) >>> 0;
}

/** `c.sub`, `c.xor`, `c.or`, `c.and` (`rd = rd op rs2`, both x8..x15). */
export function cAlu(
  op: "c.sub" | "c.xor" | "c.or" | "c.and",
  rd: number,
  rs2: number,
): number {
  const f = { "c.sub": 0, "c.xor": 1, "c.or": 2, "c.and": 3 }[op];
  return ((4 << 13) | (3 << 10) | (creg(rd) << 7) | (f << 5) |
    (creg(rs2) << 2) | 0x1) >>> 0;
}

/** `c.mv rd, rs2` (rs2 not x0). */
export function cMv(rd: number, rs2: number): number {
  if (rs2 === 0) throw new RangeError("c.mv from x0 is c.jr");
  return ((4 << 13) | (reg(rd) << 7) | (reg(rs2) << 2) | 0x2) >>> 0;
}

/** `c.add rd, rs2` (rs2 not x0). */
export function cAdd(rd: number, rs2: number): number {
  return (cMv(rd, rs2) | (1 << 12)) >>> 0;
}

/** `c.jr rs1` (not x0). */
export function cJr(rs1: number): number {
  if (rs1 === 0) throw new RangeError("c.jr x0 is reserved");
  return ((4 << 13) | (reg(rs1) << 7) | 0x2) >>> 0;
}

/** `c.jalr rs1` (not x0; links ra). */
export function cJalr(rs1: number): number {
  return (cJr(rs1) | (1 << 12)) >>> 0;
}

/** `c.ebreak`. */
export function cEbreak(): number {
  return 0x9002;
}

/** `c.lw rd, imm(rs1)` (registers x8..x15; imm a multiple of 4 up to 124). */
export function cLw(rd: number, rs1: number, imm: number): number {
  const i = unsigned(imm, 7, "c.lw offset", 4);
  return ((2 << 13) | (((i >> 3) & 7) << 10) | (creg(rs1) << 7) |
    bit(i, 2, 6) | bit(i, 6, 5) | (creg(rd) << 2)) >>> 0;
}

/** `c.sw rs2, imm(rs1)` (registers x8..x15; imm a multiple of 4 up to 124). */
export function cSw(rs2: number, rs1: number, imm: number): number {
  return ((cLw(rs2, rs1, imm) & ~(7 << 13)) | (6 << 13)) >>> 0;
}

/** `c.lwsp rd, imm(sp)` (rd not x0; imm a multiple of 4 up to 252). */
export function cLwsp(rd: number, imm: number): number {
  if (rd === 0) throw new RangeError("c.lwsp into x0 is reserved");
  const i = unsigned(imm, 8, "c.lwsp offset", 4);
  return ((2 << 13) | bit(i, 5, 12) | (reg(rd) << 7) | (((i >> 2) & 7) << 4) |
    (((i >> 6) & 3) << 2) | 0x2) >>> 0;
}

/** `c.swsp rs2, imm(sp)` (imm a multiple of 4 up to 252). */
export function cSwsp(rs2: number, imm: number): number {
  const i = unsigned(imm, 8, "c.swsp offset", 4);
  return ((6 << 13) | (((i >> 2) & 15) << 9) | (((i >> 6) & 3) << 7) |
    (reg(rs2) << 2) | 0x2) >>> 0;
}

function cjImm(off: number): number {
  const i = signed(off, 12, "Compressed jump offset", 2) & 0xfff;
  return bit(i, 11, 12) | bit(i, 4, 11) | bit(i, 9, 10) | bit(i, 8, 9) |
    bit(i, 10, 8) | bit(i, 6, 7) | bit(i, 7, 6) | bit(i, 3, 5) | bit(i, 2, 4) |
    bit(i, 1, 3) | bit(i, 5, 2);
}

/** `c.j offset` (even, -2048..2046). */
export function cJ(offset: number): number {
  return ((5 << 13) | cjImm(offset) | 0x1) >>> 0;
}

/** `c.jal offset` (RV32 only; links ra). */
export function cJal(offset: number): number {
  return ((1 << 13) | cjImm(offset) | 0x1) >>> 0;
}

/** `c.beqz rs1, offset` and `c.bnez` (rs1 x8..x15; offset even, -256..254). */
export function cBranch(
  op: "c.beqz" | "c.bnez",
  rs1: number,
  offset: number,
): number {
  const i = signed(offset, 9, "Compressed branch offset", 2) & 0x1ff;
  return (((op === "c.beqz" ? 6 : 7) << 13) | bit(i, 8, 12) | bit(i, 4, 11) |
    bit(i, 3, 10) | (creg(rs1) << 7) | bit(i, 7, 6) | bit(i, 6, 5) |
    bit(i, 2, 4) | bit(i, 1, 3) | bit(i, 5, 2) | 0x1) >>> 0;
}

/** `c.nop`. */
export function cNop(): number {
  return 0x0001;
}
