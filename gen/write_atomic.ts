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
 * Writes `files` (file name to text) into directory `dir`, all temporary
 * files first, then the renames; on failure removes what it created and
 * throws {@link GenError} naming the directory.
 *
 * @example
 * ```ts ignore
 * import { writeFilesAtomic } from "@oplet/gen";
 * await writeFilesAtomic("/tmp", { "a.ts": "export const A = 1;\n" });
 * ```
 */
export async function writeFilesAtomic(
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  const temps: [string, string][] = [];
  const tag = `${Deno.pid}.${crypto.randomUUID().slice(0, 8)}`;
  await checkOutputDir(dir);
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
 * Checks that `dir` is an existing directory, before any work is done for
 * it; throws {@link GenError} if not.
 */
export async function checkOutputDir(dir: string): Promise<void> {
  let why: string | null = null;
  try {
    if (!(await Deno.stat(dir)).isDirectory) why = "not a directory";
  } catch (e) {
    why = reason(e);
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
    : e instanceof Deno.errors.PermissionDenied ||
        e instanceof Deno.errors.NotCapable
    ? "permission denied"
    : (e instanceof Error ? e.message : String(e)).split("\n")[0];
}
