/**
 * The analyzer's command line:
 * `deno run --allow-read --allow-write jsr:@oplet/analyze [options] [profile...]`.
 * See {@link USAGE}.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { OPLETS, opletTableHash, TARGET_NAME } from "@oplet/emu";
import {
  helpOrVersion,
  parseArgsError,
  runCommand,
  UsageError,
} from "@oplet/emu/cli";
import { analyzeProfiles } from "./analyze.ts";
import { htmlReport, writeHtmlReport } from "./html_report.ts";
import { ProfileFormatError } from "@oplet/emu";
import { Progress } from "./progress.ts";
import { DEFAULT_COUNT } from "./rank.ts";
import { analysisJson, exampleSymbols, formatReport } from "./report.ts";
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES } from "./sequence_tree.ts";

/** The default profile, as the seed has it. */
export const DEFAULT_PROFILE = "/tmp/qemu.profile";

/** The `--help` text. */
export const USAGE = `Usage: oplet-analyze [options] [profile...]

Reads profiles written by the emulator's --profile (default ${DEFAULT_PROFILE};
several profiles, and the runs in each, merge), builds the tree of oplet
sequences that ran, and ranks the sequences by oplet dispatches that fusing
them would save.

Options:
  --top N          rows to print (default 20)
  --count N        sequences to choose (default ${DEFAULT_COUNT})
  --json FILE      write the full result as JSON for @oplet/gen
  --html FILE      write a self-contained HTML report (curve, tree, hot TBs, runs)
  --max-depth N    longest sequence (default ${DEFAULT_MAX_DEPTH})
  --max-nodes N    most tree nodes kept; the least frequent are pruned (default ${DEFAULT_MAX_NODES})
  --fuse-exits     let an exit oplet end a sequence (default: never fuse one)
  --elf FILE       name example pcs by this ELF's symbols (default: the profiled guest's)
  --any-oplets     accept profiles made with another oplet table than this emulator's
  -q, --quiet      no progress bar
  -h, --help       show this help
  --version        show the version

Exit status: 0 on success, 1 for an unusable profile or another error, 2 for a
usage error, 141 when standard output was closed early.`;

const NAME = "oplet-analyze";

function count(
  name: string,
  v: string | undefined,
  def: number,
  min = 1,
): number {
  if (v === undefined) return def;
  if (!/^\d+$/.test(v) || Number(v) < min) {
    throw new UsageError(
      `Option --${name} expects an integer >= ${min}, got "${v}"`,
    );
  }
  return Number(v);
}

/** Runs the analyzer with command-line `args`; returns the exit status. */
export function main(args: string[]): Promise<number> {
  return runCommand(NAME, () => run(args));
}

async function run(args: string[]): Promise<number> {
  const err = (line: string) => console.error(`${NAME}: ${line}`);
  const early = helpOrVersion(NAME, USAGE, args);
  if (early !== null) return early;
  let values, positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        top: { type: "string" },
        count: { type: "string" },
        json: { type: "string" },
        html: { type: "string" },
        "max-depth": { type: "string" },
        "max-nodes": { type: "string" },
        "fuse-exits": { type: "boolean" },
        elf: { type: "string" },
        "any-oplets": { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
      },
    }));
  } catch (e) {
    throw parseArgsError(e);
  }
  let top: number, chosen: number, maxDepth: number, maxNodes: number;
  {
    top = count("top", values.top, 20, 0);
    chosen = count("count", values.count, DEFAULT_COUNT, 0);
    maxDepth = count("max-depth", values["max-depth"], DEFAULT_MAX_DEPTH, 2);
    maxNodes = count("max-nodes", values["max-nodes"], DEFAULT_MAX_NODES);
    if (maxDepth > 255) {
      throw new UsageError(
        `Option --max-depth expects at most 255, got "${maxDepth}"`,
      );
    }
  }
  const paths = positionals.length > 0 ? positionals : [DEFAULT_PROFILE];
  let progress: Progress | null = null;
  try {
    const sizes = await Promise.all(
      paths.map((p) => Deno.stat(p).then((s) => s.size, () => 0)),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    if (Progress.wanted(total, values.quiet ?? false)) {
      progress = new Progress(total, "reading");
    }
    const analysis = await analyzeProfiles(paths, {
      maxDepth,
      maxNodes,
      fuseExits: values["fuse-exits"] ?? false,
      count: chosen,
      ...(values["any-oplets"] ? {} : {
        target: TARGET_NAME,
        opletHash: opletTableHash(OPLETS),
      }),
      onProgress: progress ? (done) => progress!.update(done) : undefined,
    });
    progress?.done();
    for (const t of analysis.truncated) {
      err(
        `warning: "${t.profile}" is truncated at offset ${t.offset} (${t.reason}); analysing its complete records`,
      );
    }
    const symbol = await exampleSymbols(analysis, values.elf);
    console.log(formatReport(analysis, symbol, { top }));
    if (values.json !== undefined) {
      const text = JSON.stringify(analysisJson(analysis, symbol), null, 1) +
        "\n";
      await writeAtomically(values.json, text);
    }
    if (values.html !== undefined) {
      const html = await htmlReport(analysis, {
        elf: values.elf,
        chosen: values.count !== undefined ? chosen : undefined,
      });
      await writeHtmlReport(values.html, html);
    }
    return 0;
  } catch (e) {
    progress?.done();
    if (e instanceof ProfileFormatError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${Deno.pid}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(
      `Cannot write JSON file "${path}": ${
        (e as Error).message.split("\n")[0]
      }`,
    );
  }
}
