/**
 * Dispatchers: the ways of running a translated block's oplets. Each turns
 * an oplet table into a `RunTb` function that runs one block's code until an
 * oplet leaves the block, and returns that oplet's `EXIT_*` code.
 *
 * - `switch` (the default, measured fastest): one function with a `switch`
 *   over oplet numbers, one case per oplet, built when the machine starts by
 *   pasting each oplet's own code (its `Function.prototype.toString()`) into
 *   a case, much as dyngen pasted the compiled oplets. A case continues the
 *   loop where the oplet would `return i + n`, and returns where it exits.
 *   Temporaries `s.t0`..`s.t2` become the dispatcher's local variables,
 *   which are dead at block boundaries (the translator never carries a
 *   temporary across one).
 * - `call`: an array of the oplet functions called in a loop.
 * - `paste`: no dispatch at all, as dyngen itself did it: each block
 *   becomes one function, its oplets' bodies pasted one after another with
 *   their parameters patched in as constants (dyngen patched them into the
 *   copied machine code), compiled when the block is translated. The
 *   JavaScript engine then optimises across every oplet boundary of the
 *   block, fused or not, which is why fusion gains little here; see the
 *   README's measurements.
 *
 * `deno task bench` runs all three side by side.
 *
 * @module
 */

import type { OpletDef, OpletFn } from "./oplet.ts";

/** Runs one block's code from its first oplet; returns the exit code. */
export type RunTb<S> = (s: S, code: Int32Array) => number;

/** The dispatchers that exist. */
export const BACKENDS = ["switch", "call", "paste"] as const;

/** A dispatcher's name. */
export type Backend = typeof BACKENDS[number];

/**
 * The `call` dispatcher: calls `fns[code[i]](s, code, i)` until one returns
 * a negative exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { callDispatcher } from "@oplet/emu";
 * const fns = [(_s: unknown, _c: Int32Array, i: number) => i + 1, () => -1];
 * assert.equal(callDispatcher(fns)(null, new Int32Array([0, 0, 1])), -1);
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

/** An oplet whose code does not follow the conventions the `switch` dispatcher pastes. */
export class DispatchError extends Error {
  /** Creates the error; `message` is the whole one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "DispatchError";
  }
}

const HEAD = /^function\s*[\w$]*\s*\(\s*s\s*,\s*c\s*,\s*i\s*,?\s*\)\s*\{/;
const TAIL = /return i \+ (\d+);\s*\}$/;

/**
 * One oplet's body as source text, ready to be pasted: without its
 * `function op_NAME(s, c, i) {` head and closing brace, with `s.t0`..`s.t2`
 * renamed `$t0`..`$t2` and each `hoisted` field `s.f` renamed `$f`. A
 * non-exit oplet's final `return i + N;` is kept. Throws
 * {@link DispatchError} when the text is not in the expected form (for
 * example after minification).
 */
export function opletBody<S>(
  o: OpletDef<S>,
  hoisted: readonly string[] = [],
): string {
  const src = o.fn.toString().trim();
  if (!HEAD.test(src)) {
    throw new DispatchError(
      `Oplet "${o.name}" does not start as "function op_NAME(s, c, i) {"`,
    );
  }
  if (!o.exit && !TAIL.test(src)) {
    throw new DispatchError(
      `Oplet "${o.name}" does not end with "return i + N;"`,
    );
  }
  let body = src.replace(HEAD, "").replace(/\}$/, "");
  body = body.replace(/\bs\.t([012])\b/g, "$$t$1");
  for (const f of hoisted) {
    body = body.replaceAll(new RegExp(`\\bs\\.${f}\\b`, "g"), "$$" + f);
  }
  return body;
}

/** Throws {@link DispatchError} unless every name can be a local's suffix. */
function checkHoisted(hoisted: readonly string[]): void {
  for (const f of hoisted) {
    if (!/^[a-z]\w*$/i.test(f)) {
      throw new DispatchError(`Field name "${f}" cannot be hoisted`);
    }
  }
}

/**
 * Pastes one oplet's code into a `switch` case (see the module doc).
 * Throws {@link DispatchError} when its text is not in the expected form.
 */
export function switchCase<S>(
  o: OpletDef<S>,
  n: number,
  hoisted: readonly string[] = [],
): string {
  // Only the final return of a non-exit oplet continues; early returns of
  // exit oplets leave the dispatcher with their exit code.
  const body = opletBody(o, hoisted).replace(
    /return i \+ (\d+);/g,
    "i += $1;\ncontinue;",
  );
  return `case ${n}: {${body}}`;
}

/**
 * The `switch` dispatcher for an oplet table; `helpers` are the names the
 * oplets' bodies use besides the state (their module's imports), and
 * `hoisted` the state's fields that never change after it is created
 * (read once per block into locals). Throws
 * {@link DispatchError} when an oplet's text is not in the expected form
 * (for example after minification).
 */
export function switchDispatcher<S>(
  oplets: readonly OpletDef<S>[],
  helpers: Record<string, unknown>,
  hoisted: readonly string[] = [],
): RunTb<S> {
  checkHoisted(hoisted);
  const cases = oplets.map((o, n) => switchCase(o, n, hoisted)).join("\n");
  const locals = hoisted.map((f) => `$${f} = s.${f}`).join(", ");
  const src = `"use strict";
return function runTbSwitch(s, c) {
  let i = 0, $t0 = 0, $t1 = 0, $t2 = 0;
  ${locals ? `const ${locals};` : ""}
  for (;;) {
    switch (c[i]) {
${cases}
      default:
        throw new Error("Unknown oplet " + c[i] + " at index " + i);
    }
  }
};`;
  return instantiate(helpers, src, "build the switch dispatcher");
}

/**
 * Compiles `src` (a function body that returns a `RunTb`) with the helpers
 * in scope under their names; a syntax error becomes a
 * {@link DispatchError} saying what could not be done.
 */
function instantiate<S>(
  helpers: Record<string, unknown>,
  src: string,
  what: string,
): RunTb<S> {
  const names = Object.keys(helpers);
  try {
    return new Function(...names, src)(...names.map((k) => helpers[k]));
  } catch (e) {
    throw new DispatchError(`Cannot ${what}: ${(e as Error).message}`);
  }
}

/** Turns one block's code into a function that runs it (the `paste` backend). */
export type BlockCompiler<S> = (code: Int32Array, name: string) => RunTb<S>;

const PARAM = /\bc\[i \+ (\d+)\]/g;

/**
 * The `paste` backend (see the module doc): returns a compiler that turns a
 * block's code into one function, its oplets' bodies pasted in order with
 * each parameter `c[i + k]` replaced by its value. `helpers` and `hoisted`
 * are as for {@link switchDispatcher}. Throws {@link DispatchError} when an
 * oplet's text is not in the expected form, or when a block's pasted code
 * does not compile.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
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
 * assert.equal(run(s, new Int32Array(0)), -1);
 * assert.equal(s.pc, 12);
 * ```
 */
export function pasteCompiler<S>(
  oplets: readonly OpletDef<S>[],
  helpers: Record<string, unknown>,
  hoisted: readonly string[] = [],
): BlockCompiler<S> {
  checkHoisted(hoisted);
  const bodies = oplets.map((o) => {
    const b = opletBody(o, hoisted).replace(/return i \+ \d+;\s*$/, "");
    if (/\bc\[(?!i \+ \d+\])|\bi\b(?! \+ \d+\])/.test(b)) {
      throw new DispatchError(
        `Oplet "${o.name}" uses "c" or "i" other than as "c[i + N]"`,
      );
    }
    return b;
  });
  // Which hoisted fields each oplet's body reads: a block loads only theirs.
  const reads = bodies.map((b) =>
    hoisted.map((f) => new RegExp(`\\$${f}\\b`).test(b))
  );
  return (code: Int32Array, name: string): RunTb<S> => {
    let text = "";
    const used = hoisted.map(() => false);
    for (let i = 0; i < code.length;) {
      const op = code[i];
      const o = oplets[op];
      if (o === undefined) {
        throw new DispatchError(`Unknown oplet ${op} at index ${i}`);
      }
      const at = i;
      text += "{" +
        bodies[op].replace(PARAM, (_m, k) => `(${code[at + Number(k)]})`) +
        "}\n";
      reads[op].forEach((r, k) => (used[k] ||= r));
      i += 1 + o.params;
    }
    const locals = hoisted.filter((_f, k) => used[k]).map((f) =>
      `$${f} = s.${f}`
    ).join(", ");
    const id = name.replace(/\W/g, "_");
    const src = `"use strict";
return function ${id}(s, _c) {
  let $t0 = 0, $t1 = 0, $t2 = 0;
  ${locals ? `const ${locals};` : ""}
${text}
  throw new Error("Block ${id} ran past its last oplet");
};`;
    return instantiate(helpers, src, `compile block ${name}`);
  };
}
