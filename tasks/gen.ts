/**
 * `deno task gen [--from analysis.json | profile...] [--count N] [--out DIR]`:
 * generates the fused oplets (`op_seq.ts`, `translate_seq.ts`) from an
 * analysis, or from profiles, which it analyzes first with
 * `@oplet/analyze` (the same ranking as `analyze/mod.ts --json`).
 *
 * Without `--out` it writes into the emulator's own target directory,
 * `emu/targets/riscv32/`, the committed fused set.
 *
 * @module
 */

import { analysisJson, analyzeProfiles } from "@oplet/analyze";
import { OPLETS, opletTableHash, TARGET_NAME } from "@oplet/emu";
import {
  commandLine,
  failure,
  generateFromAnalysis,
  GenError,
  MAX_FUSED,
  parseGenArgs,
  readAnalysisFile,
  report,
  UsageError,
  usageText,
} from "@oplet/gen";

const TASK_USAGE = usageText(
  "deno task gen [--from analysis.json | profile...] [options]",
  "the analysis (JSON) to read, instead of profiles to analyze",
);

/** Runs the task; returns the exit code (0, 1 for an error, 2 for a usage error). */
export async function main(args: readonly string[]): Promise<number> {
  try {
    const a = parseGenArgs(args, true);
    if (a.help) {
      console.log(TASK_USAGE);
      return 0;
    }
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
          count: a.count ?? MAX_FUSED,
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
      out: a.out,
      source: a.source,
      fuseExits: a.fuseExits,
      format: a.format,
      command: commandLine("deno task gen", args),
    });
    report(r);
    return 0;
  } catch (e) {
    return failure(e);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
