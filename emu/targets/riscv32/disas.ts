/**
 * A small RV32IMAFDC (and Zicsr, Zifencei) disassembler, for `--log in_asm`
 * (QEMU's `-d in_asm`); compressed instructions by their compressed names.
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
import { expandCompressed } from "./rvc.ts";
import { COUNTER_CSRS } from "./csr.ts";
import { disassembleFp, FREG_NAMES } from "./disas_fp.ts";

const FP_CSRS: Readonly<Record<number, string>> = {
  1: "fflags",
  2: "frm",
  3: "fcsr",
};

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
  if ((w & 3) !== 3) return disassembleCompressed(w & 0xffff, pc);
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
    case OPC.AMO: {
      const f5 = w >>> 27;
      const n = f3 !== 2 ? "" : {
        0: "amoadd",
        1: "amoswap",
        2: "lr",
        3: "sc",
        4: "amoxor",
        8: "amoor",
        12: "amoand",
        16: "amomin",
        20: "amomax",
        24: "amominu",
        28: "amomaxu",
      }[f5];
      if (!n || (f5 === 2 && rs2(w) !== 0)) break;
      const order = ((w >>> 26) & 1 ? ".aq" : "") +
        ((w >>> 25) & 1 ? ".rl" : "");
      if (f5 === 2) return `lr.w${order} ${r[rd(w)]}, (${r[rs1(w)]})`;
      return `${n}.w${order} ${r[rd(w)]}, ${r[rs2(w)]}, (${r[rs1(w)]})`;
    }
    case OPC.MISC_MEM:
      if (f3 === 0) return "fence";
      if (f3 === 1) return "fence.i";
      break;
    case OPC.SYSTEM:
      if (w === 0x00000073) return "ecall";
      if (w === 0x00100073) return "ebreak";
      if (f3 !== 0 && f3 !== 4) {
        const n =
          ["", "csrrw", "csrrs", "csrrc", "", "csrrwi", "csrrsi", "csrrci"][f3];
        const csr = w >>> 20;
        const name = COUNTER_CSRS[csr] ?? FP_CSRS[csr] ?? hex(csr);
        return `${n} ${r[rd(w)]}, ${name}, ${f3 > 4 ? rs1(w) : r[rs1(w)]}`;
      }
      break;
    case OPC.LOAD_FP:
    case OPC.STORE_FP:
    case OPC.MADD:
    case OPC.MSUB:
    case OPC.NMSUB:
    case OPC.NMADD:
    case OPC.OP_FP:
      return disassembleFp(w, r) ?? `.word ${hex(w)}`;
  }
  return `.word ${hex(w)}`;
}

/**
 * Disassembles one compressed (16-bit) instruction at `pc`, in its
 * compressed form (`c.addi a0, 1`); `.half 0x...` when it is illegal or
 * not supported.
 *
 * @example
 * ```ts
 * import { disassembleCompressed } from "@oplet/emu";
 * console.log(disassembleCompressed(0x0505, 0x10000)); // "c.addi a0, 1"
 * ```
 */
export function disassembleCompressed(h: number, pc: number): string {
  const w = expandCompressed(h);
  if (w === 0) return `.half ${hex(h)}`;
  const r = REG_NAMES, fr = FREG_NAMES;
  const d = r[rd(w)], a = r[rs1(w)], b = r[rs2(w)];
  const f3 = h >>> 13;
  switch (h & 3) {
    case 0: {
      if (f3 === 0) return `c.addi4spn ${d}, sp, ${immI(w)}`;
      if (f3 === 2) return `c.lw ${d}, ${immI(w)}(${a})`;
      if (f3 === 6) return `c.sw ${b}, ${immS(w)}(${a})`;
      const n = ["", "c.fld", "", "c.flw", "", "c.fsd", "", "c.fsw"][f3];
      return f3 < 4
        ? `${n} ${fr[rd(w)]}, ${immI(w)}(${a})`
        : `${n} ${fr[rs2(w)]}, ${immS(w)}(${a})`;
    }
    case 1:
      switch (f3) {
        case 0:
          return rd(w) === 0 && immI(w) === 0
            ? "c.nop"
            : `c.addi ${d}, ${immI(w)}`;
        case 1:
          return `c.jal ${hex(pc + immJ(w))}`;
        case 2:
          return `c.li ${d}, ${immI(w)}`;
        case 3:
          return (w & 0x7f) === OPC.LUI
            ? `c.lui ${d}, ${hex(immU(w) >>> 12)}`
            : `c.addi16sp sp, ${immI(w)}`;
        case 4: {
          const n = (w & 0x7f) === OPC.OP_IMM
            ? [
              "",
              "",
              "",
              "",
              "",
              funct7(w) ? "c.srai" : "c.srli",
              "",
              "c.andi",
            ][
              funct3(w)
            ]
            : ["c.sub", "", "", "", "c.xor", "", "c.or", "c.and"][funct3(w)];
          if ((w & 0x7f) === OPC.OP) return `${n} ${d}, ${b}`;
          return `${n} ${d}, ${funct3(w) === 7 ? immI(w) : rs2(w)}`;
        }
        case 5:
          return `c.j ${hex(pc + immJ(w))}`;
        default:
          return `${f3 === 6 ? "c.beqz" : "c.bnez"} ${a}, ${hex(pc + immB(w))}`;
      }
    default:
      switch (f3) {
        case 0:
          return `c.slli ${d}, ${rs2(w)}`;
        case 2:
          return `c.lwsp ${d}, ${immI(w)}(sp)`;
        case 1:
        case 3:
          return `${f3 === 1 ? "c.fldsp" : "c.flwsp"} ${fr[rd(w)]}, ${
            immI(w)
          }(sp)`;
        case 5:
        case 7:
          return `${f3 === 5 ? "c.fsdsp" : "c.fswsp"} ${fr[rs2(w)]}, ${
            immS(w)
          }(sp)`;
        case 4:
          if ((w & 0x7f) === OPC.JALR) {
            return `${rd(w) ? "c.jalr" : "c.jr"} ${a}`;
          }
          if ((w & 0x7f) === OPC.SYSTEM) return "c.ebreak";
          return `${(h >>> 12) & 1 ? "c.add" : "c.mv"} ${d}, ${b}`;
        default:
          return `c.swsp ${b}, ${immS(w)}(sp)`;
      }
  }
}
