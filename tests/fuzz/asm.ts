/**
 * A tiny assembler for generated code: 32-bit instruction words and 16-bit
 * compressed instructions, and labels, with fix-ups for instructions that
 * depend on where a label ends up (branches, jumps, `auipc` pairs). A
 * fix-up's length (2 or 4 bytes) is fixed when it is emitted.
 *
 * @example
 * ```ts
 * import { Asm } from "./asm.ts";
 * import { branch, ecall } from "./rv_encode.ts";
 * const a = new Asm(0x10000);
 * const end = a.newLabel();
 * a.fix((pc, at) => branch("beq", 0, 0, at(end) - pc));
 * a.emit(ecall());
 * a.bind(end);
 * console.log(a.bytes().length); // 8
 * ```
 *
 * @module
 */

/** A label: an index into the labels an {@link Asm} has handed out. */
export type Label = number;

/** Computes one word from its own pc and the labels' addresses. */
export type Fixup = (pc: number, at: (l: Label) => number) => number;

/** Code being assembled at a fixed base address. */
export class Asm {
  /** The address of the first instruction. */
  readonly base: number;
  private readonly items: { size: 2 | 4; v: number | Fixup; at: number }[] = [];
  private readonly labels: number[] = [];
  private size = 0;

  /** Starts empty code at `base`. */
  constructor(base: number) {
    this.base = base;
  }

  /** The address the next instruction will have. */
  get pc(): number {
    return this.base + this.size;
  }

  private push(size: 2 | 4, v: number | Fixup): void {
    this.items.push({ size, v, at: this.size });
    this.size += size;
  }

  /** Appends 32-bit instruction words. */
  emit(...words: number[]): void {
    for (const w of words) this.push(4, w);
  }

  /** Appends 16-bit (compressed) instructions. */
  emit16(...halves: number[]): void {
    for (const h of halves) this.push(2, h);
  }

  /** Appends one 32-bit word computed when the labels are known. */
  fix(f: Fixup): void {
    this.push(4, f);
  }

  /** Appends one 16-bit instruction computed when the labels are known. */
  fix16(f: Fixup): void {
    this.push(2, f);
  }

  /** A new, unbound label. */
  newLabel(): Label {
    this.labels.push(-1);
    return this.labels.length - 1;
  }

  /** Binds `l` to the next instruction's address. */
  bind(l: Label): void {
    if (this.labels[l] !== -1) throw new Error(`Label ${l} is bound twice`);
    this.labels[l] = this.size;
  }

  /** The address of a bound label. */
  address(l: Label): number {
    const k = this.labels[l];
    if (k === undefined || k < 0) throw new Error(`Label ${l} is not bound`);
    return this.base + k;
  }

  /** The finished code, little-endian, with every fix-up resolved. */
  bytes(): Uint8Array {
    const at = (l: Label) => this.address(l);
    const out = new Uint8Array(this.size);
    for (const it of this.items) {
      const v = typeof it.v === "number" ? it.v : it.v(this.base + it.at, at);
      for (let k = 0; k < it.size; k++) out[it.at + k] = v >>> (8 * k);
    }
    return out;
  }
}
