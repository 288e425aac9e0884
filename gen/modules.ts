/**
 * The part of a generation that needs the TypeScript compiler: parse the
 * oplets' source, index the oplets, fuse the chosen sequences and render
 * the two modules. `generate.ts` imports this module only when it
 * generates, so that importing `@oplet/gen` does not load the compiler.
 *
 * @module
 */

import { opletTableHash } from "@oplet/emu";
import type { Choice } from "./analysis.ts";
import { fuseSequence } from "./fuse.ts";
import { GenError } from "./gen_error.ts";
import type { EmulatorInfo, GeneratedModules } from "./generate.ts";
import { MAX_FUSED } from "./limits.ts";
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
import type { SourceFiles } from "./source_files.ts";

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

/**
 * Parses the oplets' source, checks that it declares the emulator's oplet
 * table, and generates the modules for the chosen sequences.
 */
export function buildModules(
  sources: SourceFiles,
  emu: EmulatorInfo,
  choice: Choice,
  info: RenderInfo,
  options: { fuseExits?: boolean } = {},
): GeneratedModules {
  const source = loadOpletSource(sources.fileName, undefined, sources.files);
  const own = readSourceTable(source);
  const baseHash = opletTableHash(emu.table);
  if (own && opletTableHash(own) !== baseHash) {
    throw new GenError(
      `The oplet source "${sources.displayName}" declares oplet table ${
        opletTableHash(own)
      }, but the emulator's is ${baseHash}`,
    );
  }
  const index = indexOplets(source, emu.table, { helpers: emu.helpers });
  return generateModules(
    index,
    choice.sequences.map((s) => s.ops),
    info,
    {
      fuseExits: options.fuseExits,
      notes: choice.sequences.map((s) => s.notes),
    },
  );
}
