/**
 * The riscv32 target as the target-independent parts of the emulator see it.
 *
 * @module
 */

import * as oplet from "../../oplet.ts";
import type { Target } from "../../target.ts";
import { atomicFault, loadSlow, MEM_LOW, RiscvCpu, storeSlow } from "./cpu.ts";
import { OPLETS } from "./ops.ts";
import { genIntermediateCode } from "./translate.ts";
import { disassemble } from "./disas.ts";
import { readCounterCsr } from "./csr.ts";
import * as fpu from "./fpu.ts";
import { mulHigh, mulHighSU, mulHighU } from "../../mul_high.ts";
import * as opSeq from "./op_seq.ts";
import * as translateSeq from "./translate_seq.ts";
import { ELF_MACHINE, NR, RISCV32_LINUX } from "./linux.ts";

/** The target's name, as profiles and generated modules record it. */
export const TARGET_NAME = "riscv32";

/** The names that oplet bodies may use besides the state, as fused oplets receive them. */
export const OP_HELPERS: Record<string, unknown> = {
  loadSlow,
  storeSlow,
  atomicFault,
  MEM_LOW,
  mulHigh,
  mulHighSU,
  mulHighU,
  EXIT_GOTO0: oplet.EXIT_GOTO0,
  EXIT_GOTO1: oplet.EXIT_GOTO1,
  EXIT_LOOKUP: oplet.EXIT_LOOKUP,
  EXIT_SYSCALL: oplet.EXIT_SYSCALL,
  EXIT_EBREAK: oplet.EXIT_EBREAK,
  EXIT_ILLEGAL: oplet.EXIT_ILLEGAL,
  EXIT_YIELD: oplet.EXIT_YIELD,
  EXIT_CSR: oplet.EXIT_CSR,
  EXIT_FENCE_I: oplet.EXIT_FENCE_I,
  fAddD: fpu.fAddD,
  fAddS: fpu.fAddS,
  fClassD: fpu.fClassD,
  fClassS: fpu.fClassS,
  fCmpD: fpu.fCmpD,
  fCmpS: fpu.fCmpS,
  fCsr: fpu.fCsr,
  fCvtDS: fpu.fCvtDS,
  fCvtDW: fpu.fCvtDW,
  fCvtSD: fpu.fCvtSD,
  fCvtSW: fpu.fCvtSW,
  fCvtWD: fpu.fCvtWD,
  fCvtWS: fpu.fCvtWS,
  fDivD: fpu.fDivD,
  fDivS: fpu.fDivS,
  fFmaD: fpu.fFmaD,
  fFmaS: fpu.fFmaS,
  fMinMaxD: fpu.fMinMaxD,
  fMinMaxS: fpu.fMinMaxS,
  fMulD: fpu.fMulD,
  fMulS: fpu.fMulS,
  fSgnjD: fpu.fSgnjD,
  fSgnjS: fpu.fSgnjS,
  fSqrtD: fpu.fSqrtD,
  fSqrtS: fpu.fSqrtS,
  fSubD: fpu.fSubD,
  fSubS: fpu.fSubS,
};

/** Fields of {@link RiscvCpu} that do not change while blocks run: the switch dispatcher reads them once per block. */
export const HOISTED_FIELDS: readonly string[] = [
  "x",
  "m8",
  "mu8",
  "m16",
  "mu16",
  "m32",
  "span",
  "wlow",
  "wspan",
  "prof",
  "f",
  "fw",
  "fs",
  "fcs",
];

/** Where the oplets' source lives, for the generator (a `file:` URL when installed locally). */
export const OPS_SOURCE_URL: URL = new URL("./ops.ts", import.meta.url);

/** The committed fused set (generated from the training guests). */
export const DEFAULT_FUSED = { opSeq, translateSeq };

/** The riscv32 target as `Machine` takes it. */
export const RISCV32: Target<RiscvCpu> = {
  name: TARGET_NAME,
  oplets: OPLETS,
  helpers: OP_HELPERS,
  hoisted: HOISTED_FIELDS,
  createCpu: (memSize) => new RiscvCpu(memSize),
  genIntermediateCode,
  disassemble,
  // The exit oplet leaves csr << 5 | rd in trap (rd is never x0).
  readCounter: (s, instret) => {
    s.x[s.trap & 31] = readCounterCsr(s.trap >>> 5, instret);
  },
  linux: RISCV32_LINUX,
};

export {
  disassemble,
  ELF_MACHINE,
  genIntermediateCode,
  NR,
  OPLETS,
  readCounterCsr,
  RiscvCpu,
};
