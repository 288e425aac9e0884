/**
 * Command-line parsing for the repository's tasks, by the conventions of
 * `@oplet/emu/cli`: every task is called `oplet-NAME` in its usage line and
 * messages, answers `-h`/`--help` and `--version`, lists its exit statuses,
 * takes relative paths from the caller's folder (also under `deno task`),
 * and reports a bad command line in one line with exit status 2, never a
 * stack trace.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  enterCallerDir,
  EXIT_STATUS_HELP,
  helpOrVersion,
} from "@oplet/emu/cli";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The name a task's messages start with: `oplet-NAME`. */
export function taskName(name: string): string {
  return name.startsWith("oplet-") ? name : `oplet-${name}`;
}

/** `usage`, with the exit statuses appended unless it lists them. */
export function withExitStatus(usage: string): string {
  return /Exit status:/.test(usage) ? usage : `${usage}\n\n${EXIT_STATUS_HELP}`;
}

/**
 * Parses `args` with `options` (plus `--help` and `--version`); prints the
 * usage or the version and exits 0 for those, or prints
 * `oplet-NAME: message; see --help` and exits 2 for a bad command line.
 * Enters the caller's folder first.
 */
export function taskArgs(
  name: string,
  usage: string,
  args: string[],
  options: Options,
  allowPositionals = false,
): Record<string, string | boolean | undefined> & { _: string[] } {
  enterCallerDir();
  const early = helpOrVersion(taskName(name), withExitStatus(usage), args);
  if (early !== null) Deno.exit(early);
  try {
    const r = parseArgs({
      args,
      options: {
        ...options,
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
      allowPositionals,
      strict: true,
    });
    const values = r.values as Record<string, string | boolean | undefined>;
    return Object.assign(values, { _: r.positionals });
  } catch (e) {
    return usageError(name, (e as Error).message.split(/\. To specify|\n/)[0]);
  }
}

/** Prints `oplet-NAME: message; see --help` and exits 2. */
export function usageError(name: string, message: string): never {
  console.error(`${taskName(name)}: ${message}; see --help`);
  Deno.exit(2);
}

/** Prints `oplet-NAME: message` and exits 1. */
export function fail(name: string, message: string): never {
  console.error(`${taskName(name)}: ${message.split("\n")[0]}`);
  Deno.exit(1);
}

/** A whole number of at least `min` from an option's text, or a usage error naming it. */
export function wholeNumber(
  name: string,
  option: string,
  text: string,
  min = 1,
): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) {
    usageError(
      name,
      `Option --${option} expects a whole number of at least ${min}, got "${text}"`,
    );
  }
  return n;
}
