/**
 * The `call` backend: an array of the oplet functions called in a loop.
 *
 * @module
 */

import type { OpletFn } from "../oplet.ts";
import {
  type BackendContext,
  InterpreterBackend,
  type RunTb,
} from "./backend.ts";

/**
 * The `call` dispatcher: calls `fns[code[i]](s, code, i)` until one returns
 * a negative exit code.
 *
 * @example
 * ```ts
 * import { callDispatcher } from "@oplet/emu";
 * const fns = [(_s: unknown, _c: Int32Array, i: number) => i + 1, () => -1];
 * console.log(callDispatcher(fns)(null, new Int32Array([0, 0, 1]))); // -1
 * ```
 */
export function callDispatcher<S>(fns: readonly OpletFn<S>[]): RunTb<S> {
  const table = fns.slice();
  return function runTbCall(s: S, code: Int32Array): number {
    let i = 0;
    do {
      i = table[code[i]](s, code, i);
    } while (i >= 0);
    return i;
  };
}

/** The `call` backend: every block runs on one {@link callDispatcher}. */
export class CallBackend<S> extends InterpreterBackend<S> {
  private readonly run: RunTb<S>;
  /** Builds the dispatcher for the context's oplets. */
  constructor(ctx: BackendContext<S>) {
    super();
    this.run = callDispatcher(ctx.oplets.map((o) => o.fn));
  }
  /** The one dispatcher. */
  runFor(): RunTb<S> {
    return this.run;
  }
}
