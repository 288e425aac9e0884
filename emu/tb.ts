/**
 * Translated blocks (QEMU's `TranslationBlock`): a run of guest code
 * translated once into oplets, cached by its guest pc and chained to the
 * blocks it jumps to.
 *
 * @module
 */

import type { RunTb } from "./dispatch.ts";

/** A translated block; `S` is the CPU state its code runs on. */
export class TranslationBlock<S = unknown> {
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
  /**
   * Runs the block: `run(s, code)` returns its exit code. The machine's
   * dispatcher for the `switch` and `call` backends, the block's own pasted
   * function for `paste`.
   */
  readonly run: RunTb<S>;
  /** The block that exit slot 0 leads to, once known (QEMU's TB chaining). */
  jmp0: TranslationBlock<S> | null = null;
  /** The block that exit slot 1 leads to, once known. */
  jmp1: TranslationBlock<S> | null = null;

  /** Creates a block; see the fields for the meaning of each argument. */
  constructor(
    id: number,
    pc: number,
    icount: number,
    code: Int32Array,
    nops: number,
    run: RunTb<S>,
  ) {
    this.id = id;
    this.pc = pc;
    this.icount = icount;
    this.code = code;
    this.nops = nops;
    this.run = run;
  }
}
