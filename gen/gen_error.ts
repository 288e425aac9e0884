/**
 * The error the generator reports to its user: a one-line message, no stack.
 *
 * @module
 */

/**
 * A problem with the generator's input (the oplet source, the analysis, the
 * options or the output directory): its message is one line in sentence
 * case, quoting the bad value, and the command line prints only that.
 */
export class GenError extends Error {
  /** Creates the error; `message` is the whole one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "GenError";
  }
}

/**
 * Quotes a value from an untrusted input for an error message: JSON, cut
 * to `max` characters, on one line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quote } from "@oplet/gen";
 * assert.equal(quote("a\nb"), '"a\\nb"');
 * ```
 */
export function quote(value: unknown, max = 40): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  // deno-lint-ignore no-control-regex
  text = text.replace(/[\u0000-\u001f\u2028\u2029]/g, " ");
  return text.length > max ? text.slice(0, max - 3) + "..." : text;
}
