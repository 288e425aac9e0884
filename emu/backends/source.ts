/**
 * Generating JavaScript from oplet syntax trees, shared by the `switch` and
 * `paste` backends: the temporaries and hoisted fields become locals, and
 * the generated source is compiled with the helpers in scope.
 *
 * @module
 */

import type { Expr, PrintHooks } from "../oplet_source.ts";
import { DispatchError, stateField, TEMPS } from "../oplet_rules.ts";

/** Throws {@link DispatchError} unless every name can be a local's suffix. */
export function checkHoisted(hoisted: readonly string[]): void {
  for (const f of hoisted) {
    if (!/^[a-z]\w*$/i.test(f)) {
      throw new DispatchError(`Field name "${f}" cannot be hoisted`);
    }
  }
}

/** The local a temporary or hoisted field `s.f` becomes, if it does. */
export function localFor(
  e: Expr,
  hoisted: readonly string[],
): string | undefined {
  const f = stateField(e);
  if (f !== undefined && (TEMPS.includes(f) || hoisted.includes(f))) {
    return "$" + f;
  }
}

/** Print hooks that rename temporaries and hoisted fields, then ask `more`. */
export function localHooks(
  hoisted: readonly string[],
  more: (e: Expr) => string | undefined = () => undefined,
): NonNullable<PrintHooks["expr"]> {
  return (e) => localFor(e, hoisted) ?? more(e);
}

/** `let $t0 = 0, ...;` declaring every temporary. */
export const TEMP_LOCALS: string = `let ${
  TEMPS.map((t) => `$${t} = 0`).join(", ")
};`;

/**
 * Compiles `src` (a function body that returns a function) with the helpers
 * in scope under their names; a syntax error becomes a
 * {@link DispatchError} saying what could not be done.
 */
export function instantiate<F>(
  helpers: Record<string, unknown>,
  src: string,
  what: string,
): F {
  const names = Object.keys(helpers);
  try {
    return new Function(...names, src)(...names.map((k) => helpers[k]));
  } catch (e) {
    throw new DispatchError(`Cannot ${what}: ${(e as Error).message}`);
  }
}
