/**
 * A tiny assembler for generated code: instruction words and labels, with
 * fix-ups for words that depend on where a label ends up (branches, jumps,
 * `auipc` pairs). Every instruction is 4 bytes, so a fix-up's length is
 * fixed when it is emitted.
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
 * console.log(a.words().length); // 2
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
  /** The address of the first word. */
  readonly base: number;
  private readonly items: (number | Fixup)[] = [];
  private readonly labels: number[] = [];

  /** Starts empty code at `base`. */
  constructor(base: number) {
    this.base = base;
  }

  /** The address the next word will have. */
  get pc(): number {
    return this.base + 4 * this.items.length;
  }

  /** Appends instruction words. */
  emit(...words: number[]): void {
    this.items.push(...words);
  }

  /** Appends one word computed when the labels are known. */
  fix(f: Fixup): void {
    this.items.push(f);
  }

  /** A new, unbound label. */
  newLabel(): Label {
    this.labels.push(-1);
    return this.labels.length - 1;
  }

  /** Binds `l` to the next word's address. */
  bind(l: Label): void {
    if (this.labels[l] !== -1) throw new Error(`Label ${l} is bound twice`);
    this.labels[l] = this.items.length;
  }

  /** The address of a bound label. */
  address(l: Label): number {
    const k = this.labels[l];
    if (k === undefined || k < 0) throw new Error(`Label ${l} is not bound`);
    return this.base + 4 * k;
  }

  /** The finished words, with every fix-up resolved. */
  words(): number[] {
    const at = (l: Label) => this.address(l);
    return this.items.map((w, k) =>
      typeof w === "number" ? w >>> 0 : w(this.base + 4 * k, at) >>> 0
    );
  }
}
