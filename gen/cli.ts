/**
 * The generator's command line:
 * `deno run -A gen/mod.ts --from analysis.json [--count N] [--out DIR]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { MAX_FUSED, readAnalysisFile } from "./analysis.ts";
import { GenError, quote } from "./gen_error.ts";
import { generateFromAnalysis, type GenerateResult } from "./generate.ts";
import { shellWord } from "./render.ts";

/** The usage text for `command` (the first line) and how it takes its input. */
export function usageText(
  command = "oplet-gen --from analysis.json [options]",
  from = "the analysis (JSON) to read; required",
): string {
  return `Usage: ${command}

Generates fused oplets (op_seq.ts and translate_seq.ts) for the most
frequent oplet sequences of an analysis made by @oplet/analyze.

Options:
  --from FILE      ${from}
  --count N        fuse the N best sequences (default and at most ${MAX_FUSED})
  --out DIR        write into DIR (default: the emulator's target directory)
  --source FILE    the oplets' source (default: the emulator's ops.ts)
  --fuse-exits     also fuse sequences that end with an exit oplet
  --no-format      do not run deno fmt on the output
  --help           show this help

Exit status: 0 on success, 1 for an error, 2 for a usage error.
`;
}

/** The usage text. */
export const USAGE: string = usageText();

/** A usage error: exit 2. */
export class UsageError extends Error {
  /** Creates the error; `message` is the whole one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

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
      },
      strict: true,
      allowPositionals,
    });
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new UsageError(msg.replace(/\. To specify.*$/, ""));
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
    `oplet-gen: wrote ${r.fused.length} fused oplet${
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
 * Runs the command line; returns the exit code: 0, 1 for an error (one
 * line on stderr), 2 for a usage error.
 */
export async function main(
  args: readonly string[],
  prefix = "deno run -A gen/mod.ts",
): Promise<number> {
  try {
    const a = parseGenArgs(args);
    if (a.help) {
      console.log(USAGE);
      return 0;
    }
    if (a.from === undefined) {
      throw new UsageError("Missing --from analysis.json");
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
  } catch (e) {
    return failure(e);
  }
}

/** Prints an error as one line and returns its exit code (2 for usage, else 1). */
export function failure(e: unknown): number {
  if (e instanceof UsageError) {
    console.error(`oplet-gen: ${e.message}; see --help`);
    return 2;
  }
  const msg = e instanceof GenError
    ? e.message
    : `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
  console.error(`oplet-gen: ${msg.split("\n")[0]}`);
  return 1;
}
