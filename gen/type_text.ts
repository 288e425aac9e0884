/**
 * Naming the types of the state fields and helpers that fused oplets use, so
 * that the generated module type-checks standalone, without importing the
 * emulator: the state becomes a structural type of just the fields the
 * bodies touch. A field's type is named from its value in a state the
 * emulator creates (a number, a boolean, a typed array). A helper is a
 * number or a function; a function is typed loosely, as taking the state,
 * numbers and booleans and giving a number: the bodies that call it were
 * type-checked against its real signature where the emulator declares it.
 *
 * @module
 */

import { GenError } from "./gen_error.ts";
import { STATE_TYPE_NAME } from "./limits.ts";

/** The loose type of a helper function in a generated module. */
export const HELPER_FN_TYPE =
  `(...args: (${STATE_TYPE_NAME} | number | boolean)[]) => number`;

const TYPED_ARRAYS = new Set([
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
]);

/** The type text of a value, or null when a generated module cannot name it. */
function valueType(v: unknown): string | null {
  switch (typeof v) {
    case "number":
    case "boolean":
    case "string":
    case "bigint":
      return typeof v;
  }
  if (ArrayBuffer.isView(v) && TYPED_ARRAYS.has(v.constructor.name)) {
    return v.constructor.name;
  }
  return null;
}

/**
 * The type of each named state field, as TypeScript text, from its value
 * in `state` (for example `x` gives `Int32Array`).
 */
export function stateFieldTypes(
  state: object,
  fields: Iterable<string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of fields) {
    if (!(name in state)) {
      throw new GenError(
        `The state type has no field "${name}", which an oplet uses`,
      );
    }
    const t = valueType((state as Record<string, unknown>)[name]);
    if (t === null) {
      throw new GenError(
        `The state field "${name}" has a type that the generated module cannot name`,
      );
    }
    out.set(name, t);
  }
  return out;
}

/** The type of each named helper, as TypeScript text, from its value. */
export function helperTypes(
  values: Readonly<Record<string, unknown>>,
  helpers: Iterable<string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of helpers) {
    const v = values[name];
    const t = typeof v === "function" ? HELPER_FN_TYPE : valueType(v);
    if (t === null) {
      throw new GenError(
        `The helper "${name}" has a type that the generated module cannot name`,
      );
    }
    out.set(name, t);
  }
  return out;
}
