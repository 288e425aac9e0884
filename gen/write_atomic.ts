/**
 * Writing generated files atomically: each to a temporary file in the same
 * directory, then renamed over the old one, so that a reader sees either
 * the old file or the new one, never half of one.
 *
 * @module
 */

import { join } from "node:path";
import { GenError, quote } from "./gen_error.ts";

/**
 * Writes `files` (file name to text) into directory `dir` (created first,
 * with its parents, when `create` is set), all temporary files first, then
 * the renames; on failure removes the temporary files and throws
 * {@link GenError} naming the directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFilesAtomic } from "@oplet/gen";
 * const dir = await Deno.makeTempDir();
 * await writeFilesAtomic(`${dir}/out`, { "a.ts": "export const A = 1;\n" }, {
 *   create: true,
 * });
 * assert.equal(await Deno.readTextFile(`${dir}/out/a.ts`), "export const A = 1;\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFilesAtomic(
  dir: string,
  files: Readonly<Record<string, string>>,
  options: { create?: boolean } = {},
): Promise<void> {
  const temps: [string, string][] = [];
  const tag = `${Deno.pid}.${crypto.randomUUID().slice(0, 8)}`;
  await checkOutputDir(dir, options);
  if (options.create) {
    try {
      await Deno.mkdir(dir, { recursive: true });
    } catch (e) {
      throw new GenError(
        `Cannot create the output directory ${quote(dir, 200)}: ${reason(e)}`,
      );
    }
  }
  try {
    for (const [name, text] of Object.entries(files)) {
      const tmp = join(dir, `.${name}.${tag}.tmp`);
      await Deno.writeTextFile(tmp, text, { createNew: true });
      temps.push([tmp, join(dir, name)]);
    }
    for (const [tmp, final] of temps) await Deno.rename(tmp, final);
  } catch (e) {
    for (const [tmp] of temps) await Deno.remove(tmp).catch(() => {});
    throw new GenError(
      `Cannot write to the output directory ${quote(dir, 200)}: ${reason(e)}`,
    );
  }
}

/**
 * Checks that `dir` is an existing directory (or, with `create`, that it is
 * missing and can be created later), before any work is done for it;
 * throws {@link GenError} if not.
 */
export async function checkOutputDir(
  dir: string,
  options: { create?: boolean } = {},
): Promise<void> {
  let why: string | null = null;
  try {
    if (!(await Deno.stat(dir)).isDirectory) why = "not a directory";
  } catch (e) {
    if (!(options.create && e instanceof Deno.errors.NotFound)) why = reason(e);
  }
  if (why !== null) {
    throw new GenError(
      `Cannot write to the output directory ${quote(dir, 200)}: ${why}`,
    );
  }
}

function reason(e: unknown): string {
  return e instanceof Deno.errors.NotFound
    ? "no such directory"
    : e instanceof Deno.errors.NotADirectory
    ? "not a directory"
    : e instanceof Deno.errors.PermissionDenied ||
        e instanceof Deno.errors.NotCapable
    ? "permission denied"
    : (e instanceof Error ? e.message : String(e)).split("\n")[0];
}
