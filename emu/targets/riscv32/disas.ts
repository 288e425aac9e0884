/**
 * A small RV32IM disassembler, for `--log in_asm` (QEMU's `-d in_asm`).
 *
 * @module
 */

import {
  funct3,
  funct7,
  immB,
  immI,
  immJ,
  immS,
  immU,
  OPC,
  rd,
  rs1,
  rs2,
} from "./decode.ts";

/** ABI names of the 32 integer registers. */
export const REG_NAMES: readonly string[] = [
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
];

const hex = (n: number) => "0x" + (n >>> 0).toString(16);

/**
 * Disassembles one instruction word at `pc`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { disassemble } from "@oplet/emu";
 * assert.equal(disassemble(0x00150513, 0x10000), "addi a0, a0, 1");
 * ```
 */
export function disassemble(w: number, pc: number): string {
  const r = REG_NAMES;
  const f3 = funct3(w), f7 = funct7(w);
  switch (w & 0x7f) {
    case OPC.LUI:
      return `lui ${r[rd(w)]}, ${hex(immU(w) >>> 12)}`;
    case OPC.AUIPC:
      return `auipc ${r[rd(w)]}, ${hex(immU(w) >>> 12)}`;
    case OPC.JAL:
      return `jal ${r[rd(w)]}, ${hex(pc + immJ(w))}`;
    case OPC.JALR:
      return `jalr ${r[rd(w)]}, ${immI(w)}(${r[rs1(w)]})`;
    case OPC.BRANCH: {
      const n = ["beq", "bne", "", "", "blt", "bge", "bltu", "bgeu"][f3];
      if (n) return `${n} ${r[rs1(w)]}, ${r[rs2(w)]}, ${hex(pc + immB(w))}`;
      break;
    }
    case OPC.LOAD: {
      const n = ["lb", "lh", "lw", "", "lbu", "lhu", "", ""][f3];
      if (n) return `${n} ${r[rd(w)]}, ${immI(w)}(${r[rs1(w)]})`;
      break;
    }
    case OPC.STORE: {
      const n = ["sb", "sh", "sw", "", "", "", "", ""][f3];
      if (n) return `${n} ${r[rs2(w)]}, ${immS(w)}(${r[rs1(w)]})`;
      break;
    }
    case OPC.OP_IMM: {
      if (f3 === 1 || f3 === 5) {
        const n = f3 === 1
          ? (f7 === 0 ? "slli" : "")
          : f7 === 0
          ? "srli"
          : f7 === 0x20
          ? "srai"
          : "";
        if (n) return `${n} ${r[rd(w)]}, ${r[rs1(w)]}, ${rs2(w)}`;
        break;
      }
      const n = ["addi", "", "slti", "sltiu", "xori", "", "ori", "andi"][f3];
      return `${n} ${r[rd(w)]}, ${r[rs1(w)]}, ${immI(w)}`;
    }
    case OPC.OP: {
      const n = f7 === 0
        ? ["add", "sll", "slt", "sltu", "xor", "srl", "or", "and"][f3]
        : f7 === 1
        ? ["mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"][f3]
        : f7 === 0x20
        ? ["sub", "", "", "", "", "sra", "", ""][f3]
        : "";
      if (n) return `${n} ${r[rd(w)]}, ${r[rs1(w)]}, ${r[rs2(w)]}`;
      break;
    }
    case OPC.MISC_MEM:
      if (f3 === 0) return "fence";
      if (f3 === 1) return "fence.i";
      break;
    case OPC.SYSTEM:
      if (w === 0x00000073) return "ecall";
      if (w === 0x00100073) return "ebreak";
      break;
  }
  return `.word ${hex(w)}`;
}
