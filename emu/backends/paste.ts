/**
 * The `paste` backend: no dispatch at all, as dyngen itself did it: each
 * block becomes one function, its oplets' bodies pasted one after another
 * with their parameters patched in as constants (dyngen patched them into
 * the copied machine code), compiled when the block is translated. The
 * JavaScript engine then optimises across every oplet boundary of the
 * block, fused or not, which is why fusion gains little here; see the
 * README's measurements.
 *
 * @module
 */

import type { OpletDef } from "../oplet.ts";
import { printStmts, type Stmt } from "../oplet_source.ts";
import {
  DispatchError,
  offsetFromI,
  paramRef,
  readOplet,
} from "../oplet_rules.ts";
import {
  type BackendContext,
  InterpreterBackend,
  type RunTb,
} from "./backend.ts";
import {
  checkHoisted,
  instantiate,
  localHooks,
  TEMP_LOCALS,
} from "./source.ts";

/** Turns one block's code into a function that runs it (the `paste` backend). */
export type BlockCompiler<S> = (code: Int32Array, name: string) => RunTb<S>;

/**
 * The `paste` backend (see the module doc): returns a compiler that turns a
 * block's code into one function, its oplets' bodies pasted in order with
 * each parameter `c[i + k]` replaced by its value. `helpers` and `hoisted`
 * are as for `switchDispatcher`. Throws `DispatchError` when an oplet
 * breaks a rule of `oplet_rules.ts`, or when a block's pasted code does not
 * compile.
 *
 * @example
 * ```ts
 * import { defineOplet, pasteCompiler } from "@oplet/emu";
 * type S = { t0: number; pc: number };
 * function op_addi(s: S, c: Int32Array, i: number): number {
 *   s.t0 = (s.t0 + c[i + 1]) | 0;
 *   return i + 2;
 * }
 * function op_exit(s: S, c: Int32Array, i: number): number {
 *   s.pc = s.t0;
 *   return -1;
 * }
 * const compile = pasteCompiler([defineOplet(op_addi, 1), defineOplet(op_exit, 0, true)], {});
 * const run = compile(new Int32Array([0, 5, 0, 7, 1]), "demo");
 * const s = { t0: 0, pc: 0 };
 * console.log(run(s, new Int32Array(0)), s.pc); // -1 12
 * ```
 */
export function pasteCompiler<S>(
  oplets: readonly OpletDef<S>[],
  helpers: Record<string, unknown>,
  hoisted: readonly string[] = [],
): BlockCompiler<S> {
  checkHoisted(hoisted);
  const read = oplets.map((o) => readOplet(o, hoisted));
  // Which hoisted fields each oplet reads: a block loads only theirs.
  const reads = read.map((r) => hoisted.map((f) => r.reads.has(f)));
  return (code: Int32Array, name: string): RunTb<S> => {
    let text = "";
    const used = hoisted.map(() => false);
    for (let i = 0, n = 0; i < code.length; n++) {
      const op = code[i];
      const r = read[op];
      if (r === undefined) {
        throw new DispatchError(`Unknown oplet ${op} at index ${i}`);
      }
      const at = i;
      const label = `op${n}`;
      // The final "return i + N" falls through to the next oplet; an
      // earlier one leaves the oplet's labelled block.
      const last = r.body.at(-1);
      const body: Stmt[] = last?.k === "return" && last.e &&
          offsetFromI(last.e) !== undefined
        ? r.body.slice(0, -1)
        : r.body;
      text += `${label}: {\n` + printStmts(body, {
        expr: localHooks(hoisted, (e) => {
          const k = paramRef(e);
          return k === undefined ? undefined : `(${code[at + k]})`;
        }),
        stmt: (st) =>
          st.k === "return" && st.e && offsetFromI(st.e) !== undefined
            ? `break ${label};`
            : undefined,
      }) + "\n}\n";
      reads[op].forEach((x, k) => (used[k] ||= x));
      i += 1 + r.params;
    }
    const locals = hoisted.filter((_f, k) => used[k]).map((f) =>
      `$${f} = s.${f}`
    ).join(", ");
    const id = name.replace(/\W/g, "_");
    const src = `"use strict";
return function ${id}(s, _c) {
  ${TEMP_LOCALS}
  ${locals ? `const ${locals};` : ""}
${text}
  throw new Error("Block ${id} ran past its last oplet");
};`;
    return instantiate(helpers, src, `compile block ${name}`);
  };
}

/** The `paste` backend: each block gets its own compiled function. */
export class PasteBackend<S> extends InterpreterBackend<S> {
  private readonly compile: BlockCompiler<S>;
  /** Reads the context's oplets once. */
  constructor(ctx: BackendContext<S>) {
    super();
    this.compile = pasteCompiler(ctx.oplets, ctx.helpers, ctx.hoisted);
  }
  /** Compiles the block. */
  runFor(code: Int32Array, name: string): RunTb<S> {
    return this.compile(code, name);
  }
}
