/**
 * `@oplet/analyze`: the analyzing step of the seed's idea. It reads the
 * profiles that the emulator writes with `--profile` (format: `@oplet/emu`'s
 * `profile.ts`), builds the tree of oplet sequences that ran inside
 * translated blocks with their frequencies, and ranks the sequences by the
 * oplet dispatches that fusing them would save, for `@oplet/gen`.
 *
 * Command line (default input `/tmp/qemu.profile`):
 *
 * ```sh
 * deno run --allow-read --allow-write=. jsr:@oplet/analyze --top 20 --json analysis.json prog.profile
 * ```
 *
 * Library, step by step (several profiles merge into one table before the
 * tree is built, which keeps merging exact even when the tree is capped):
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   CapturedIo,
 *   HELLO_ELF,
 *   opletInfo,
 *   OPLETS,
 *   runElf,
 *   startProfileWriter,
 *   TARGET_NAME,
 * } from "@oplet/emu";
 * import { buildTree, rankSequences, TbTable } from "@oplet/analyze";
 * const path = await Deno.makeTempFile({ suffix: ".profile" });
 * const w = await startProfileWriter(path, {
 *   target: TARGET_NAME,
 *   oplets: opletInfo(OPLETS),
 *   guest: "hello",
 *   argv: ["hello"],
 * });
 * await runElf(HELLO_ELF, { argv: ["hello"], io: new CapturedIo(), profile: w });
 * const table = new TbTable();
 * await table.addProfile(path);
 * await table.addProfile(path); // a second profile merges into the table
 * const tree = buildTree(table, { maxDepth: 8, maxNodes: 200_000 });
 * const ranking = rankSequences(table, tree, { count: 256 });
 * assert.equal(table.runs.length, 2);
 * assert.ok(ranking.saved > 0 && ranking.saved < ranking.totalDispatches);
 * await Deno.remove(path);
 * ```
 *
 * or in one call with {@link analyzeProfiles}.
 *
 * @module
 */

// The reader of the profile format lives in @oplet/emu beside its writer;
// it stays part of this package's API.
export {
  type EndRecord,
  type ExecutionsRecord,
  type HeaderRecord,
  ProfileFormatError,
  type ProfileRecord,
  readProfile,
  readProfileFile,
  type ReadProfileOptions,
  type RunRecord,
  type TbRecord,
  type TruncatedRecord,
} from "@oplet/emu";
export * from "./tb_table.ts";
export * from "./sequence_tree.ts";
export * from "./rank.ts";
export * from "./analyze.ts";
export * from "./report.ts";
export {
  htmlReport,
  type HtmlReportOptions,
  writeHtmlReport,
} from "./html_report.ts";
export * from "./symbols.ts";
export * from "./progress.ts";
export { DEFAULT_PROFILE } from "./cli.ts";
export type { ElfSymbol, OpletInfo } from "@oplet/emu";

if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
