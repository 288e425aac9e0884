/**
 * The RV32IMAFDC front end (with Zicsr and Zifencei; F and D in translate_fp.ts): turns guest
 * code into a translated block's oplets. Compressed instructions are
 * expanded into their 32-bit forms first, so they become the same oplets.
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
import type * as Ops from "./ops.ts";
import { expandCompressed } from "./rvc.ts";
import { isCounterCsr } from "./csr.ts";
import { translateFp } from "./translate_fp.ts";

/** An oplet's number in {@link OPLETS}, by name; throws for an unknown name. */
export function opNumber(name: string): number {
  const n = OPLETS.findIndex((o) => o.name === name);
  if (n < 0) throw new Error(`Unknown oplet "${name}"`);
  return n;
}

/**
 * The name of a base oplet: every `op_NAME` function that `ops.ts` exports,
 * without its prefix. A misspelt name in the translator does not compile.
 */
export type OpletName = {
  [K in keyof typeof Ops]: K extends `op_${infer N}` ? N : never;
}[keyof typeof Ops];

const O = Object.fromEntries(OPLETS.map((o, n) => [o.name, n])) as Record<
  OpletName,
  number
>;
const ALU_R: readonly OpletName[] = [
  "add",
  "sll",
  "slt",
  "sltu",
  "xor",
  "srl",
  "or",
  "and",
];
const MUL_R: readonly OpletName[] = [
  "mul",
  "mulh",
  "mulhsu",
  "mulhu",
  "div",
  "divu",
  "rem",
  "remu",
];
const ALU_I: readonly (OpletName | "")[] = [
  "addi",
  "",
  "slti",
  "sltiu",
  "xori",
  "",
  "ori",
  "andi",
];
const LOADS: readonly (OpletName | "")[] = [
  "ld8s",
  "ld16s",
  "ld32",
  "",
  "ld8u",
  "ld16u",
  "",
  "",
];
const STORES: readonly OpletName[] = ["st8", "st16", "st32"];
/** The A extension's operations by funct5 (bits 31..27); lr.w and sc.w apart. */
const AMOS: Readonly<Record<number, OpletName>> = {
  0x00: "amoadd_w",
  0x01: "amoswap_w",
  0x04: "amoxor_w",
  0x08: "amoor_w",
  0x0c: "amoand_w",
  0x10: "amomin_w",
  0x14: "amomax_w",
  0x18: "amominu_w",
  0x1c: "amomaxu_w",
};
const BRANCHES: readonly (OpletName | "")[] = [
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
  /** Whether the `len` bytes at `pc` may be executed (default: whenever mapped). */
  executable?: (pc: number, len: number) => boolean;
}

/** What {@link genIntermediateCode} produces for one block. */
export interface GuestBlock {
  /** Oplet numbers interleaved with their parameters. */
  code: number[];
  /** How many oplets `code` holds. */
  nops: number;
  /** How many guest instructions the block covers. */
  icount: number;
  /** The instruction words, for logging (a compressed one as its 16 bits). */
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
  const emit = (name: OpletName, ...params: number[]) => {
    code.push(O[name], ...params);
    nops++;
  };
  const fetchable = opts.executable ??
    ((a: number, len: number) => mapped(s, a, len));
  // Instructions are fetched by halfwords: a compressed one is 2 bytes, and
  // a 32-bit one needs its second half fetchable too (which may lie in the
  // next executable range).
  const length = (a: number) =>
    (a & 1) !== 0 || !fetchable(a, 2)
      ? 0
      : (s.mu16[a >>> 1] & 3) !== 3
      ? 2
      : fetchable((a + 2) | 0, 2)
      ? 4
      : -2;
  const first = length(pc);
  if (first <= 0) {
    const at = first === 0 ? pc : (pc + 2) | 0;
    throw new GuestFault("segmentation fault", pc, at, "instruction fetch");
  }
  for (;;) {
    const len = length(pc);
    if (words.length === opts.maxInsns || len <= 0) {
      emit("goto_tb", pc);
      break;
    }
    const h = s.mu16[pc >>> 1];
    const w = len === 4
      ? h | (s.mu16[(pc + 2) >>> 1] << 16)
      : expandCompressed(h);
    words.push(len === 4 ? w : h);
    pcs.push(pc);
    let jumpTo: number | undefined;
    const d = rd(w), a = rs1(w), b = rs2(w), f3 = funct3(w), f7 = funct7(w);
    const next = (pc + len) | 0;
    let end = false, bad = w === 0;
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
          opts.followJumps && !pcs.includes(target) && length(target) > 0
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
      case OPC.BRANCH: {
        const name = BRANCHES[f3];
        if (!name) {
          bad = true;
          break;
        }
        emit("mov_T0_r", a);
        emit("mov_T1_r", b);
        emit(name, (pc + immB(w)) | 0, next);
        end = true;
        break;
      }
      case OPC.LOAD: {
        const name = LOADS[f3];
        if (!name) {
          bad = true;
          break;
        }
        emit("mov_T0_r", a);
        emit(name, immI(w), pc);
        if (d) emit("mov_r_T0", d);
        break;
      }
      case OPC.STORE:
        if (f3 > 2) {
          bad = true;
          break;
        }
        emit("mov_T0_r", a);
        emit("mov_T1_r", b);
        emit(STORES[f3], immS(w), pc);
        break;
      case OPC.AMO: {
        // aq and rl (bits 26, 25) order memory between harts: nothing to do
        // on one.
        const f5 = w >>> 27;
        if (f3 !== 2 || (f5 === 2 && b !== 0)) {
          bad = true;
          break;
        }
        const name = f5 === 2 ? "lr_w" : f5 === 3 ? "sc_w" : AMOS[f5];
        if (!name) {
          bad = true;
          break;
        }
        emit("mov_T0_r", a);
        if (f5 !== 2) emit("mov_T1_r", b);
        emit(name, pc);
        if (d) emit("mov_r_T0", d);
        break;
      }
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
        }
        if (!name) {
          bad = true;
          break;
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
        if (f3 > 1) bad = true;
        else if (f3 === 1) {
          // fence.i: the loop drops every translated block, so that code
          // the guest wrote runs as written. (fence: no effect on one hart.)
          emit("fence_i", pc);
          end = true;
        }
        break;
      case OPC.SYSTEM: {
        if (f3 === 0) {
          if (w === 0x00000073) emit("ecall", pc);
          else if (w === 0x00100073) emit("ebreak", pc);
          else bad = true;
          end = true;
          break;
        }
        // Zicsr. Only the read-only counters exist, and a write to one is
        // illegal. As qemu-riscv32 decides it: csrrw/csrrwi always write,
        // csrrsi/csrrci write when the immediate is not 0, and
        // csrrs/csrrc write when the mask register's value is not 0 (at
        // run time; x0 never). The F/D extensions add fflags (0x001), frm
        // (0x002) and fcsr (0x003) here, with oplets of their own (they
        // are read-write).
        const csr = w >>> 20;
        if (csr >= 1 && csr <= 3 && f3 !== 4) {
          // fflags, frm, fcsr: read and written in an oplet of their own,
          // x[rs1] in T0 for the register forms, the old value in T0
          if (f3 < 4) emit("mov_T0_r", a);
          emit("fcsr", csr | (f3 << 2) | (d << 5) | (a << 10));
          if (d !== 0) emit("mov_r_T0", d);
          break;
        }
        if (
          f3 === 4 || f3 === 1 || f3 === 5 || (f3 > 5 && a !== 0) ||
          !isCounterCsr(csr)
        ) {
          bad = true;
          break;
        }
        if (f3 < 4 && a !== 0) emit("csr_ro_check", a, pc, w);
        else if (!d) break; // a read into x0: no effect
        // The block ends here, so that the loop knows how many
        // instructions have retired before this one.
        if (d) emit("csr_counter", pc, (csr << 5) | d);
        else emit("goto_tb", next);
        end = true;
        break;
      }
      case OPC.LOAD_FP:
      case OPC.STORE_FP:
      case OPC.MADD:
      case OPC.MSUB:
      case OPC.NMSUB:
      case OPC.NMADD:
      case OPC.OP_FP:
        bad = !translateFp(w, pc, emit);
        break;
      default:
        bad = true;
    }
    if (bad) {
      emit("illegal", pc, len === 4 ? w : h);
      break;
    }
    pc = jumpTo ?? next;
    if (end) break;
  }
  return { code, nops, icount: words.length, words, pcs };
}
