/**
 * Text helpers for the generated modules and the commands they record.
 *
 * @module
 */

/**
 * Escapes text for a single-line comment: anything outside printable ASCII
 * becomes `\uXXXX`, so that no line break or comment end can get through.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commentText } from "@oplet/gen";
 * assert.equal(commentText("a\nb"), "a\\u000ab");
 * ```
 */
export function commentText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code > 0xffff) {
      out += `\\u{${code.toString(16)}}`;
    } else out += `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return out.replaceAll("*/", "*\\/");
}

/**
 * One command-line word as a POSIX shell reads it back: plain words as they
 * are, others in single quotes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellWord } from "@oplet/gen";
 * assert.equal(shellWord("--out"), "--out");
 * assert.equal(shellWord("it's"), `'it'\\''s'`);
 * ```
 */
export function shellWord(arg: string): string {
  let plain = arg.length > 0;
  for (const ch of arg) {
    if (!/[A-Za-z0-9_.,:=/@%+-]/.test(ch)) plain = false;
  }
  return plain ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
