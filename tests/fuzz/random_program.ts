/**
 * Random RV32IMAC programs for differential testing: from a seed, a valid
 * program that always terminates, touches memory only in its data region and
 * its stack, and ends by writing its registers and data region to stdout and
 * exiting with a code taken from a register.
 *
 * Layout: text at 0x10000, data region of {@link DATA_SIZE} bytes at
 * {@link DATA_ADDR}. Reserved registers: x0, sp (kept valid: only a balanced
 * push/pop touches it), s0 (the data region's base plus 2048) and s1 (the
 * loop counter); leaf functions also leave their link register (ra or t0)
 * alone. Everything else is fair game, and no generated instruction reads
 * sp's value except to address the stack, since the initial sp differs
 * between emulators.
 *
 * Data region: bytes [0, 128) receive the 32 registers at the end (x2's slot
 * holds sp minus its initial value, which should be 0); random loads and
 * stores stay in [128, DATA_SIZE). After writing the region out, most
 * programs exit with a code from a register; some die of a fault (a load or
 * store far from any mapping, a jump to 0, ebreak, an illegal word), whose
 * exit code (128 + signal) must match too. The region's initial bytes are random
 * for a random-length prefix (in the file) and zero after it (bss).
 *
 * Besides RV32IM, programs mix in compressed instructions (every RV32C
 * integer instruction: so 32-bit instructions sit at 2-aligned pcs, and
 * local calls go through c.jal/c.jalr), atomics (lr.w, sc.w and every
 * amo*.w on aligned words of the data region) and reads of the counter
 * CSRs, whose values differ between emulators and so only feed a
 * comparison that holds on both (a second read is not below the first).
 *
 * @example
 * ```ts
 * import { randomProgram } from "./random_program.ts";
 * const p = randomProgram(1);
 * console.log(p.elf.length > 0, p.minStdoutLength); // true 6144
 * ```
 *
 * @module
 */

import { Asm, type Label } from "./asm.ts";
import { writeElf } from "./elf_write.ts";
import { Prng } from "./prng.ts";
import * as rv from "./rv_encode.ts";
import {
  AMO_OPS,
  auipc,
  branch,
  BRANCH_OPS,
  type BranchOp,
  ebreak,
  ecall,
  fence,
  fenceI,
  hiLo,
  I_ALU_OPS,
  iAlu,
  jal,
  jalr,
  li,
  load,
  LOAD_OPS,
  type LoadOp,
  lui,
  R_OPS,
  type ROp,
  rType,
  SHIFT_OPS,
  shiftImm,
  store,
  STORE_OPS,
  type StoreOp,
} from "./rv_encode.ts";

/** Where the text goes. */
export const TEXT_ADDR = 0x10000;
/** Where the data region goes. */
export const DATA_ADDR = 0x100000;
/** The data region's size: all of it is written to stdout at the end. */
export const DATA_SIZE = 6144;
/** Where the registers are dumped, as an offset into the data region. */
export const REGS_OFFSET = 0;

const SP = 2, S0 = 8, S1 = 9;
const S0_VALUE = DATA_ADDR + 2048;
const RANDOM_LOW = 128; // random accesses stay in [RANDOM_LOW, DATA_SIZE)
const REG_SLOT = (r: number) => REGS_OFFSET + 4 * r - 2048; // offset from s0
const EDGE_DIVIDENDS = [-0x80000000, -1, 0, 1, 0x7fffffff, 7, -7];
const EDGE_DIVISORS = [0, -1, 1, -0x80000000, 2, -2, 3];
const M_EDGE_OPS: ROp[] = [
  "div",
  "divu",
  "rem",
  "remu",
  "mulh",
  "mulhsu",
  "mulhu",
  "mul",
];
const MASKS = [0x7ff, 0x7ff, 0x7fc, 0x7fe, 0x7f8, 0x0ff, 0x00f, 0x003];

/** Tuning for {@link randomProgram}. */
export interface ProgramOptions {
  /** How many items (instructions or small constructs) the main body has (default from the seed: 30..200, or 400..1000 one time in ten). */
  items?: number;
  /** How many leaf functions (default 0..4, from the seed). */
  leaves?: number;
}

/** A generated program and what to expect from it. */
export interface RandomProgram {
  /** The seed it was made from. */
  seed: number;
  /** The executable. */
  elf: Uint8Array;
  /** The text's bytes (at {@link TEXT_ADDR}). */
  text: Uint8Array;
  /** How many bytes it writes to stdout at least (the final dump; writes along the way add to it). */
  minStdoutLength: number;
}

interface Ctx {
  /** Registers the code may write. */
  writable: number[];
  /** Whether inside a loop (no nested loops: one counter). */
  inLoop: boolean;
  /** Whether inside a leaf function (no calls). */
  inLeaf: boolean;
  /** Nesting depth of forward-branch bodies. */
  depth: number;
}

class Generator {
  readonly r: Prng;
  readonly a = new Asm(TEXT_ADDR);
  readonly leaves: { label: Label; link: number }[] = [];

  constructor(seed: number) {
    this.r = new Prng(seed);
  }

  /** A register any instruction may read: anything but sp. */
  src(): number {
    const r = this.r.int(0, 31);
    return r === SP ? this.r.pick([0, S0, S1]) : r;
  }

  /** A register to write; x0 now and then (the write must vanish). */
  dst(c: Ctx): number {
    return this.r.chance(0.04) ? 0 : this.r.pick(c.writable);
  }

  body(c: Ctx, n: number): void {
    for (let k = 0; k < n; k++) this.item(c);
  }

  item(c: Ctx): void {
    const r = this.r;
    const x = r.int(0, 119);
    if (x >= 100) {
      if (x < 112) this.compressed(c);
      else if (x < 118) this.atomic(c);
      else this.counters(c);
      return;
    }
    this.item32(c, x);
  }

  /** An RV32IM item: `w` in 0..99 picks the kind. */
  item32(c: Ctx, w: number): void {
    const r = this.r, a = this.a;
    if (w < 22) {
      a.emit(rType(r.key(R_OPS), this.dst(c), this.src(), this.src()));
    } else if (w < 36) {
      const imm = r.chance(0.3)
        ? r.pick([-2048, 2047, -1, 0, 1])
        : r.int(-2048, 2047);
      a.emit(iAlu(r.key(I_ALU_OPS), this.dst(c), this.src(), imm));
    } else if (w < 42) {
      a.emit(
        shiftImm(
          r.key(SHIFT_OPS),
          this.dst(c),
          this.src(),
          r.pick([0, 1, 31, r.int(0, 31)]),
        ),
      );
    } else if (w < 47) {
      // M extension edge cases: INT_MIN / -1, division by zero, big products
      const x = r.pick(c.writable), y = r.pick(c.writable);
      a.emit(...li(x, r.chance(0.7) ? r.pick(EDGE_DIVIDENDS) : r.edgy()));
      if (y !== x) {
        a.emit(...li(y, r.chance(0.7) ? r.pick(EDGE_DIVISORS) : r.edgy()));
      }
      a.emit(rType(r.pick(M_EDGE_OPS), this.dst(c), x, y));
    } else if (w < 53) {
      const d = this.dst(c);
      switch (r.int(0, 2)) {
        case 0:
          a.emit(...li(d, r.edgy()));
          break;
        case 1:
          a.emit(lui(d, r.int(0, 0xfffff)));
          break;
        default:
          a.emit(auipc(d, r.pick([0, 1, 0xfffff, r.int(0, 0xfffff)])));
      }
    } else if (w < 64) {
      this.memory(c, false);
    } else if (w < 74) {
      this.memory(c, true);
    } else if (w < 81) {
      if (c.depth < 3) this.forwardBranch(c);
    } else if (w < 83) {
      if (c.depth < 3) this.forwardJump(c);
    } else if (w < 88) {
      if (!c.inLoop && !c.inLeaf && c.depth < 2) this.loop(c);
    } else if (w < 94) {
      if (!c.inLeaf && this.leaves.length > 0) this.call(c);
    } else if (w < 96) {
      this.stack(c);
    } else if (w < 98) {
      this.syscall();
    } else {
      a.emit(
        r.pick([
          fence(),
          fence(r.int(1, 15), r.int(1, 15)),
          fenceI(),
          iAlu("addi", 0, 0, 0),
        ]),
      );
    }
  }

  /** Registers x8..x15 that may be written (compressed destinations). */
  cWritable(c: Ctx): number[] {
    return c.writable.filter((k) => k >= 8 && k <= 15);
  }

  /** One straight-line ALU instruction, 16 or 32 bits, writing one of `writable`. */
  simple(writable: number[]): void {
    const r = this.r, a = this.a;
    const d = r.pick(writable);
    switch (r.int(0, 4)) {
      case 0:
        a.emit(rType(r.key(R_OPS), d, this.src(), this.src()));
        break;
      case 1:
        a.emit(iAlu(r.key(I_ALU_OPS), d, this.src(), r.int(-2048, 2047)));
        break;
      case 2:
        a.emit16(rv.cAddi(d, r.int(-32, 31)));
        break;
      case 3:
        a.emit16(rv.cLi(d, r.int(-32, 31)));
        break;
      default: {
        const s = this.src();
        a.emit16(s ? rv.cAdd(d, s) : rv.cSlli(d, r.int(0, 31)));
      }
    }
  }

  /** A compressed instruction, or a small construct made of them. */
  compressed(c: Ctx): void {
    const r = this.r, a = this.a;
    const cw = this.cWritable(c);
    const cs = () => r.int(8, 15);
    const d = this.dst(c);
    const imm6 = () => r.pick([-32, -1, 0, 1, 31, r.int(-32, 31)]);
    switch (r.int(0, 14)) {
      case 0:
        a.emit16(rv.cAddi(d, imm6()));
        break;
      case 1:
        a.emit16(rv.cLi(d, imm6()));
        break;
      case 2:
        if (d !== SP) a.emit16(rv.cLui(d, imm6() || 1));
        break;
      case 3:
        a.emit16(rv.cSlli(d, r.pick([0, 1, 31, r.int(0, 31)])));
        break;
      case 4: {
        const op = r.pick(["c.srli", "c.srai", "c.andi"] as const);
        const v = op === "c.andi" ? imm6() : r.pick([0, 1, 31, r.int(0, 31)]);
        a.emit16(rv.cShiftAndi(op, r.pick(cw), v));
        break;
      }
      case 5: {
        const op = r.pick(["c.sub", "c.xor", "c.or", "c.and"] as const);
        a.emit16(rv.cAlu(op, r.pick(cw), cs()));
        break;
      }
      case 6:
      case 7: {
        const s = this.src();
        if (s) a.emit16(r.chance(0.5) ? rv.cMv(d, s) : rv.cAdd(d, s));
        break;
      }
      case 8: // s0 addresses the data region at offset 2048
        a.emit16(rv.cLw(r.pick(cw), S0, 4 * r.int(0, 31)));
        break;
      case 9:
        a.emit16(rv.cSw(cs(), S0, 4 * r.int(0, 31)));
        break;
      case 10: { // (sp + imm) - sp: reads sp, yet the same everywhere
        const t = r.pick(cw);
        a.emit16(rv.cAddi4spn(t, 4 * r.int(1, 255)));
        a.emit(rType("sub", t, t, SP));
        break;
      }
      case 11: { // c.beqz / c.bnez over a few instructions
        const over = a.newLabel();
        const op = r.pick(["c.beqz", "c.bnez"] as const), s = cs();
        a.fix16((pc, at) => rv.cBranch(op, s, at(over) - pc));
        for (let n = r.int(0, 3); n > 0; n--) this.simple(c.writable);
        a.bind(over);
        break;
      }
      case 12: { // c.j over a few instructions
        const over = a.newLabel();
        a.fix16((pc, at) => rv.cJ(at(over) - pc));
        for (let n = r.int(0, 3); n > 0; n--) this.simple(c.writable);
        a.bind(over);
        break;
      }
      default: { // a local function called by c.jal or c.jalr, returning by c.jr
        if (c.inLeaf) break;
        const fn = a.newLabel(), skip = a.newLabel();
        const others = c.writable.filter((k) => k !== 1);
        if (r.chance(0.5)) {
          a.fix16((pc, at) => rv.cJal(at(fn) - pc));
        } else {
          const t = r.pick(others), from = a.pc;
          a.emit(auipc(t, 0));
          a.fix((_pc, at) => iAlu("addi", t, t, at(fn) - from));
          a.emit16(rv.cJalr(t));
        }
        a.fix16((pc, at) => rv.cJ(at(skip) - pc));
        a.bind(fn);
        for (let n = r.int(1, 3); n > 0; n--) this.simple(others);
        if (r.chance(0.7)) a.emit16(rv.cJr(1));
        else a.emit(jalr(0, 1, 0));
        a.bind(skip);
      }
    }
  }

  /**
   * An atomic access to an aligned word of the data region: an amo*.w,
   * a lone lr.w or sc.w, or an lr.w/sc.w pair with a little in between
   * (the reservation rules of one hart, as qemu-riscv32 has them).
   */
  atomic(c: Ctx): void {
    const r = this.r, a = this.a;
    const base = r.pick(c.writable);
    a.emit(iAlu("andi", base, this.src(), r.pick([0x7fc, 0x3c, 0x4])));
    a.emit(rType("add", base, base, S0)); // s0 + [0, 0x7fc]: in the region
    const aq = r.int(0, 1), rl = r.int(0, 1);
    const rest = c.writable.filter((k) => k !== base);
    switch (r.int(0, 5)) {
      case 0:
      case 1:
      case 2:
        a.emit(rv.amo(r.key(AMO_OPS), this.dst(c), base, this.src(), aq, rl));
        break;
      case 3:
        a.emit(rv.lrW(this.dst(c), base, aq, rl));
        break;
      case 4:
        a.emit(rv.scW(this.dst(c), base, this.src(), aq, rl));
        break;
      default: {
        a.emit(rv.lrW(r.pick(rest), base, aq, rl));
        for (let n = r.int(0, 2); n > 0; n--) this.simple(rest);
        if (r.chance(0.2)) a.emit(store("sw", this.src(), base, 0));
        a.emit(rv.scW(this.dst(c), base, this.src(), aq, rl));
      }
    }
  }

  /**
   * Two reads of a counter CSR (values differ between emulators), then
   * the sign of `second - first`, which is 0 on both: the difference is
   * taken modulo 2^32, so a low word that wraps between the reads (`time`
   * every 4.3 s here, a host tick counter under qemu sooner) still gives
   * 0, where `sltu` gave 1. The two registers are cleared again.
   */
  counters(c: Ctx): void {
    const r = this.r, a = this.a;
    if (c.writable.length < 2) return;
    const x = r.pick(c.writable);
    const y = r.pick(c.writable.filter((k) => k !== x));
    const n = r.pick([0xc00, 0xc01, 0xc02]);
    a.emit(rv.csr(r.pick(["csrrs", "csrrc"] as const), x, n, 0));
    a.emit(rv.csr(r.pick(["csrrsi", "csrrci"] as const), y, n, 0));
    const d = this.dst(c);
    a.emit(rType("sub", d, y, x));
    a.emit(shiftImm("srli", d, d, 31));
    a.emit(...li(x, 0), ...li(y, 0));
  }

  /** A load or store at s0 + (reg & mask) + imm, or at s0 + imm. */
  memory(c: Ctx, isStore: boolean): void {
    const r = this.r, a = this.a;
    const op = isStore ? r.key(STORE_OPS) : r.key(LOAD_OPS);
    const size = isStore
      ? STORE_OPS[op as StoreOp][1]
      : LOAD_OPS[op as LoadOp][1];
    const lo = RANDOM_LOW - 2048;
    let base = S0, hi = DATA_SIZE - 2048 - size;
    if (r.chance(0.75)) {
      const mask = r.pick(MASKS);
      base = r.pick(c.writable);
      a.emit(iAlu("andi", base, this.src(), mask));
      a.emit(
        r.chance(0.5)
          ? rType("add", base, base, S0)
          : rType("add", base, S0, base),
      );
      hi -= mask;
    }
    let imm = r.int(lo, Math.min(hi, 2047));
    if (r.chance(0.3)) imm &= -size; // aligned more often than chance gives (lo is aligned)
    a.emit(
      isStore
        ? store(op as StoreOp, this.src(), base, imm)
        : load(op as LoadOp, this.dst(c), base, imm),
    );
  }

  /** A conditional branch over a few items. */
  forwardBranch(c: Ctx): void {
    const r = this.r, a = this.a;
    const over = a.newLabel();
    const op: BranchOp = r.key(BRANCH_OPS);
    const [x, y] = r.chance(0.1) ? [0, 0] : [this.src(), this.src()];
    a.fix((pc, at) => branch(op, x, y, at(over) - pc));
    this.body({ ...c, depth: c.depth + 1 }, r.int(0, 4));
    a.bind(over);
  }

  /** An unconditional forward jump (jal, or auipc + jalr, maybe with bit 0 set) over a few items. */
  forwardJump(c: Ctx): void {
    const r = this.r, a = this.a;
    const over = a.newLabel();
    const d = this.dst(c);
    if (r.chance(0.5)) {
      a.fix((pc, at) => jal(d, at(over) - pc));
    } else {
      const t = r.pick(c.writable), odd = r.int(0, 1);
      const from = a.pc;
      a.fix((_pc, at) => auipc(t, hiLo(at(over) - from + odd)[0]));
      a.fix((_pc, at) => jalr(d, t, hiLo(at(over) - from + odd)[1]));
    }
    this.body({ ...c, depth: c.depth + 1 }, r.int(0, 3));
    a.bind(over);
  }

  /** A loop of 1..12 iterations counted in s1, closed by one of several branch forms. */
  loop(c: Ctx): void {
    const r = this.r, a = this.a;
    const n = r.int(1, 12);
    const top = a.newLabel(), exit = a.newLabel();
    const kind = r.int(0, 4);
    a.emit(...li(S1, kind === 3 ? -n : n));
    a.bind(top);
    this.body({ ...c, inLoop: true, depth: c.depth + 1 }, r.int(1, 10));
    a.emit(iAlu("addi", S1, S1, kind === 3 ? 1 : -1));
    switch (kind) {
      case 0:
        a.fix((pc, at) => branch("bne", S1, 0, at(top) - pc));
        break;
      case 1:
        a.fix((pc, at) => branch("blt", 0, S1, at(top) - pc));
        break;
      case 2:
        a.fix((pc, at) => branch("bltu", 0, S1, at(top) - pc));
        break;
      case 3:
        a.fix((pc, at) => branch("blt", S1, 0, at(top) - pc));
        break;
      default:
        a.fix((pc, at) =>
          branch(r.pick(["bge", "bgeu", "beq"] as const), 0, S1, at(exit) - pc)
        );
        a.fix((pc, at) => jal(0, at(top) - pc));
    }
    a.bind(exit);
  }

  /** A call to a leaf function: jal, auipc + jalr, or an absolute address + jalr. */
  call(c: Ctx): void {
    const r = this.r, a = this.a;
    const leaf = r.pick(this.leaves);
    const L = leaf.link;
    switch (r.int(0, 2)) {
      case 0:
        a.fix((pc, at) => jal(L, at(leaf.label) - pc));
        break;
      case 1: {
        const t = r.chance(0.3) ? L : r.pick(c.writable);
        const from = a.pc;
        a.fix((_pc, at) => auipc(t, hiLo(at(leaf.label) - from)[0]));
        a.fix((_pc, at) => jalr(L, t, hiLo(at(leaf.label) - from)[1]));
        break;
      }
      default: {
        const t = r.pick(c.writable);
        a.fix((_pc, at) => lui(t, hiLo(at(leaf.label))[0]));
        a.fix((_pc, at) => iAlu("addi", t, t, hiLo(at(leaf.label))[1]));
        a.emit(jalr(L, t, 0));
      }
    }
  }

  /**
   * A system call whose result QEMU and oplet give alike: a write of a piece
   * of the data region, or a call that fails the same way (bad fd, bad
   * pointer, unknown number, _llseek/ioctl on a pipe, read at end of file),
   * or brk. The result lands in a0 like any register.
   */
  syscall(): void {
    const r = this.r, a = this.a;
    // not below RANDOM_LOW: x2's slot holds the initial sp, which differs between emulators
    const piece = () => DATA_ADDR + r.int(RANDOM_LOW, DATA_SIZE - 64);
    const [nr, args]: [number, number[]] = r.pick<[number, number[]]>([
      [64, [1, piece(), r.int(0, 64)]], // write(1, piece, n)
      [64, [1, piece(), r.int(0, 64)]],
      [64, [r.pick([0, 3, 7, -1]), piece(), r.int(1, 16)]], // EBADF
      [64, [1, r.pick([0, 0x800, 0xfffff000]), r.int(1, 16)]], // EFAULT
      [r.pick([500, 999, 2047]), [r.i32(), r.i32(), r.i32()]], // ENOSYS
      [57, [r.pick([-5, 1000, 4095, 0x7fffffff]), 0, 0]], // close: EBADF (small fds may be QEMU's own)
      [63, [0, piece(), r.int(0, 64)]], // read from an empty stdin: 0
      [62, [1, 0, r.int(0, 100), piece(), r.int(0, 2)]], // _llseek on a pipe: ESPIPE
      [29, [1, 0x5401, piece()]], // ioctl TCGETS on a pipe: ENOTTY
      [214, [r.chance(0.3) ? 0 : DATA_ADDR + r.int(0, 0x400000)]], // brk
    ]);
    args.forEach((v, k) => a.emit(...li(10 + k, v)));
    a.emit(...li(17, nr), ecall());
  }

  /** Push 16 bytes, load them back at random widths and alignments, pop. */
  stack(c: Ctx): void {
    const r = this.r, a = this.a;
    const short = r.chance(0.4); // compressed sp-relative forms
    if (short) a.emit16(rv.cAddi16sp(-16));
    else a.emit(iAlu("addi", SP, SP, -16));
    for (let k = 0; k < 16; k += 4) {
      if (short) a.emit16(rv.cSwsp(this.src(), k));
      else a.emit(store("sw", this.src(), SP, k));
    }
    if (short) {
      const d = this.dst(c);
      if (d !== 0) a.emit16(rv.cLwsp(d, 4 * r.int(0, 3)));
    }
    for (let n = r.int(0, 3); n > 0; n--) {
      const op = r.key(STORE_OPS), size = STORE_OPS[op][1];
      a.emit(store(op, this.src(), SP, r.int(0, 16 - size)));
    }
    for (let n = r.int(1, 4); n > 0; n--) {
      const op = r.key(LOAD_OPS), size = LOAD_OPS[op][1];
      a.emit(load(op, this.dst(c), SP, r.int(0, 16 - size)));
    }
    if (short) a.emit16(rv.cAddi16sp(16));
    else a.emit(iAlu("addi", SP, SP, 16));
  }

  /**
   * Stores every register into the data region, writes the region to stdout
   * (one write, two writes or a writev), then exits (exit or exit_group)
   * with a code from a register, or now and then dies of a fault that
   * QEMU and oplet must report alike.
   */
  epilogue(): void {
    const r = this.r, a = this.a;
    const exitReg = r.pick([
      1,
      3,
      4,
      5,
      6,
      7,
      10,
      11,
      12,
      13,
      14,
      15,
      16,
      17,
      18,
      28,
      29,
      30,
      31,
    ]);
    for (let k = 0; k < 32; k++) {
      if (k !== SP) a.emit(store("sw", k, S0, REG_SLOT(k)));
    }
    a.emit(load("lw", 5, S0, REG_SLOT(SP))); // initial sp, saved there by the prologue
    a.emit(rType("sub", 5, SP, 5));
    a.emit(store("sw", 5, S0, REG_SLOT(SP)));
    const split = r.int(0, DATA_SIZE);
    switch (r.int(0, 3)) {
      case 0: // two writes
        a.emit(
          ...li(17, 64),
          ...li(10, 1),
          ...li(11, DATA_ADDR),
          ...li(12, split),
          ecall(),
        );
        a.emit(
          ...li(17, 64),
          ...li(10, 1),
          ...li(11, DATA_ADDR + split),
          ...li(12, DATA_SIZE - split),
          ecall(),
        );
        break;
      case 1: // writev of two pieces, the iovec on the stack
        a.emit(iAlu("addi", SP, SP, -16));
        a.emit(
          ...li(5, DATA_ADDR),
          store("sw", 5, SP, 0),
          ...li(5, split),
          store("sw", 5, SP, 4),
        );
        a.emit(
          ...li(5, DATA_ADDR + split),
          store("sw", 5, SP, 8),
          ...li(5, DATA_SIZE - split),
          store("sw", 5, SP, 12),
        );
        a.emit(
          ...li(17, 66),
          ...li(10, 1),
          iAlu("addi", 11, SP, 0),
          ...li(12, 2),
          ecall(),
        );
        a.emit(iAlu("addi", SP, SP, 16));
        break;
      default:
        a.emit(
          ...li(17, 64),
          ...li(10, 1),
          ...li(11, DATA_ADDR),
          ...li(12, DATA_SIZE),
          ecall(),
        );
    }
    if (r.chance(0.85)) {
      a.emit(
        load("lw", 10, S0, REG_SLOT(exitReg)),
        ...li(17, r.pick([93, 94])),
        ecall(),
      );
      return;
    }
    const t = 6;
    switch (r.int(0, 10)) {
      case 7: // misaligned atomic: SIGBUS, whatever the memory
        a.emit(...li(t, r.pick([S0_VALUE, 0x10000, 0]) + r.int(1, 3)));
        a.emit(
          r.chance(0.5) ? rv.amo(r.key(AMO_OPS), 5, t, 5) : rv.lrW(5, t),
        );
        return;
      case 8: { // a write to a read-only counter: SIGILL
        const op = r.pick(["csrrw", "csrrs", "csrrwi"] as const);
        const n = r.pick(Object.values(rv.COUNTER_CSRS));
        const k = r.int(1, 31);
        // csrrs writes only with a nonzero mask (qemu checks the value)
        if (op === "csrrs") a.emit(...li(t, k));
        a.emit(rv.csr(op, 5, n, op === "csrrs" ? t : k));
        return;
      }
      case 9: // c.ebreak, or the all-zero compressed word
        a.emit16(r.pick([rv.cEbreak(), 0x0000]));
        return;
      case 10: // an AMO on the read-only text: SIGSEGV
        a.emit(...li(t, TEXT_ADDR), rv.amo(r.key(AMO_OPS), 5, t, 5));
        return;
      case 0: // load below the first mapped page
        a.emit(load(r.key(LOAD_OPS), 5, 0, r.int(0, 2047)));
        break;
      case 1: // store high above anything mapped
        a.emit(
          lui(t, r.pick([0x40000, 0x80000, 0xc0000, 0xfffff])),
          store(r.key(STORE_OPS), 5, t, r.int(0, 2047)),
        );
        break;
      case 2: // jump to address 0 or near it
        a.emit(jalr(r.pick([0, 1]), 0, r.int(0, 511) * 4));
        break;
      case 3:
        a.emit(ebreak());
        break;
      case 4:
        a.emit(r.pick([0x00000000, 0xffffffff]));
        break;
      case 5: // load high
        a.emit(
          lui(t, r.pick([0x40000, 0x80000, 0xfffff])),
          load(r.key(LOAD_OPS), 5, t, r.int(0, 2047)),
        );
        break;
      default: // store below the first mapped page, through a register
        a.emit(...li(t, r.int(0, 0xff0)), store(r.key(STORE_OPS), 5, t, 0));
    }
  }

  program(opts: ProgramOptions): Uint8Array {
    const r = this.r, a = this.a;
    const all = Array.from({ length: 32 }, (_, k) => k).filter((k) =>
      ![0, SP, S0, S1].includes(k)
    );
    const nLeaves = opts.leaves ?? r.int(0, 4);
    for (let k = 0; k < nLeaves; k++) {
      this.leaves.push({ label: a.newLabel(), link: r.pick([1, 1, 5]) });
    }
    // prologue
    a.emit(...li(S0, S0_VALUE));
    a.emit(store("sw", SP, S0, REG_SLOT(SP)));
    a.emit(...li(S1, 0));
    for (const k of all) a.emit(...li(k, r.edgy()));
    this.body(
      { writable: all, inLoop: false, inLeaf: false, depth: 0 },
      opts.items ?? (r.chance(0.1) ? r.int(400, 1000) : r.int(30, 200)),
    );
    this.epilogue();
    for (const leaf of this.leaves) {
      a.bind(leaf.label);
      const writable = all.filter((k) => k !== leaf.link);
      this.body(
        { writable, inLoop: false, inLeaf: true, depth: 0 },
        r.int(1, 12),
      );
      a.emit(
        jalr(
          r.chance(0.8) ? 0 : r.pick(writable),
          leaf.link,
          r.chance(0.8) ? 0 : 1,
        ),
      );
    }
    return a.bytes();
  }
}

/** Generates the program for `seed` (deterministic: the same seed gives the same bytes). */
export function randomProgram(
  seed: number,
  opts: ProgramOptions = {},
): RandomProgram {
  const g = new Generator(seed);
  const text = g.program(opts);
  const r = g.r;
  const initLen = r.chance(0.2)
    ? 0
    : r.chance(0.2)
    ? DATA_SIZE
    : r.int(0, DATA_SIZE);
  const data = new Uint8Array(initLen);
  for (let k = 0; k < initLen; k += 4) {
    const v = r.u32();
    for (let b = 0; b < 4 && k + b < initLen; b++) data[k + b] = v >>> (8 * b);
  }
  const elf = writeElf({
    text,
    textAddr: TEXT_ADDR,
    data,
    bssSize: DATA_SIZE - initLen,
    dataAddr: DATA_ADDR,
  });
  return { seed, elf, text, minStdoutLength: DATA_SIZE };
}
