/**
 * The whole analysis in one call: read profiles into a {@link TbTable},
 * build the {@link SequenceTree}, rank the sequences.
 *
 * @module
 */

import type { TruncatedRecord } from "@oplet/emu";
import { type Ranking, type RankOptions, rankSequences } from "./rank.ts";
import {
  buildTree,
  type SequenceTree,
  type TreeOptions,
} from "./sequence_tree.ts";
import { TbTable } from "./tb_table.ts";

/** Options for {@link analyzeProfiles}. */
export interface AnalyzeOptions extends TreeOptions, RankOptions {
  /** Refuse profiles for another target. */
  target?: string;
  /** Refuse profiles made with another oplet table (its hash). */
  opletHash?: string;
  /** Called as input is read: bytes read so far and in total (compressed sizes). */
  onProgress?: (done: number, total: number) => void;
}

/** A profile that ended early. */
export interface TruncatedProfile {
  /** The profile's path. */
  profile: string;
  /** Offset (uncompressed) of its first incomplete record. */
  offset: number;
  /** Why, as a phrase. */
  reason: string;
}

/** What {@link analyzeProfiles} found. */
export interface Analysis {
  /** The executed TB shapes of all profiles. */
  table: TbTable;
  /** The tree of sequences. */
  tree: SequenceTree;
  /** The chosen sequences. */
  ranking: Ranking;
  /** The profiles that were truncated (their complete records were used). */
  truncated: TruncatedProfile[];
  /** Bytes of input read (as stored, compressed or not). */
  inputBytes: number;
  /** Seconds spent reading the profiles. */
  readSeconds: number;
  /** Seconds spent building the tree and ranking. */
  analyzeSeconds: number;
}

/**
 * Reads the profiles (several profiles, and several runs in each, merge
 * into one tree), builds the tree and ranks the sequences. Throws
 * `ProfileFormatError` for a file that is not a usable profile; truncated
 * profiles are listed in the result instead.
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
 * import { analyzeProfiles } from "@oplet/analyze";
 * const path = await Deno.makeTempFile({ suffix: ".profile" });
 * const w = await startProfileWriter(path, {
 *   target: TARGET_NAME,
 *   oplets: opletInfo(OPLETS),
 *   guest: "hello",
 *   argv: ["hello"],
 * });
 * await runElf(HELLO_ELF, { argv: ["hello"], io: new CapturedIo(), profile: w });
 * const a = await analyzeProfiles([path], { count: 64 });
 * for (const s of a.ranking.sequences.slice(0, 5)) {
 *   const names = s.ops.map((n) => a.table.oplets[n].name);
 *   assert.ok(names.length >= 2 && s.saved > 0);
 * }
 * await Deno.remove(path);
 * ```
 */
export async function analyzeProfiles(
  paths: readonly string[],
  options: AnalyzeOptions = {},
): Promise<Analysis> {
  const sizes = await Promise.all(
    paths.map((p) => Deno.stat(p).then((s) => s.size, () => 0)),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  const table = new TbTable();
  const truncated: TruncatedProfile[] = [];
  const t0 = performance.now();
  let before = 0;
  for (const [k, path] of paths.entries()) {
    const onBytes = options.onProgress
      ? (n: number) => options.onProgress!(before + n, total)
      : undefined;
    const r = await table.addProfile(path, path, {
      target: options.target,
      opletHash: options.opletHash,
      onBytes,
    });
    if (r.truncated) truncated.push(asTruncated(path, r.truncated));
    before += sizes[k];
  }
  const t1 = performance.now();
  const tree = buildTree(table, options);
  const ranking = rankSequences(table, tree, options);
  const t2 = performance.now();
  return {
    table,
    tree,
    ranking,
    truncated,
    inputBytes: total,
    readSeconds: (t1 - t0) / 1000,
    analyzeSeconds: (t2 - t1) / 1000,
  };
}

function asTruncated(profile: string, r: TruncatedRecord): TruncatedProfile {
  return { profile, offset: r.offset, reason: r.reason };
}
