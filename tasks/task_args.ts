/**
 * Command-line parsing for task scripts: `--help`, and a one-line error with
 * exit code 2 for a bad command line, never a stack trace.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `args` with `options` (plus `--help`); prints `usage` and exits 0
 * for `--help`, or prints `NAME: message; see --help` and exits 2 for a bad
 * command line.
 */
export function taskArgs(
  name: string,
  usage: string,
  args: string[],
  options: Options,
): Record<string, string | boolean | undefined> {
  try {
    const r = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
      strict: true,
    });
    const values = r.values as Record<string, string | boolean | undefined>;
    if (values.help) {
      console.log(usage);
      Deno.exit(0);
    }
    return values;
  } catch (e) {
    return usageError(name, (e as Error).message.split(/\. To specify|\n/)[0]);
  }
}

/** Prints `NAME: message; see --help` and exits 2. */
export function usageError(name: string, message: string): never {
  console.error(`${name}: ${message}; see --help`);
  Deno.exit(2);
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
