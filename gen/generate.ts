/**
 * The whole generation: from an analysis to the two generated modules,
 * written into the target's directory (or another one).
 *
 * @module
 */

import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  OP_HELPERS,
  type OpletInfo,
  OPLETS,
  opletTableHash,
  OPS_SOURCE_URL,
  TARGET_NAME,
} from "@oplet/emu";
import { type Choice, chooseSequences, MAX_FUSED } from "./analysis.ts";
import { type FusedOpletInfo, fuseSequence } from "./fuse.ts";
import { formatTypeScript } from "./format.ts";
import { GenError } from "./gen_error.ts";
import {
  indexOplets,
  type OpletIndex,
  readSourceTable,
} from "./oplet_index.ts";
import { loadOpletSource } from "./oplet_source.ts";
import {
  type RenderInfo,
  renderOpSeq,
  renderTranslateSeq,
  type SeqNotes,
} from "./render.ts";
import { checkOutputDir, writeFilesAtomic } from "./write_atomic.ts";

/** The generated modules' file names. */
export const OP_SEQ_FILE = "op_seq.ts";
/** The generated sequence table's file name. */
export const TRANSLATE_SEQ_FILE = "translate_seq.ts";

/** The two generated modules, as text. */
export interface GeneratedModules {
  /** `op_seq.ts`: the fused oplets. */
  readonly opSeq: string;
  /** `translate_seq.ts`: the sorted sequence table. */
  readonly translateSeq: string;
  /** The fused oplets, in order (fused oplet k is entry k). */
  readonly fused: readonly FusedOpletInfo[];
}

/**
 * Fuses each of `sequences` (fused oplet k from sequence k) and renders the
 * two modules, unformatted. Throws {@link GenError} for a sequence that
 * cannot be fused.
 */
export function generateModules(
  index: OpletIndex,
  sequences: readonly (readonly number[])[],
  info: RenderInfo,
  options: { fuseExits?: boolean; notes?: readonly (SeqNotes | undefined)[] } =
    {},
): GeneratedModules {
  if (sequences.length > MAX_FUSED) {
    throw new GenError(
      `Cannot make ${sequences.length} fused oplets; at most ${MAX_FUSED}`,
    );
  }
  const fused = sequences.map((seq, k) =>
    fuseSequence(index, seq, `seq${k}`, { fuseExits: options.fuseExits })
  );
  return {
    opSeq: renderOpSeq(index, fused, info, options.notes),
    translateSeq: renderTranslateSeq(index, fused, info),
    fused,
  };
}

/** What the emulator contributes to a generation; the defaults are `@oplet/emu`'s. */
export interface EmulatorInfo {
  /** The target's name. */
  readonly target: string;
  /** The base oplet table. */
  readonly table: readonly OpletInfo[];
  /** The helper names fused oplets get. */
  readonly helpers: readonly string[];
  /** The oplets' source (a `file:` URL), when installed locally. */
  readonly sourceUrl: URL;
}

/** The running emulator's {@link EmulatorInfo}. */
export const EMULATOR: EmulatorInfo = {
  target: TARGET_NAME,
  table: OPLETS,
  helpers: Object.keys(OP_HELPERS),
  sourceUrl: OPS_SOURCE_URL,
};

/** Options for {@link generateFromAnalysis}. */
export interface GenerateOptions {
  /** The analysis, as parsed JSON (untrusted). */
  readonly analysis: unknown;
  /** What the analysis came from, for the generated header (a file name). */
  readonly input: string;
  /** How many sequences to fuse (default and most {@link MAX_FUSED}). */
  readonly count?: number;
  /** Where to write; default the emulator's target directory (beside its oplets). */
  readonly out?: string;
  /** The oplets' source file; default the emulator's. */
  readonly source?: string;
  /** Allow an exit oplet as a sequence's last member. */
  readonly fuseExits?: boolean;
  /** The command, for the generated header. */
  readonly command?: string;
  /** Run `deno fmt` on the output (default true). */
  readonly format?: boolean;
  /** Write the files (default true); false only returns them. */
  readonly write?: boolean;
  /** The emulator (default {@link EMULATOR}). */
  readonly emulator?: EmulatorInfo;
}

/** What {@link generateFromAnalysis} did. */
export interface GenerateResult extends GeneratedModules {
  /** Where the files were written, or null. */
  readonly outDir: string | null;
  /** The sequences chosen, and those passed over. */
  readonly choice: Choice;
}

/**
 * Generates the fused oplets for an analysis: checks it against the
 * emulator, takes the best `count` sequences, fuses them, formats the two
 * modules and writes them atomically into `out`. Throws {@link GenError}
 * with a one-line message for any problem.
 *
 * @example
 * ```ts ignore
 * import { generateFromAnalysis, readAnalysisFile } from "@oplet/gen";
 * const analysis = await readAnalysisFile("analysis.json");
 * const r = await generateFromAnalysis({ analysis, input: "analysis.json", out: "/tmp/fused" });
 * console.log(r.fused.length);
 * ```
 */
export async function generateFromAnalysis(
  options: GenerateOptions,
): Promise<GenerateResult> {
  const emu = options.emulator ?? EMULATOR;
  const baseHash = opletTableHash(emu.table);
  const choice = chooseSequences(options.analysis, {
    target: emu.target,
    table: emu.table,
    opletHash: baseHash,
    count: options.count ?? MAX_FUSED,
    fuseExits: options.fuseExits,
  });
  const sourcePath = options.source ?? fileOf(emu.sourceUrl, "--source");
  const write = options.write ?? true;
  const outDir = write
    ? options.out ?? dirname(fileOf(emu.sourceUrl, "--out"))
    : null;
  if (outDir !== null) await checkOutputDir(outDir);
  const source = loadOpletSource(sourcePath);
  const own = readSourceTable(source);
  if (own && opletTableHash(own) !== baseHash) {
    throw new GenError(
      `The oplet source "${sourcePath}" declares oplet table ${
        opletTableHash(own)
      }, but the emulator's is ${baseHash}`,
    );
  }
  const index = indexOplets(source, emu.table, { helpers: emu.helpers });
  const info: RenderInfo = {
    baseHash,
    target: emu.target,
    input: options.input,
    command: options.command ?? "(library call)",
    sourceName: displayPath(source.fileName),
  };
  const modules = generateModules(
    index,
    choice.sequences.map((s) => s.ops),
    info,
    {
      fuseExits: options.fuseExits,
      notes: choice.sequences.map((s) => s.notes),
    },
  );
  let { opSeq, translateSeq } = modules;
  if (options.format ?? true) {
    opSeq = await formatTypeScript(opSeq, outDir ?? undefined);
    translateSeq = await formatTypeScript(translateSeq, outDir ?? undefined);
  }
  if (outDir !== null) {
    await writeFilesAtomic(outDir, {
      [OP_SEQ_FILE]: opSeq,
      [TRANSLATE_SEQ_FILE]: translateSeq,
    });
  }
  return { opSeq, translateSeq, fused: modules.fused, outDir, choice };
}

function fileOf(url: URL, option: string): string {
  if (url.protocol !== "file:") {
    throw new GenError(
      `The emulator's oplets are at ${url.href}, not in a local file; pass ${option}`,
    );
  }
  return fileURLToPath(url);
}

/** A path relative to the current directory when it is inside it. */
function displayPath(path: string): string {
  let cwd: string;
  try {
    cwd = Deno.cwd();
  } catch {
    return path;
  }
  const rel = relative(cwd, path);
  return rel.startsWith("..") ? path : rel;
}
