/**
 * The part of a generation that reads oplet bodies: take the oplets (the
 * emulator's own, or a source module's `OPLETS`), index them, fuse the
 * chosen sequences and render the two modules.
 *
 * @module
 */

import { type OpletDef, opletTableHash } from "@oplet/emu";
import type { Choice } from "./analysis.ts";
import { fuseSequence } from "./fuse.ts";
import { GenError, quote } from "./gen_error.ts";
import type { EmulatorInfo, GeneratedModules } from "./generate.ts";
import { MAX_FUSED } from "./limits.ts";
import { indexOplets, type OpletIndex } from "./oplet_index.ts";
import {
  type RenderInfo,
  renderOpSeq,
  renderTranslateSeq,
  type SeqNotes,
  type TypeSource,
} from "./render.ts";

/**
 * Fuses each of `sequences` (fused oplet k from sequence k) and renders the
 * two modules, unformatted. Throws {@link GenError} for a sequence that
 * cannot be fused.
 */
export function generateModules(
  index: OpletIndex,
  sequences: readonly (readonly number[])[],
  info: RenderInfo,
  types: TypeSource,
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
    opSeq: renderOpSeq(index, fused, info, types, options.notes),
    translateSeq: renderTranslateSeq(index, fused, info),
    fused,
  };
}

/**
 * The oplet table a source module declares: its `OPLETS` export, imported
 * from `url` (a `file:` URL or a registry's). `name` names it in errors.
 */
export async function importOplets(
  url: URL,
  name: string,
  // deno-lint-ignore no-explicit-any
): Promise<readonly OpletDef<any>[]> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(url.href);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new GenError(
      `Cannot read the oplet source ${quote(name, 300)}: ${why}`,
    );
  }
  const oplets = mod.OPLETS;
  if (
    !Array.isArray(oplets) ||
    !oplets.every((o) =>
      typeof o?.name === "string" && typeof o.fn === "function" &&
      Number.isInteger(o.params) && typeof o.exit === "boolean"
    )
  ) {
    throw new GenError(
      `The oplet source ${
        quote(name, 300)
      } does not export its oplet table as OPLETS (defineOplet entries)`,
    );
  }
  return oplets;
}

/**
 * Checks that the oplets declare the emulator's oplet table, and generates
 * the modules for the chosen sequences.
 */
export function buildModules(
  // deno-lint-ignore no-explicit-any
  oplets: readonly OpletDef<any>[],
  sourceName: string,
  emu: EmulatorInfo,
  choice: Choice,
  info: RenderInfo,
  options: { fuseExits?: boolean } = {},
): GeneratedModules {
  const baseHash = opletTableHash(emu.table);
  if (opletTableHash(oplets) !== baseHash) {
    throw new GenError(
      `The oplet source "${sourceName}" declares oplet table ${
        opletTableHash(oplets)
      }, but the emulator's is ${baseHash}`,
    );
  }
  if (!emu.createState) {
    throw new GenError(
      "The emulator gives no createState, which names the state's field types",
    );
  }
  const index = indexOplets(oplets, emu.table, {
    helpers: emu.helpers,
    sourceName,
  });
  return generateModules(
    index,
    choice.sequences.map((s) => s.ops),
    info,
    { state: emu.createState(), helpers: emu.helperValues ?? {} },
    {
      fuseExits: options.fuseExits,
      notes: choice.sequences.map((s) => s.notes),
    },
  );
}
