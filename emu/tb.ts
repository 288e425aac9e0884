/**
 * Translated blocks (QEMU's `TranslationBlock`): a run of guest code
 * translated once into oplets, cached by its guest pc and chained to the
 * blocks it jumps to.
 *
 * @module
 */

import type { RunTb } from "./backends/backend.ts";

/**
 * Compiled code that a block is the entry of (the `jit` backend's regions):
 * it may run many blocks before it returns to the execution loop.
 */
export interface CompiledEntry {
  /**
   * Runs from the block on until control leaves compiled code, at most
   * about `budget` guest instructions (the loop stops at its limit after
   * the block that reaches it, as for interpreted blocks). Returns the
   * exit code of the last block (`EXIT_GOTO0`/`EXIT_GOTO1` mean: go on at
   * `s.pc`), with `s.pc` set.
   */
  enter(budget: number): number;
  /** Guest instructions of the blocks the last {@link enter} completed (also after a fault). */
  insns: number;
  /** Oplets those blocks count, as the interpreter would have dispatched them. */
  ops: number;
}

/** Most targets of an indirect jump that {@link TranslationBlock.lookups} keeps. */
export const LOOKUPS_MAX = 16;

/**
 * Notes that `tb`'s indirect exit went to `next` (called by the execution
 * loop when the target differs from the last one).
 */
export function noteLookup<S>(
  tb: TranslationBlock<S>,
  next: TranslationBlock<S>,
): void {
  const l = tb.lookups;
  if (l === null) tb.lookups = [next];
  else if (l.length < LOOKUPS_MAX && !l.includes(next)) l.push(next);
}

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
  /** The block's base oplets before collapsing (the same array when unfused). */
  base: Int32Array;
  /** The block that exit slot 0 leads to, once known (QEMU's TB chaining). */
  jmp0: TranslationBlock<S> | null = null;
  /** The block that exit slot 1 leads to, once known. */
  jmp1: TranslationBlock<S> | null = null;
  /** The block its indirect exit (`EXIT_LOOKUP`) went to last, while interpreted (a hint for regions). */
  jmpL: TranslationBlock<S> | null = null;
  /**
   * The distinct blocks its indirect exit went to while interpreted, at most
   * {@link LOOKUPS_MAX} (noted when the target changes): a region takes them
   * all, so that an interpreter's dispatch jump stays inside one region.
   */
  lookups: TranslationBlock<S>[] | null = null;
  /** Executions left until the block is hot (counted down by the loop while interpreted). */
  heat: number = Number.MAX_SAFE_INTEGER;
  /** Compiled code entered at this block, if any (run instead of {@link run}). */
  compiled: CompiledEntry | null = null;

  /** Creates a block; see the fields for the meaning of each argument. */
  constructor(
    id: number,
    pc: number,
    icount: number,
    code: Int32Array,
    nops: number,
    run: RunTb<S>,
    base: Int32Array = code,
  ) {
    this.id = id;
    this.pc = pc;
    this.icount = icount;
    this.code = code;
    this.nops = nops;
    this.run = run;
    this.base = base;
  }
}
