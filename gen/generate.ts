/**
 * The whole generation: from an analysis to the two generated modules,
 * written into the target's directory (or another one).
 *
 * @module
 */

import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  MEM_LOW,
  OP_HELPERS,
  type OpletDef,
  type OpletInfo,
  OPLETS,
  opletTableHash,
  OPS_SOURCE_URL,
  RISCV32,
  TARGET_NAME,
} from "@oplet/emu";
import { type Choice, chooseSequences } from "./analysis.ts";
import type { FusedOpletInfo } from "./fuse.ts";
import { formatTypeScript } from "./format.ts";
import { GenError } from "./gen_error.ts";
import { DEFAULT_COUNT } from "./limits.ts";
import { buildModules, importOplets } from "./modules.ts";
import type { RenderInfo } from "./render.ts";
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

/** What the emulator contributes to a generation; the defaults are `@oplet/emu`'s. */
export interface EmulatorInfo {
  /** The target's name. */
  readonly target: string;
  /** The base oplet table. */
  readonly table: readonly OpletInfo[];
  /** The helper names fused oplets get. */
  readonly helpers: readonly string[];
  /** The oplets' source: a `file:` URL, or `https:` when loaded from a registry. */
  readonly sourceUrl: URL;
  /**
   * The oplets themselves, the table's functions (default: the `OPLETS`
   * that {@link sourceUrl} exports). Their bodies are read with the
   * emulator's reader (`readOplet`).
   */
  // deno-lint-ignore no-explicit-any
  readonly oplets?: readonly OpletDef<any>[];
  /** Creates a state, whose fields' values name their types in the generated module. */
  readonly createState?: () => object;
  /** The helpers' values, by name, which name their types in the generated module. */
  readonly helperValues?: Readonly<Record<string, unknown>>;
}

/** The running emulator's {@link EmulatorInfo}. */
export const EMULATOR: EmulatorInfo = {
  target: TARGET_NAME,
  table: OPLETS,
  helpers: Object.keys(OP_HELPERS),
  sourceUrl: OPS_SOURCE_URL,
  oplets: OPLETS,
  createState: () => RISCV32.createCpu(2 * MEM_LOW),
  helperValues: OP_HELPERS,
};

/** Options for {@link generateFromAnalysis}. */
export interface GenerateOptions {
  /** The analysis, as parsed JSON (untrusted). */
  readonly analysis: unknown;
  /** What the analysis came from, for the generated header (a file name). */
  readonly input: string;
  /** How many sequences to fuse (default {@link DEFAULT_COUNT}, at most `MAX_FUSED`). */
  readonly count?: number;
  /**
   * The folder to write into, created if missing; required unless `write`
   * is false. Nothing is written anywhere else.
   */
  readonly out?: string;
  /** The oplets' source, a path or a URL; default the emulator's own (`file:` or `https:`). */
  readonly source?: string | URL;
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
 * ```ts
 * import assert from "node:assert/strict";
 * import { OPLETS, opletTableHash, opNumber, TARGET_NAME } from "@oplet/emu";
 * import { generateFromAnalysis } from "@oplet/gen";
 * // An analysis as `oplet-analyze --json` writes it (here one sequence).
 * const analysis = {
 *   version: 1,
 *   target: TARGET_NAME,
 *   opletHash: opletTableHash(OPLETS),
 *   sequences: [{ ops: ["mov_T0_r", "addi", "mov_r_T0"].map(opNumber) }],
 * };
 * const out = await Deno.makeTempDir();
 * const r = await generateFromAnalysis({ analysis, input: "analysis.json", out });
 * assert.equal(r.fused.length, 1);
 * assert.match(await Deno.readTextFile(`${out}/op_seq.ts`), /function op_seq0\(/);
 * await Deno.remove(out, { recursive: true });
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
    count: options.count ?? DEFAULT_COUNT,
    fuseExits: options.fuseExits,
  });
  const write = options.write ?? true;
  const outDir = write ? options.out ?? null : null;
  if (write && outDir === null) {
    throw new GenError("No output folder given: pass out (--out DIR)");
  }
  if (outDir !== null) await checkOutputDir(outDir, { create: true });
  const url = sourceUrl(options.source, emu);
  const sourceName = displayPath(
    url.protocol === "file:" ? fileURLToPath(url) : url.href,
  );
  const oplets = options.source === undefined && emu.oplets
    ? emu.oplets
    : await importOplets(url, sourceName);
  const info: RenderInfo = {
    baseHash,
    target: emu.target,
    input: options.input,
    command: options.command ?? "(library call)",
    sourceName,
  };
  const modules = buildModules(oplets, sourceName, emu, choice, info, {
    fuseExits: options.fuseExits,
  });
  let { opSeq, translateSeq } = modules;
  if (options.format ?? true) {
    // Formatted with the configuration that governs the output folder (the
    // nearest existing one: the folder is created only when writing).
    const cwd = outDir === null ? undefined : await existingAncestor(outDir);
    opSeq = await formatTypeScript(opSeq, cwd);
    translateSeq = await formatTypeScript(translateSeq, cwd);
  }
  if (outDir !== null) {
    await writeFilesAtomic(outDir, {
      [OP_SEQ_FILE]: opSeq,
      [TRANSLATE_SEQ_FILE]: translateSeq,
    }, { create: true });
  }
  return { opSeq, translateSeq, fused: modules.fused, outDir, choice };
}

/** `dir`, or its nearest ancestor that exists. */
async function existingAncestor(dir: string): Promise<string> {
  let d = resolve(dir);
  for (;;) {
    try {
      if ((await Deno.stat(d)).isDirectory) return d;
    } catch {
      // Missing: try the parent.
    }
    const up = dirname(d);
    if (up === d) return d;
    d = up;
  }
}

/** The oplets' source as a URL: a given path or URL, or the emulator's. */
function sourceUrl(source: string | URL | undefined, emu: EmulatorInfo): URL {
  if (source === undefined) return emu.sourceUrl;
  if (source instanceof URL) return source;
  if (/^(file|https?):/i.test(source)) {
    try {
      return new URL(source);
    } catch {
      throw new GenError(`The oplet source "${source}" is not a valid URL`);
    }
  }
  return pathToFileURL(isAbsolute(source) ? source : resolve(source));
}

/** A path relative to the current directory when it is inside it. */
function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  let cwd: string;
  try {
    cwd = Deno.cwd();
  } catch {
    return path;
  }
  const rel = relative(cwd, path);
  return rel.startsWith("..") ? path : rel;
}
