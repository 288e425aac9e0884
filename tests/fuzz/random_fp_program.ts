/**
 * Random floating-point programs for differential testing of the F and D
 * extensions: from a seed, a straight-line sequence of RV32F/RV32D
 * instructions (every one, static and dynamic rounding modes, the FP CSRs,
 * float loads and stores) on registers loaded from a pool of edge values
 * (±0, ±∞, quiet and signalling NaNs with payloads, subnormals, the
 * largest and smallest normals, values next to the integer-conversion
 * limits, halfway cases), ending by writing all 32 float registers (as bit
 * patterns), `fcsr` and the integer registers to stdout.
 *
 * Layout: text at 0x10000, a data region of {@link FP_DATA_SIZE} bytes at
 * 0x100000, addressed through s0 = region + 2048: [0, 128) the integer
 * registers at the end (sp's slot holds 0), [128, 384) the float registers,
 * [384, 388) fcsr, [512, 1536) the operand pool (in the file), [1536, 2048)
 * scratch for random loads and stores, also reached through s1 = the scratch
 * area by the compressed float loads and stores.
 *
 * One program in twenty sets `frm` to an invalid value (5..7) at some
 * point: its next dynamic-rounding instruction is illegal, so it may die of
 * SIGILL before the dump (then nothing is expected on stdout).
 *
 * @example
 * ```ts
 * import { randomFpProgram } from "./random_fp_program.ts";
 * const p = randomFpProgram(1);
 * console.log(p.elf.length > 0); // true
 * ```
 *
 * @module
 */

import { Asm } from "./asm.ts";
import { writeElf } from "./elf_write.ts";
import { Prng } from "./prng.ts";
import { csr, ecall, encI, encR, encS, li, store } from "./rv_encode.ts";
import { randDouble, randSingle } from "../fp/fp_ops.ts";

const TEXT_ADDR = 0x10000;
const DATA_ADDR = 0x100000;
/** The data region's size: all of it is written to stdout at the end. */
export const FP_DATA_SIZE = 2048;
const S0 = 8, S1 = 9, SP = 2;
const BASE = DATA_ADDR + 2048; // s0
const off = (k: number) => k - 2048; // region offset → s0-relative immediate
const F_DUMP = 128, FCSR_DUMP = 384, POOL = 512, POOL_N = 128, SCRATCH = 1536;

const OP_FP = 0x53, LOAD_FP = 0x07, STORE_FP = 0x27;
const FMA_OPS = [0x43, 0x47, 0x4b, 0x4f]; // fmadd, fmsub, fnmsub, fnmadd
const CSR_FFLAGS = 1, CSR_FRM = 2, CSR_FCSR = 3;

/** A generated FP program. */
export interface RandomFpProgram {
  /** The seed it was made from. */
  seed: number;
  /** The executable. */
  elf: Uint8Array;
  /** How many bytes it writes to stdout at least (0 when it may die of SIGILL first). */
  minStdoutLength: number;
}

/** OP-FP word: funct5, fmt (0 S, 1 D), rs2, rs1, funct3 (rm), rd. */
function opFp(
  f5: number,
  fmt: number,
  rd: number,
  rs1: number,
  rs2: number,
  f3: number,
): number {
  return encR(OP_FP, rd, f3, rs1, rs2, (f5 << 2) | fmt);
}

class FpGenerator {
  readonly r: Prng;
  readonly a = new Asm(TEXT_ADDR);
  readonly intRegs: number[];
  invalidFrm = false;

  constructor(seed: number) {
    this.r = new Prng(seed);
    this.intRegs = Array.from({ length: 32 }, (_, k) => k).filter((k) =>
      k !== 0 && k !== SP && k !== S0 && k !== S1
    );
  }

  /** The format of the operations being generated: singles live mostly in f0..f15, doubles in f16..f31. */
  fmt = 0;
  /**
   * A float register, mostly from the current format's bank, and mostly one
   * of its first six, so that results feed later operations.
   */
  f(): number {
    const r = this.r;
    if (r.chance(0.1)) return r.int(0, 31);
    return 16 * this.fmt + (r.chance(0.7) ? r.int(0, 5) : r.int(0, 15));
  }
  /** An integer register to write (x0 now and then: the write must vanish). */
  xd(): number {
    return this.r.chance(0.05) ? 0 : this.r.pick(this.intRegs);
  }
  /** An integer register to read. */
  xs(): number {
    return this.r.chance(0.05) ? 0 : this.r.pick(this.intRegs);
  }
  /** A rounding mode field: static 0..4 or dynamic (7). */
  rm(): number {
    return this.r.chance(0.5) ? 7 : this.r.int(0, 4);
  }

  item(): void {
    const r = this.r, a = this.a;
    const fmt = this.fmt = r.int(0, 1);
    switch (r.int(0, 20)) {
      case 0:
      case 1:
      case 2:
      case 3: // fadd, fsub, fmul, fdiv
        a.emit(opFp(r.int(0, 3), fmt, this.f(), this.f(), this.f(), this.rm()));
        break;
      case 4:
        a.emit(opFp(0x0b, fmt, this.f(), this.f(), 0, this.rm())); // fsqrt
        break;
      case 5:
      case 6: { // fused multiply-adds
        const w =
          encR(r.pick(FMA_OPS), this.f(), this.rm(), this.f(), this.f(), fmt) |
          (this.f() << 27);
        a.emit(w >>> 0);
        break;
      }
      case 7: // fsgnj, fsgnjn, fsgnjx (rs1 = rs2 sometimes: fmv, fneg, fabs)
        {
          const s1 = this.f();
          a.emit(
            opFp(
              0x04,
              fmt,
              this.f(),
              s1,
              r.chance(0.3) ? s1 : this.f(),
              r.int(0, 2),
            ),
          );
        }
        break;
      case 8: // fmin, fmax
        a.emit(opFp(0x05, fmt, this.f(), this.f(), this.f(), r.int(0, 1)));
        break;
      case 9: // feq, flt, fle
        a.emit(opFp(0x14, fmt, this.xd(), this.f(), this.f(), r.int(0, 2)));
        break;
      case 10: // fcvt.w[u].fmt
        a.emit(opFp(0x18, fmt, this.xd(), this.f(), r.int(0, 1), this.rm()));
        break;
      case 11: // fcvt.fmt.w[u]
        a.emit(opFp(0x1a, fmt, this.f(), this.xs(), r.int(0, 1), this.rm()));
        break;
      case 12: { // fcvt.s.d, fcvt.d.s: destination in one bank, source in the other
        const d = this.f();
        this.fmt = 1 - fmt;
        a.emit(opFp(0x08, fmt, d, this.f(), 1 - fmt, this.rm()));
        break;
      }
      case 13: // fclass, fmv.x.w, fmv.w.x
        if (r.chance(0.4)) a.emit(opFp(0x1c, fmt, this.xd(), this.f(), 0, 1));
        else if (r.chance(0.5)) {
          a.emit(opFp(0x1c, 0, this.xd(), this.f(), 0, 0));
        } else a.emit(opFp(0x1e, 0, this.f(), this.xs(), 0, 0));
        break;
      case 14: { // float loads and stores in the scratch area (some misaligned)
        const width = r.int(2, 3);
        const o = SCRATCH + r.int(0, 500) * (r.chance(0.8) ? 0 : 1) +
          (r.chance(0.8) ? r.int(0, 60) * 8 : r.int(0, 120) * 4);
        const imm = off(Math.min(o, FP_DATA_SIZE - 8));
        if (r.chance(0.5)) a.emit(encI(LOAD_FP, this.f(), width, S0, imm));
        else a.emit(encS(STORE_FP, width, S0, this.f(), imm));
        break;
      }
      case 18: { // compressed float loads and stores off s1 (f8..f15, the scratch area)
        const rd = r.int(8, 15), dbl = r.chance(0.5);
        const o = dbl ? 8 * r.int(0, 31) : 4 * r.int(0, 31);
        const f3 = (r.chance(0.5) ? 4 : 0) + (dbl ? 1 : 3);
        const mid = dbl
          ? ((o >> 6) & 3) << 5
          : (((o >> 2) & 1) << 6) | (((o >> 6) & 1) << 5);
        a.emit16(
          (f3 << 13) | (((o >> 3) & 7) << 10) | ((S1 - 8) << 7) | mid |
            ((rd - 8) << 2),
        );
        break;
      }
      case 15: { // reload from the pool
        const slot = fmt
          ? r.int(POOL_N / 2, POOL_N - 1)
          : r.int(0, POOL_N / 2 - 1);
        a.emit(encI(LOAD_FP, this.f(), 2 + fmt, S0, off(POOL + 8 * slot)));
        break;
      }
      case 16: { // read or write the FP CSRs
        const which = r.pick([CSR_FFLAGS, CSR_FFLAGS, CSR_FRM, CSR_FCSR]);
        const k = r.int(0, 5);
        const op =
          (["csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci"] as const)[
            k
          ];
        let src = k >= 3 ? r.int(0, 31) : this.xs();
        if (which !== CSR_FFLAGS && k >= 3 && !this.invalidFrmAllowed()) {
          // keep frm valid: write only rounding modes 0..4
          if (which === CSR_FRM) src = r.int(0, 4);
          else src = (r.int(0, 4) << 5) | r.int(0, 31);
          if (k === 4 || k === 5) src = 0; // set/clear bits could make it invalid
        }
        if (which !== CSR_FFLAGS && k < 3 && !this.invalidFrmAllowed()) {
          // register forms write a register's value: read only
          a.emit(csr("csrrs", this.xd(), which, 0));
          break;
        }
        if (which !== CSR_FFLAGS && k >= 3 && src > 31) src &= 31;
        a.emit(csr(op, this.xd(), which, src));
        break;
      }
      case 17: // an integer value for fmv.w.x and conversions
        a.emit(...li(this.xd() || 5, r.chance(0.5) ? r.edgy() : r.u32() | 0));
        break;
      default: // clear the flags now and then, so later ones show
        a.emit(csr("csrrw", this.xd(), CSR_FFLAGS, 0));
    }
  }

  invalidFrmAllowed(): boolean {
    return this.invalidFrm;
  }

  program(items: number): Uint8Array {
    const r = this.r, a = this.a;
    a.emit(...li(S0, BASE), ...li(S1, DATA_ADDR + SCRATCH));
    for (let k = 0; k < 32; k++) {
      // singles (f0..f15) from the pool's first half, doubles from its second
      const single = k < 16 ? !r.chance(0.1) : r.chance(0.1);
      const slot = single
        ? r.int(0, POOL_N / 2 - 1)
        : r.int(POOL_N / 2, POOL_N - 1);
      a.emit(encI(LOAD_FP, k, single ? 2 : 3, S0, off(POOL + 8 * slot)));
    }
    for (const k of this.intRegs) a.emit(...li(k, r.edgy()));
    a.emit(csr("csrrwi", 0, CSR_FRM, r.int(0, 4)));
    if (r.chance(0.05)) this.invalidFrm = true;
    for (let n = 0; n < items; n++) {
      if (this.invalidFrm && n === (items >> 1)) {
        a.emit(csr("csrrwi", 0, CSR_FRM, r.int(5, 7)));
      }
      this.item();
    }
    // epilogue: float registers, fcsr, integer registers, then write and exit
    for (let k = 0; k < 32; k++) {
      a.emit(encS(STORE_FP, 3, S0, k, off(F_DUMP + 8 * k)));
    }
    a.emit(csr("csrrs", 5, CSR_FCSR, 0), store("sw", 5, S0, off(FCSR_DUMP)));
    for (let k = 0; k < 32; k++) {
      a.emit(store("sw", k === SP ? 0 : k, S0, off(4 * k)));
    }
    a.emit(
      ...li(17, 64),
      ...li(10, 1),
      ...li(11, DATA_ADDR),
      ...li(12, FP_DATA_SIZE),
      ecall(),
    );
    a.emit(...li(17, 93), ...li(10, 0), ecall());
    return a.bytes();
  }
}

/** Generates the FP program for `seed` (the same seed gives the same bytes). */
export function randomFpProgram(seed: number, items?: number): RandomFpProgram {
  const g = new FpGenerator(seed);
  const r = g.r;
  const words = g.program(
    items ?? (r.chance(0.1) ? r.int(300, 600) : r.int(20, 150)),
  );
  const data = new Uint8Array(FP_DATA_SIZE);
  const v = new DataView(data.buffer);
  for (let k = 0; k < POOL_N; k++) {
    const bits = k >= POOL_N / 2
      ? randDouble(r)
      : (BigInt(r.chance(0.9) ? 0xffffffff : r.u32()) << 32n) | randSingle(r);
    v.setBigUint64(POOL + 8 * k, bits, true);
  }
  for (let k = SCRATCH; k < FP_DATA_SIZE; k += 4) v.setUint32(k, r.u32(), true);
  const elf = writeElf({
    text: words,
    textAddr: TEXT_ADDR,
    data,
    bssSize: 0,
    dataAddr: DATA_ADDR,
  });
  return { seed, elf, minStdoutLength: g.invalidFrm ? 0 : FP_DATA_SIZE };
}
