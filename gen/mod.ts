/**
 * `@oplet/gen`: the generator of fused oplets. From the analyzer's ranking
 * of the oplet sequences that run most, it pastes the oplets' bodies
 * together (read from the target's `ops.ts` with the TypeScript compiler)
 * into fused oplets, and writes the two modules the emulator loads:
 * `op_seq.ts` (the fused oplets' code) and `translate_seq.ts` (the sorted
 * sequence table for `collapseSeqs`), like the seed's `op_seq.h` and
 * `translate-seq.h`.
 *
 * ```sh
 * deno run -A gen/mod.ts --from analysis.json --count 64 --out /tmp/fused
 * deno run -A emu/mod.ts --oplets /tmp/fused --stats tests/guests/bin/sort.elf
 * ```
 *
 * The pasting itself (`oplet_source.ts`, `oplet_index.ts`, `fuse.ts`,
 * `type_text.ts`, `render.ts`) works on the TypeScript compiler's syntax
 * trees and is internal.
 *
 * @example
 * ```ts ignore
 * import { generateFromAnalysis, readAnalysisFile } from "@oplet/gen";
 * const analysis = await readAnalysisFile("analysis.json");
 * await generateFromAnalysis({ analysis, input: "analysis.json", out: "/tmp/fused" });
 * ```
 *
 * @module
 */

export * from "./gen_error.ts";
export * from "./analysis.ts";
export {
  EMULATOR,
  type EmulatorInfo,
  type GeneratedModules,
  generateFromAnalysis,
  type GenerateOptions,
  type GenerateResult,
  OP_SEQ_FILE,
  TRANSLATE_SEQ_FILE,
} from "./generate.ts";
export * from "./format.ts";
export * from "./write_atomic.ts";
export * from "./limits.ts";
export * from "./text.ts";
export type { FusedOpletInfo } from "./fuse.ts";
export type { RenderInfo, SeqNotes } from "./render.ts";
export type { OpletInfo } from "@oplet/emu";

if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
