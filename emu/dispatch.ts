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
 *
 * `deno task bench` runs both side by side.
 *
 * @module
 */

import type { OpletDef, OpletFn } from "./oplet.ts";

/** Runs one block's code from its first oplet; returns the exit code. */
export type RunTb<S> = (s: S, code: Int32Array) => number;

/** The dispatchers that exist. */
export const BACKENDS = ["switch", "call"] as const;

/** A dispatcher's name. */
export type Backend = typeof BACKENDS[number];

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
 * Pastes one oplet's code into a `switch` case (see the module doc).
 * Throws {@link DispatchError} when its text is not in the expected form.
 */
export function switchCase<S>(
  o: OpletDef<S>,
  n: number,
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
  // Only the final return of a non-exit oplet continues; early returns of
  // exit oplets leave the dispatcher with their exit code.
  body = body.replace(/return i \+ (\d+);/g, "i += $1;\ncontinue;");
  body = body.replace(/\bs\.t([012])\b/g, "$$t$1");
  for (const f of hoisted) {
    body = body.replaceAll(new RegExp(`\\bs\\.${f}\\b`, "g"), "$$" + f);
  }
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
  for (const f of hoisted) {
    if (!/^[a-z]\w*$/i.test(f)) {
      throw new DispatchError(`Field name "${f}" cannot be hoisted`);
    }
  }
  const cases = oplets.map((o, n) => switchCase(o, n, hoisted)).join("\n");
  const locals = hoisted.map((f) => `$${f} = s.${f}`).join(", ");
  const names = Object.keys(helpers);
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
  try {
    const factory = new Function(...names, src);
    return factory(...names.map((k) => helpers[k])) as RunTb<S>;
  } catch (e) {
    throw new DispatchError(
      `Cannot build the switch dispatcher: ${(e as Error).message}`,
    );
  }
}
