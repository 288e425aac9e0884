/**
 * `@oplet/gen`: the generator of fused oplets. From the analyzer's ranking
 * of the oplet sequences that run most, it pastes the oplets' bodies
 * together (read with the emulator's one reader of oplet source,
 * `readOplet` of `@oplet/emu`) into fused oplets, and writes the two modules the emulator loads:
 * `op_seq.ts` (the fused oplets' code) and `translate_seq.ts` (the sorted
 * sequence table for `collapseSeqs`), like the seed's `op_seq.h` and
 * `translate-seq.h`.
 *
 * ```sh
 * deno run -A jsr:@oplet/gen --from analysis.json --out fused
 * deno run --allow-read jsr:@oplet/emu --oplets fused --stats prog.elf
 * ```
 *
 * Importing this module (or running `--help`) needs no permission.
 *
 * The pasting itself (`oplet_index.ts`, `fuse.ts`, `type_text.ts`,
 * `render.ts`) works on the syntax trees of the emulator's reader
 * (`parseOplet`), prints them with its printer (`printStmts`), and is
 * internal.
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
export type { OpletDef, OpletFn, OpletInfo } from "@oplet/emu";

if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
