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
 * deno run -A analyze/mod.ts --top 20 --count 256 --json /tmp/oplets.json /tmp/qemu.profile
 * ```
 *
 * Library, step by step (several profiles merge into one table before the
 * tree is built, which keeps merging exact even when the tree is capped):
 *
 * @example
 * ```ts ignore
 * import { buildTree, rankSequences, TbTable } from "@oplet/analyze";
 * const table = new TbTable();
 * await table.addProfile("/tmp/qemu.profile");
 * await table.addProfile("/tmp/other.profile");
 * const tree = buildTree(table, { maxDepth: 8, maxNodes: 200_000 });
 * const ranking = rankSequences(table, tree, { count: 256 });
 * console.log(ranking.saved / ranking.totalDispatches);
 * ```
 *
 * or in one call with {@link analyzeProfiles}.
 *
 * @module
 */

export * from "./profile_reader.ts";
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
export { DEFAULT_PROFILE, main, USAGE } from "./cli.ts";

if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
