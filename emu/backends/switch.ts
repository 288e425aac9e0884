/**
 * The `switch` backend: one function with a `switch` over oplet numbers, one
 * case per oplet, built when the machine starts from each oplet's syntax
 * tree, much as dyngen pasted the compiled oplets. A case continues the loop
 * where the oplet would `return i + n`, and returns where it exits.
 * Temporaries become the dispatcher's local variables, which are dead at
 * block boundaries (the translator never carries a temporary across one),
 * and hoisted fields are read once per block.
 *
 * @module
 */

import type { OpletDef } from "../oplet.ts";
import { printStmts } from "../oplet_source.ts";
import { offsetFromI, readOplet } from "../oplet_rules.ts";
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

/**
 * One oplet's code as a `switch` case numbered `n` (see the module doc).
 * Throws `DispatchError` when the oplet breaks a rule of `oplet_rules.ts`.
 */
export function switchCase<S>(
  o: OpletDef<S>,
  n: number,
  hoisted: readonly string[] = [],
): string {
  const r = readOplet(o, hoisted);
  const body = printStmts(r.body, {
    expr: localHooks(hoisted),
    stmt: (st) => {
      if (st.k !== "return" || !st.e) return;
      const k = offsetFromI(st.e);
      return k === undefined ? undefined : `i += ${k};\ncontinue;`;
    },
  });
  return `case ${n}: {\n${body}\n}`;
}

/**
 * The `switch` dispatcher for an oplet table; `helpers` are the names the
 * oplets' bodies use besides the state (their module's imports), and
 * `hoisted` the state's fields that never change after it is created
 * (read once per block into locals). Throws `DispatchError` when an
 * oplet breaks a rule of `oplet_rules.ts`.
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
  let i = 0;
  ${TEMP_LOCALS}
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

/** The `switch` backend: every block runs on one {@link switchDispatcher}. */
export class SwitchBackend<S> extends InterpreterBackend<S> {
  /** The dispatcher every block runs on. */
  readonly run: RunTb<S>;
  /** Builds the dispatcher for the context's oplets. */
  constructor(ctx: BackendContext<S>) {
    super();
    this.run = switchDispatcher(ctx.oplets, ctx.helpers, ctx.hoisted);
  }
  /** The one dispatcher. */
  runFor(): RunTb<S> {
    return this.run;
  }
}
