/**
 * Formatting generated TypeScript with `deno fmt`, run as a subprocess on
 * standard input, so that the generated modules pass `deno fmt --check`.
 *
 * @module
 */

import { GenError } from "./gen_error.ts";

/**
 * Formats TypeScript `text` with `deno fmt` (the running Deno's), using
 * the configuration found from `cwd` (default the current directory).
 * Throws {@link GenError} when the formatter cannot run or rejects the text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTypeScript } from "@oplet/gen";
 * assert.equal(await formatTypeScript("const a=1"), "const a = 1;\n");
 * ```
 */
export async function formatTypeScript(
  text: string,
  cwd?: string,
): Promise<string> {
  let child;
  try {
    child = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--ext=ts", "-"],
      cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    throw new GenError(
      `Cannot run "deno fmt" to format the generated code: ${
        (e instanceof Error ? e.message : String(e)).split("\n")[0]
      }`,
    );
  }
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    throw new GenError(`"deno fmt" rejected the generated code: ${why}`);
  }
  return new TextDecoder().decode(out.stdout);
}
