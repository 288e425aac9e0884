/**
 * The conventions every oplet command line follows (`oplet-emu`,
 * `oplet-analyze`, `oplet-gen` and the repository's tasks):
 *
 * - one name, `oplet-TOOL`, in the usage line and as the prefix of every
 *   message;
 * - `-h`/`--help` and `--version`, answered without any permission;
 * - exit status 0 on success, 1 for an error (one line on stderr), 2 for a
 *   usage error, 130 after Ctrl-C, and 141 when the reader of standard
 *   output went away (`| head`), which ends the run quietly;
 * - relative paths are taken from the caller's folder, also under
 *   `deno task` (which runs tasks from the configuration's folder and
 *   passes the caller's in `INIT_CWD`).
 *
 * @module
 */

import denoJson from "./deno.json" with { type: "json" };

/** The oplet packages' version. */
export const VERSION: string = denoJson.version;

/** The exit statuses, as every help lists them. */
export const EXIT_STATUS_HELP: string =
  `Exit status: 0 on success, 1 for an error, 2 for a usage error, 130 when
interrupted (Ctrl-C), 141 when standard output was closed early.`;

/** A bad command line: the tool prints it with "; see --help" and exits 2. */
export class UsageError extends Error {
  /** Creates the error; `message` is the whole one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * A message from `node:util`'s `parseArgs` without its advice, as a
 * {@link UsageError}.
 */
export function parseArgsError(e: unknown): UsageError {
  const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0];
  return new UsageError(msg.replace(/\. To specify.*$/, ""));
}

/** The first line of an error's message. */
export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/**
 * Runs a command line's body with the shared conventions: the caller's
 * folder becomes the current one, a {@link UsageError} prints
 * `NAME: message; see --help` (exit 2), a closed standard output ends
 * quietly (exit 141), and any other error prints `NAME: message` (exit 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCommand, UsageError } from "@oplet/emu/cli";
 * const code = await runCommand("oplet-demo", () => {
 *   throw new UsageError('Unknown option "--x"');
 * });
 * assert.equal(code, 2);
 * ```
 */
export async function runCommand(
  name: string,
  body: () => number | Promise<number>,
): Promise<number> {
  try {
    enterCallerDir();
    return await body();
  } catch (e) {
    return reportError(name, e);
  }
}

/** Prints an error by the conventions and returns its exit status. */
export function reportError(name: string, e: unknown): number {
  if (isBrokenPipe(e)) return 141;
  if (e instanceof UsageError) {
    console.error(`${name}: ${e.message}; see --help`);
    return 2;
  }
  console.error(`${name}: ${firstLine(e)}`);
  return 1;
}

/** Whether `e` says that the reader of a pipe went away. */
export function isBrokenPipe(e: unknown): boolean {
  return e instanceof Deno.errors.BrokenPipe ||
    (e instanceof Error && /Broken pipe \(os error 32\)/.test(e.message));
}

/**
 * Makes the caller's folder the current one under `deno task`: `deno task`
 * runs a task in the folder of its configuration and names the caller's
 * folder, which lies inside it, in `INIT_CWD`. Does nothing when that
 * variable may not be read without asking, or does not name a folder
 * inside the current one (an `INIT_CWD` inherited from elsewhere).
 */
export function enterCallerDir(): void {
  try {
    const p = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
    if (p.state !== "granted") return;
    const dir = Deno.env.get("INIT_CWD");
    const cwd = Deno.cwd();
    if (!dir || dir === cwd) return;
    const inside = dir.startsWith(cwd.endsWith("/") ? cwd : cwd + "/");
    if (inside) Deno.chdir(dir);
  } catch {
    // No permission or no such folder: stay where we are.
  }
}

/**
 * Answers `--help` or `--version` when `own` (the tool's own arguments)
 * holds one: prints the text and returns 0; else returns null.
 */
export function helpOrVersion(
  name: string,
  usage: string,
  own: readonly string[],
): number | null {
  for (const a of own) {
    if (a === "--") break;
    if (a === "-h" || a === "--help") {
      console.log(usage);
      return 0;
    }
    if (a === "--version") {
      console.log(`${name} ${VERSION}`);
      return 0;
    }
  }
  return null;
}
