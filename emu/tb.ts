/**
 * Translated blocks (QEMU's `TranslationBlock`): a run of guest code
 * translated once into oplets, cached by its guest pc and chained to the
 * blocks it jumps to.
 *
 * @module
 */

/** A translated block. */
export class TranslationBlock {
  /** A unique id, counting translations from 0 (a retranslation gets a new one). */
  readonly id: number;
  /** The guest pc of its first instruction. */
  readonly pc: number;
  /** How many guest instructions it covers. */
  readonly icount: number;
  /** Oplet numbers interleaved with their parameters, after collapsing. */
  readonly code: Int32Array;
  /** How many oplets one execution dispatches. */
  readonly nops: number;
  /** The block that exit slot 0 leads to, once known (QEMU's TB chaining). */
  jmp0: TranslationBlock | null = null;
  /** The block that exit slot 1 leads to, once known. */
  jmp1: TranslationBlock | null = null;

  /** Creates a block; see the fields for the meaning of each argument. */
  constructor(
    id: number,
    pc: number,
    icount: number,
    code: Int32Array,
    nops: number,
  ) {
    this.id = id;
    this.pc = pc;
    this.icount = icount;
    this.code = code;
    this.nops = nops;
  }
}
