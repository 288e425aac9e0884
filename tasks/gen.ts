/**
 * `deno task gen [--from analysis.json | profile...] [--count N] [--out DIR]`:
 * the repository's generator task. It generates the fused oplets
 * (`op_seq.ts`, `translate_seq.ts`) from an analysis, or from profiles,
 * which it analyzes first with `@oplet/analyze` (the same ranking as
 * `oplet-analyze --json`).
 *
 * Without `--out` it regenerates the committed default set in
 * `emu/targets/riscv32/` (from the training guests' profile:
 * `deno task profile && deno task gen /tmp/qemu.profile`). The published
 * `jsr:@oplet/gen` never writes into a package: it needs `--out`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { analysisJson, analyzeProfiles } from "@oplet/analyze";
import { OPLETS, opletTableHash, TARGET_NAME } from "@oplet/emu";
import { helpOrVersion, runCommand } from "@oplet/emu/cli";
import {
  DEFAULT_COUNT,
  generateFromAnalysis,
  GenError,
  readAnalysisFile,
} from "@oplet/gen";
import {
  commandLine,
  parseGenArgs,
  report,
  UsageError,
  usageText,
} from "../gen/cli.ts";

/** The committed default set's folder. */
const DEFAULTS_DIR = fileURLToPath(
  new URL("../emu/targets/riscv32/", import.meta.url),
);

const TASK_USAGE = usageText(
  "oplet-gen (deno task gen) [--from analysis.json | profile...] [options]",
  "the analysis (JSON) to read, instead of profiles to analyze",
  "the folder to write into (default: regenerate the committed set\n                   in emu/targets/riscv32/)",
);

/** Runs the task; returns the exit code (0, 1 for an error, 2 for a usage error). */
export function main(args: readonly string[]): Promise<number> {
  return runCommand("oplet-gen", async () => {
    const early = helpOrVersion("oplet-gen", TASK_USAGE, args);
    if (early !== null) return early;
    const a = parseGenArgs(args, true);
    const profiles = a.positionals;
    if ((a.from === undefined) === (profiles.length === 0)) {
      throw new UsageError(
        "Give either --from analysis.json or profiles to analyze, not both",
      );
    }
    let analysis: unknown;
    let input: string;
    if (a.from !== undefined) {
      analysis = await readAnalysisFile(a.from);
      input = a.from;
    } else {
      let result;
      try {
        result = await analyzeProfiles(profiles, {
          target: TARGET_NAME,
          opletHash: opletTableHash(OPLETS),
          count: a.count ?? DEFAULT_COUNT,
          fuseExits: a.fuseExits,
        });
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new GenError(
          `Cannot analyze the profiles: ${why.split("\n")[0]}`,
        );
      }
      for (const t of result.truncated) {
        console.error(
          `oplet-gen: profile ${t.profile} is truncated at ${t.offset} (${t.reason}); used what came before`,
        );
      }
      analysis = analysisJson(result);
      input = `analysis of ${profiles.join(", ")}`;
    }
    const r = await generateFromAnalysis({
      analysis,
      input,
      count: a.count,
      out: a.out ?? DEFAULTS_DIR,
      source: a.source,
      fuseExits: a.fuseExits,
      format: a.format,
      command: commandLine("deno task gen", args),
    });
    report(r);
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
