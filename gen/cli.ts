/**
 * The generator's command line:
 * `deno run -A jsr:@oplet/gen --from analysis.json --out DIR [--count N]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  EXIT_STATUS_HELP,
  helpOrVersion,
  parseArgsError,
  reportError,
  runCommand,
  UsageError,
} from "@oplet/emu/cli";
import { readAnalysisFile } from "./analysis.ts";
import { GenError, quote } from "./gen_error.ts";
import { generateFromAnalysis, type GenerateResult } from "./generate.ts";
import { DEFAULT_COUNT, MAX_FUSED } from "./limits.ts";
import { shellWord } from "./text.ts";

export { UsageError };

/** The command's name, in its usage line and messages. */
export const NAME = "oplet-gen";

/** The usage text for `command` (the first line), how it takes its input and what `--out` defaults to. */
export function usageText(
  command = "oplet-gen --from analysis.json --out DIR [options]",
  from = "the analysis (JSON) to read; required",
  out = "the folder to write into, created if missing; required",
): string {
  return `Usage: ${command}

Generates fused oplets (op_seq.ts and translate_seq.ts) for the most
frequent oplet sequences of an analysis made by @oplet/analyze. Run the
emulator with --oplets DIR to use them.

Options:
  --from FILE      ${from}
  --out DIR        ${out}
  --count N        fuse the N best sequences (default ${DEFAULT_COUNT}, the size that ran
                   fastest; at most ${MAX_FUSED})
  --source FILE    the module that declares the oplets (exports OPLETS), a path
                   or a URL (default: the emulator's own ops.ts)
  --fuse-exits     also fuse sequences that end with an exit oplet
  --no-format      do not run deno fmt on the output
  -h, --help       show this help
  --version        show the version

${EXIT_STATUS_HELP}`;
}

/** The usage text. */
export const USAGE: string = usageText();

/** The generator's options, as the command line gives them. */
export interface GenArgs {
  /** `--from`: the analysis file. */
  from?: string;
  /** `--count`. */
  count?: number;
  /** `--out`. */
  out?: string;
  /** `--source`. */
  source?: string;
  /** `--fuse-exits`. */
  fuseExits: boolean;
  /** Not `--no-format`. */
  format: boolean;
  /** `--help`. */
  help: boolean;
  /** Arguments that are not options (profiles, for `deno task gen`). */
  positionals: string[];
}

/**
 * Parses the generator's command line; throws {@link UsageError} for a bad
 * one. `allowPositionals` lets profiles follow (for `deno task gen`).
 */
export function parseGenArgs(
  args: readonly string[],
  allowPositionals = false,
): GenArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        from: { type: "string" },
        count: { type: "string" },
        out: { type: "string" },
        source: { type: "string" },
        "fuse-exits": { type: "boolean" },
        "no-format": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
      strict: true,
      allowPositionals,
    });
  } catch (e) {
    throw parseArgsError(e);
  }
  const v = parsed.values;
  let count: number | undefined;
  if (v.count !== undefined) {
    count = Number(v.count);
    if (
      v.count.trim() === "" || !Number.isSafeInteger(count) || count < 0 ||
      count > MAX_FUSED
    ) {
      throw new UsageError(
        `Option --count expects a whole number from 0 to ${MAX_FUSED}, got ${
          quote(v.count)
        }`,
      );
    }
  }
  for (const k of ["from", "out", "source"] as const) {
    if (v[k] === "") {
      throw new UsageError(`Option --${k} expects a path, got ""`);
    }
  }
  return {
    from: v.from,
    count,
    out: v.out,
    source: v.source,
    fuseExits: v["fuse-exits"] ?? false,
    format: !(v["no-format"] ?? false),
    help: v.help ?? false,
    positionals: parsed.positionals,
  };
}

/** Prints one line about what a generation wrote. */
export function report(r: GenerateResult): void {
  const skipped: string[] = [];
  if (r.choice.skippedExits) {
    skipped.push(`${r.choice.skippedExits} ending with an exit oplet`);
  }
  if (r.choice.skippedDuplicates) {
    skipped.push(`${r.choice.skippedDuplicates} duplicates`);
  }
  console.error(
    `${NAME}: wrote ${r.fused.length} fused oplet${
      r.fused.length === 1 ? "" : "s"
    } to ${r.outDir ?? "nowhere"}${
      skipped.length ? ` (passed over ${skipped.join(", ")})` : ""
    }`,
  );
}

/** The command as the generated header shows it. */
export function commandLine(prefix: string, args: readonly string[]): string {
  return [prefix, ...args.map(shellWord)].join(" ");
}

/**
 * Runs the command line; returns the exit status: 0, 1 for an error (one
 * line on stderr), 2 for a usage error.
 */
export function main(
  args: readonly string[],
  prefix = "deno run -A jsr:@oplet/gen",
): Promise<number> {
  return runCommand(NAME, async () => {
    const early = helpOrVersion(NAME, USAGE, args);
    if (early !== null) return early;
    const a = parseGenArgs(args);
    if (a.from === undefined) {
      throw new UsageError("Missing --from analysis.json");
    }
    if (a.out === undefined) {
      throw new UsageError("Missing --out DIR, the folder to write into");
    }
    const analysis = await readAnalysisFile(a.from);
    const r = await generateFromAnalysis({
      analysis,
      input: a.from,
      count: a.count,
      out: a.out,
      source: a.source,
      fuseExits: a.fuseExits,
      format: a.format,
      command: commandLine(prefix, args),
    });
    report(r);
    return 0;
  });
}

/** Prints an error as one line and returns its exit status (2 for usage, else 1). */
export function failure(e: unknown): number {
  if (e instanceof UsageError || e instanceof GenError) {
    return reportError(NAME, e);
  }
  return reportError(
    NAME,
    new Error(
      `Unexpected error: ${e instanceof Error ? e.message : String(e)}`,
    ),
  );
}
