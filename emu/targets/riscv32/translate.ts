/**
 * The RV32IM front end: turns guest code into a translated block's oplets.
 *
 * @module
 */

import { GuestFault } from "../../fault.ts";
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
import { mapped, type RiscvCpu } from "./cpu.ts";
import { OPLETS } from "./ops.ts";

/** An oplet's number in {@link OPLETS}, by name; throws for an unknown name. */
export function opNumber(name: string): number {
  const n = OPLETS.findIndex((o) => o.name === name);
  if (n < 0) throw new Error(`Unknown oplet "${name}"`);
  return n;
}

const O = Object.fromEntries(OPLETS.map((o, n) => [o.name, n])) as Record<
  string,
  number
>;
const ALU_R = ["add", "sll", "slt", "sltu", "xor", "srl", "or", "and"];
const MUL_R = ["mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"];
const ALU_I = ["addi", "", "slti", "sltiu", "xori", "", "ori", "andi"];
const LOADS = ["ld8s", "ld16s", "ld32", "", "ld8u", "ld16u", "", ""];
const STORES = ["st8", "st16", "st32"];
const BRANCHES = [
  "br_eq",
  "br_ne",
  "",
  "",
  "br_lt",
  "br_ge",
  "br_ltu",
  "br_geu",
];

/** Options for {@link genIntermediateCode}. */
export interface TranslateOptions {
  /** The most guest instructions in one block. */
  maxInsns: number;
  /** Go on translating at the target of a direct jump (`jal`) instead of ending the block there. */
  followJumps?: boolean;
  /** Whether the 4 bytes at `pc` may be executed (default: whenever mapped). */
  executable?: (pc: number) => boolean;
}

/** What {@link genIntermediateCode} produces for one block. */
export interface GuestBlock {
  /** Oplet numbers interleaved with their parameters. */
  code: number[];
  /** How many oplets `code` holds. */
  nops: number;
  /** How many guest instructions the block covers. */
  icount: number;
  /** The instruction words, for logging. */
  words: number[];
  /** Their guest pcs (not contiguous where the block followed a jump). */
  pcs: number[];
}

/**
 * Translates the guest code at `pc` into a block of oplets, stopping after a
 * branch, jump, system call or breakpoint, an illegal instruction, or
 * `maxInsns` instructions (then the block ends with `goto_tb` to the next
 * pc). `prefix` is emitted first (the profiling oplet). Stands for QEMU's
 * `gen_intermediate_code`.
 *
 * Throws a {@link GuestFault} when `pc` itself cannot be fetched; a later
 * instruction that cannot be fetched ends the block before it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { genIntermediateCode, RiscvCpu } from "@oplet/emu";
 * const cpu = new RiscvCpu(1 << 20);
 * cpu.m32[0x10000 >> 2] = 0x00150513; // addi a0, a0, 1
 * cpu.m32[0x10004 >> 2] = 0x00000073; // ecall
 * const tb = genIntermediateCode(cpu, 0x10000, [], { maxInsns: 64 });
 * assert.equal(tb.icount, 2);
 * assert.equal(tb.nops, 4);
 * ```
 */
export function genIntermediateCode(
  s: RiscvCpu,
  pc: number,
  prefix: readonly number[],
  opts: TranslateOptions,
): GuestBlock {
  const code: number[] = [...prefix];
  let nops = prefix.length > 0 ? 1 : 0;
  const words: number[] = [];
  const pcs: number[] = [];
  const emit = (name: string, ...params: number[]) => {
    code.push(O[name], ...params);
    nops++;
  };
  const fetchable = opts.executable ?? ((a: number) => mapped(s, a, 4));
  if ((pc & 3) !== 0 || !fetchable(pc)) {
    throw new GuestFault("segmentation fault", pc, pc, "instruction fetch");
  }
  for (;;) {
    if (words.length === opts.maxInsns || !fetchable(pc)) {
      emit("goto_tb", pc);
      break;
    }
    const w = s.m32[pc >>> 2];
    words.push(w);
    pcs.push(pc);
    let jumpTo: number | undefined;
    const d = rd(w), a = rs1(w), b = rs2(w), f3 = funct3(w), f7 = funct7(w);
    const next = (pc + 4) | 0;
    let end = false, bad = false;
    switch (w & 0x7f) {
      case OPC.LUI:
        if (d) emit("movi_r", d, immU(w));
        break;
      case OPC.AUIPC:
        if (d) emit("movi_r", d, (pc + immU(w)) | 0);
        break;
      case OPC.JAL: {
        const target = (pc + immJ(w)) | 0;
        if (d) emit("movi_r", d, next);
        // A direct jump need not end the block: translation goes on at the
        // target, unless the block already holds it or it cannot be fetched.
        if (
          opts.followJumps && !pcs.includes(target) && (target & 3) === 0 &&
          fetchable(target)
        ) {
          jumpTo = target;
        } else {
          emit("goto_tb", target);
          end = true;
        }
        break;
      }
      case OPC.JALR:
        if (f3 !== 0) {
          bad = true;
          break;
        }
        emit("mov_T0_r", a);
        if (d) emit("movi_r", d, next);
        emit("jmp_T0", immI(w));
        end = true;
        break;
      case OPC.BRANCH:
        if (!BRANCHES[f3]) {
          bad = true;
          break;
        }
        emit("mov_T0_r", a);
        emit("mov_T1_r", b);
        emit(BRANCHES[f3], (pc + immB(w)) | 0, next);
        end = true;
        break;
      case OPC.LOAD:
        if (!LOADS[f3]) {
          bad = true;
          break;
        }
        emit("mov_T0_r", a);
        emit(LOADS[f3], immI(w), pc);
        if (d) emit("mov_r_T0", d);
        break;
      case OPC.STORE:
        if (f3 > 2) {
          bad = true;
          break;
        }
        emit("mov_T0_r", a);
        emit("mov_T1_r", b);
        emit(STORES[f3], immS(w), pc);
        break;
      case OPC.OP_IMM: {
        let name = ALU_I[f3];
        let imm = immI(w);
        if (f3 === 1 || f3 === 5) {
          name = f3 === 1
            ? (f7 === 0 ? "slli" : "")
            : f7 === 0
            ? "srli"
            : f7 === 0x20
            ? "srai"
            : "";
          imm = b;
          if (!name) {
            bad = true;
            break;
          }
        }
        if (!d) break; // a hint or nop: no effect
        if (name === "addi" && a === 0) emit("movi_r", d, imm);
        else if (name === "addi" && imm === 0) emit("mov_r_r", d, a);
        else {
          emit("mov_T0_r", a);
          emit(name, imm);
          emit("mov_r_T0", d);
        }
        break;
      }
      case OPC.OP: {
        const name = f7 === 0
          ? ALU_R[f3]
          : f7 === 1
          ? MUL_R[f3]
          : f7 === 0x20 && (f3 === 0 || f3 === 5)
          ? (f3 === 0 ? "sub" : "sra")
          : "";
        if (!name) {
          bad = true;
          break;
        }
        if (!d) break;
        emit("mov_T0_r", a);
        emit("mov_T1_r", b);
        emit(name);
        emit("mov_r_T0", d);
        break;
      }
      case OPC.MISC_MEM:
        if (f3 > 1) bad = true; // fence and fence.i: no effect on one hart
        break;
      case OPC.SYSTEM:
        if (w === 0x00000073) emit("ecall", pc);
        else if (w === 0x00100073) emit("ebreak", pc);
        else bad = true;
        end = true;
        break;
      default:
        bad = true;
    }
    if (bad) {
      emit("illegal", pc, w);
      break;
    }
    pc = jumpTo ?? next;
    if (end) break;
  }
  return { code, nops, icount: words.length, words, pcs };
}
