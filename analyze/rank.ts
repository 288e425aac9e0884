/**
 * Choosing the sequences to fuse.
 *
 * Fusing a sequence of length L that runs f times saves at most f × (L - 1)
 * oplet dispatches. But sequences overlap (a prefix, a suffix, a shifted
 * copy), and the emulator collapses a translated block greedily: at each
 * position the longest chosen sequence that matches (`collapseSeqs` in
 * `@oplet/emu`). So the ranking re-simulates that covering:
 *
 * 1. Every tree node of length 2 or more is a candidate, valued at its upper
 *    bound f × (L - 1).
 * 2. Greedy selection: the value of a candidate is the number of dispatches
 *    it saves on top of the sequences already chosen, computed exactly by
 *    covering every executed TB shape that contains the candidate's rarest
 *    oplet pair with the chosen set plus the candidate (greedy longest
 *    match, as the emulator does), weighted by the TB's executions.
 * 3. Lazy evaluation: candidates sit in a max-heap by their last known
 *    value; the top one is re-valued against the current chosen set and
 *    taken if it stays on top, else pushed back. As with lazy greedy
 *    selection for submodular objectives this re-values only a few
 *    candidates per pick; since greedy covering is not strictly submodular,
 *    a candidate whose value would have grown after another pick may be
 *    taken later than it should, never wrongly valued when taken.
 *
 * A chosen sequence's `saved` is its marginal saving when it was picked; the
 * savings of the chosen set add up to the dispatches that collapsing with
 * it saves on the profiled runs.
 *
 * @module
 */

import type { SequenceTree } from "./sequence_tree.ts";
import type { TbTable } from "./tb_table.ts";

/** Options for {@link rankSequences}. */
export interface RankOptions {
  /** How many sequences to choose (default 256). */
  count?: number;
}

/** Default {@link RankOptions.count}. */
export const DEFAULT_COUNT = 256;

/** A chosen sequence. */
export interface RankedSequence {
  /** Its node in the tree. */
  node: number;
  /** Its oplet numbers. */
  ops: number[];
  /** How many times it ran (overlapping occurrences included). */
  frequency: number;
  /** Dispatches it saves on top of the sequences ranked before it. */
  saved: number;
  /** The heaviest TB shape (index in the table) that contains it. */
  example: number;
}

/** The chosen sequences, best first, and totals. */
export interface Ranking {
  /** The chosen sequences in the order picked. */
  sequences: RankedSequence[];
  /** Oplet dispatches of the profiled runs, unfused. */
  totalDispatches: number;
  /** Dispatches that all the chosen sequences save together. */
  saved: number;
  /** Candidates valued exactly (for the curious). */
  evaluations: number;
}

/**
 * Picks up to `count` sequences of the tree by dispatches saved, as the
 * module doc describes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildTree, rankSequences, TbTable } from "@oplet/analyze";
 * const table = new TbTable();
 * const tree = buildTree(table);
 * const ranking = rankSequences(table, tree, { count: 16 });
 * assert.equal(ranking.sequences.length, 0); // an empty table has none
 * ```
 */
export function rankSequences(
  table: TbTable,
  tree: SequenceTree,
  options: RankOptions = {},
): Ranking {
  const count = options.count ?? DEFAULT_COUNT;
  const M = Math.max(1, table.oplets.length);
  const ops = table.ops, start = table.start, length = table.length;
  const weight = table.weight;

  // Oplet pair -> executed shapes that contain it.
  const pairLists = new Map<number, number[]>();
  for (let s = 0; s < table.size; s++) {
    if (weight[s] === 0) continue;
    const b = start[s];
    for (let i = 0; i + 1 < length[s]; i++) {
      const key = ops[b + i] * M + ops[b + i + 1];
      let list = pairLists.get(key);
      if (list === undefined) pairLists.set(key, list = []);
      if (list[list.length - 1] !== s) list.push(s);
    }
  }

  // The chosen set as a trie over oplet numbers.
  const trie = new Map<number, number>();
  const term: number[] = [0];
  let trieSize = 1;
  const insert = (seq: readonly number[]): number => {
    let n = 0;
    for (const op of seq) {
      const key = n * M + op;
      let c = trie.get(key);
      if (c === undefined) {
        c = trieSize++;
        term.push(0);
        trie.set(key, c);
      }
      n = c;
    }
    return n;
  };
  const cover = (s: number): number => {
    const b = start[s], len = length[s];
    let n = 0;
    for (let k = 0; k < len; n++) {
      let node = 0, best = 1;
      for (let j = k; j < len; j++) {
        const c = trie.get(node * M + ops[b + j]);
        if (c === undefined) break;
        node = c;
        if (term[c]) best = j - k + 1;
      }
      k += best;
    }
    return n;
  };
  const cov = new Float64Array(table.size);
  let totalDispatches = 0;
  for (let s = 0; s < table.size; s++) {
    cov[s] = length[s];
    totalDispatches += weight[s] * length[s];
  }
  const shapesOf = (seq: readonly number[]): number[] => {
    let best: number[] = [];
    for (let k = 0; k + 1 < seq.length; k++) {
      const list = pairLists.get(seq[k] * M + seq[k + 1]) ?? [];
      if (k === 0 || list.length < best.length) best = list;
    }
    return best;
  };
  let evaluations = 0;
  const evaluate = (seq: readonly number[]): number => {
    evaluations++;
    const t = insert(seq);
    if (term[t]) return 0;
    term[t] = 1;
    let gain = 0;
    for (const s of shapesOf(seq)) gain += (cov[s] - cover(s)) * weight[s];
    term[t] = 0;
    return gain;
  };

  // Lazy greedy over a max-heap of (value, node).
  const heap = new Heap();
  const stamp = new Int32Array(tree.size).fill(-1);
  for (let n = 1; n < tree.size; n++) {
    if (tree.depth[n] >= 2 && tree.frequency[n] > 0) {
      heap.push(tree.frequency[n] * (tree.depth[n] - 1), n);
    }
  }
  const sequences: RankedSequence[] = [];
  let saved = 0;
  while (sequences.length < count && heap.size > 0) {
    const [value, node] = heap.pop();
    const seq = tree.sequence(node);
    if (stamp[node] === sequences.length) {
      term[insert(seq)] = 1;
      for (const s of shapesOf(seq)) cov[s] = cover(s);
      saved += value;
      sequences.push({
        node,
        ops: seq,
        frequency: tree.frequency[node],
        saved: value,
        example: tree.example[node],
      });
      continue;
    }
    const gain = evaluate(seq);
    stamp[node] = sequences.length;
    if (gain > 0) heap.push(gain, node);
  }
  return { sequences, totalDispatches, saved, evaluations };
}

/** A binary max-heap of (value, id); ties pop the smaller id first. */
class Heap {
  #v: number[] = [];
  #id: number[] = [];

  get size(): number {
    return this.#v.length;
  }

  #above(a: number, b: number): boolean {
    const v = this.#v, id = this.#id;
    return v[a] > v[b] || (v[a] === v[b] && id[a] < id[b]);
  }

  #swap(a: number, b: number): void {
    const v = this.#v, id = this.#id;
    [v[a], v[b]] = [v[b], v[a]];
    [id[a], id[b]] = [id[b], id[a]];
  }

  push(value: number, id: number): void {
    this.#v.push(value);
    this.#id.push(id);
    let k = this.#v.length - 1;
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (!this.#above(k, up)) break;
      this.#swap(k, up);
      k = up;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.#v[0], this.#id[0]];
    const last = this.#v.length - 1;
    this.#swap(0, last);
    this.#v.pop();
    this.#id.pop();
    let k = 0;
    for (;;) {
      const l = 2 * k + 1, r = l + 1;
      let m = k;
      if (l < last && this.#above(l, m)) m = l;
      if (r < last && this.#above(r, m)) m = r;
      if (m === k) break;
      this.#swap(k, m);
      k = m;
    }
    return top;
  }
}
