/**
 * The seed's tree of oplet sequences: a node per sequence, whose children
 * are the sequences one oplet longer, each with the frequency of the
 * sequence (how many times it ran inside executed TBs: a TB that ran E times
 * and contains the sequence k times adds k × E) and the profile offsets of
 * the first TBs that contain it.
 *
 * Sequences never cross a TB boundary and never extend past an oplet whose
 * `exit` flag is set in the profile's oplet table (the seed's `EXIT_TB`
 * rule). By default a sequence that contains an exit oplet is not counted at
 * all; with `fuseExits`, an exit oplet may end one.
 *
 * The tree is built level by level from a {@link TbTable}: all sequences of
 * length 1, then 2, and so on up to `maxDepth`. When it holds more than
 * `maxNodes` nodes after a level, the least frequent nodes are dropped (ties:
 * the deepest first). This is safe: a sequence never runs more often than
 * its prefix, so the kept nodes are exactly the most frequent sequences and
 * still form a tree, and no dropped node would have had a child worth
 * keeping.
 *
 * Memory: a node takes `28 + 4 × offsetsPerNode` bytes in its typed arrays
 * (60 with the default 8 offsets) plus 8 to 16 bytes of hash table, and the
 * arrays grow by doubling, so the default cap of 200,000 nodes takes 15 to
 * 30 MiB; while a level is being built the tree may briefly hold `maxNodes`
 * plus that level's new nodes. Building also keeps 4 bytes per oplet of every
 * executed TB shape, and the {@link TbTable} about 40 bytes per distinct TB
 * shape plus 2 bytes per oplet. None of it grows with the number of
 * executions.
 *
 * @module
 */

import type { TbTable } from "./tb_table.ts";

/** Options for {@link buildTree}. */
export interface TreeOptions {
  /** The longest sequence (default 8, at most 255). */
  maxDepth?: number;
  /** The most nodes to keep (default 200,000). */
  maxNodes?: number;
  /** Let an exit oplet end a sequence (default false: such sequences are not counted). */
  fuseExits?: boolean;
  /** How many TB definitions each node indexes (default 8). */
  offsetsPerNode?: number;
}

/** Default {@link TreeOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 8;
/** Default {@link TreeOptions.maxNodes}. */
export const DEFAULT_MAX_NODES = 200_000;

/** The tree of oplet sequences; node 0 is the root (the empty sequence). */
export class SequenceTree {
  /** How many nodes, the root included. */
  size = 1;
  /** Each node's parent (-1 for the root). */
  parent: Int32Array;
  /** Each node's last oplet. */
  op: Uint16Array;
  /** Each node's sequence length. */
  depth: Uint8Array;
  /** Each node's frequency. */
  frequency: Float64Array;
  /** Each node's heaviest TB shape (index in the table) containing it. */
  example: Int32Array;
  /** The TB shapes (indices in the table) of the first TBs that contain each node, `offsetsPerNode` slots a node. */
  shapes: Int32Array;
  /** How many of a node's {@link shapes} slots are used. */
  shapeCount: Uint8Array;
  /** Slots per node in {@link shapes}. */
  readonly offsetsPerNode: number;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<TreeOptions>;
  /** Nodes dropped by the `maxNodes` cap. */
  pruned = 0;
  /** The highest frequency among dropped nodes (0 when none was dropped). */
  prunedFrequency = 0;
  /** Whether some sequence of length `maxDepth` could have gone on. */
  depthCapped = false;
  #exampleWeight: Float64Array;
  #hash: Int32Array;
  #children: Int32Array | null = null;
  #childStart: Int32Array | null = null;

  /** Creates an empty tree; {@link buildTree} fills one. */
  constructor(options: TreeOptions = {}) {
    this.options = {
      maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
      maxNodes: options.maxNodes ?? DEFAULT_MAX_NODES,
      fuseExits: options.fuseExits ?? false,
      offsetsPerNode: options.offsetsPerNode ?? 8,
    };
    const { maxDepth, maxNodes, offsetsPerNode } = this.options;
    if (!(maxDepth >= 1 && maxDepth <= 255)) {
      throw new RangeError(`Tree depth ${maxDepth} is not between 1 and 255`);
    }
    if (!(maxNodes >= 1)) {
      throw new RangeError(`Tree node cap ${maxNodes} is below 1`);
    }
    if (!(offsetsPerNode >= 0 && offsetsPerNode <= 255)) {
      throw new RangeError(
        `Offsets per node ${offsetsPerNode} is not between 0 and 255`,
      );
    }
    this.offsetsPerNode = offsetsPerNode;
    const cap = 1024;
    this.parent = new Int32Array(cap);
    this.op = new Uint16Array(cap);
    this.depth = new Uint8Array(cap);
    this.frequency = new Float64Array(cap);
    this.example = new Int32Array(cap);
    this.#exampleWeight = new Float64Array(cap);
    this.shapes = new Int32Array(cap * offsetsPerNode);
    this.shapeCount = new Uint8Array(cap);
    this.#hash = new Int32Array(2 * cap).fill(-1);
    this.parent[0] = -1;
    this.example[0] = -1;
  }

  /** The child of `node` for `op`, or -1. */
  child(node: number, op: number): number {
    const h = this.#hash, mask = h.length - 1;
    for (let k = hashOf(node, op) & mask;; k = (k + 1) & mask) {
      const c = h[k];
      if (c < 0) return -1;
      if (this.parent[c] === node && this.op[c] === op) return c;
    }
  }

  /** The node of a sequence, or -1 when it is not in the tree. */
  find(seq: ArrayLike<number>): number {
    let n = 0;
    for (let k = 0; k < seq.length && n >= 0; k++) n = this.child(n, seq[k]);
    return n;
  }

  /** The sequence of a node, as oplet numbers. */
  sequence(node: number): number[] {
    const out: number[] = [];
    for (let n = node; n > 0; n = this.parent[n]) out.push(this.op[n]);
    return out.reverse();
  }

  /** The children of a node, in no particular order. */
  children(node: number): Int32Array {
    if (this.#children === null) this.#indexChildren();
    return this.#children!.subarray(
      this.#childStart![node],
      this.#childStart![node + 1],
    );
  }

  /** The TB shapes a node indexes (the first ones that contain it). */
  nodeShapes(node: number): Int32Array {
    const k = this.offsetsPerNode;
    return this.shapes.subarray(node * k, node * k + this.shapeCount[node]);
  }

  /** Finds or creates the child of `node` for `op`. */
  childOrNew(node: number, op: number): number {
    const mask = this.#hash.length - 1;
    let k = hashOf(node, op) & mask;
    for (;; k = (k + 1) & mask) {
      const c = this.#hash[k];
      if (c < 0) break;
      if (this.parent[c] === node && this.op[c] === op) return c;
    }
    const n = this.size++;
    if (n >= this.parent.length) this.#grow();
    this.parent[n] = node;
    this.op[n] = op;
    this.depth[n] = this.depth[node] + 1;
    this.frequency[n] = 0;
    this.example[n] = -1;
    this.#exampleWeight[n] = 0;
    this.shapeCount[n] = 0;
    this.#children = null;
    if (2 * this.size > this.#hash.length) this.#rehash(2 * this.#hash.length);
    else this.#hash[k] = n;
    return n;
  }

  /** Adds `weight` occurrences found in TB shape `shape` to `node`. */
  count(node: number, weight: number, shape: number): void {
    this.frequency[node] += weight;
    if (weight > this.#exampleWeight[node]) {
      this.#exampleWeight[node] = weight;
      this.example[node] = shape;
    }
    const k = this.offsetsPerNode, used = this.shapeCount[node];
    if (
      used < k && (used === 0 || this.shapes[node * k + used - 1] !== shape)
    ) {
      this.shapes[node * k + used] = shape;
      this.shapeCount[node] = used + 1;
    }
  }

  /**
   * Keeps the `max` most frequent nodes (ties: shallower first), dropping
   * the rest; returns the old-to-new node map (-1 for dropped nodes).
   */
  prune(max: number): Int32Array {
    const n = this.size;
    const map = new Int32Array(n).fill(-1);
    if (n - 1 <= max) {
      for (let k = 0; k < n; k++) map[k] = k;
      return map;
    }
    const order = new Int32Array(n - 1);
    for (let k = 1; k < n; k++) order[k - 1] = k;
    const f = this.frequency, d = this.depth;
    order.sort((a, b) => f[b] - f[a] || d[a] - d[b] || a - b);
    const keep = new Uint8Array(n);
    keep[0] = 1;
    for (let k = 0; k < max; k++) keep[order[k]] = 1;
    let top = 0;
    for (let k = max; k < order.length; k++) top = Math.max(top, f[order[k]]);
    this.prunedFrequency = Math.max(this.prunedFrequency, top);
    this.pruned += n - 1 - max;
    // Compact in index order: parents come before their children.
    const K = this.offsetsPerNode;
    let m = 0;
    for (let k = 0; k < n; k++) {
      if (!keep[k]) continue;
      map[k] = m;
      if (m !== k) {
        this.parent[m] = k === 0 ? -1 : map[this.parent[k]];
        this.op[m] = this.op[k];
        this.depth[m] = this.depth[k];
        this.frequency[m] = this.frequency[k];
        this.example[m] = this.example[k];
        this.#exampleWeight[m] = this.#exampleWeight[k];
        this.shapeCount[m] = this.shapeCount[k];
        this.shapes.copyWithin(m * K, k * K, k * K + K);
      }
      m++;
    }
    this.size = m;
    this.#children = null;
    this.#rehash(this.#hash.length);
    return map;
  }

  #grow(): void {
    const n = this.parent.length * 2;
    const grow = <
      T extends Int32Array | Uint16Array | Uint8Array | Float64Array,
    >(
      a: T,
      b: T,
    ): T => {
      b.set(a);
      return b;
    };
    this.parent = grow(this.parent, new Int32Array(n));
    this.op = grow(this.op, new Uint16Array(n));
    this.depth = grow(this.depth, new Uint8Array(n));
    this.frequency = grow(this.frequency, new Float64Array(n));
    this.example = grow(this.example, new Int32Array(n));
    this.#exampleWeight = grow(this.#exampleWeight, new Float64Array(n));
    this.shapes = grow(this.shapes, new Int32Array(n * this.offsetsPerNode));
    this.shapeCount = grow(this.shapeCount, new Uint8Array(n));
  }

  #rehash(size: number): void {
    const h = new Int32Array(size).fill(-1), mask = size - 1;
    for (let c = 1; c < this.size; c++) {
      let k = hashOf(this.parent[c], this.op[c]) & mask;
      while (h[k] >= 0) k = (k + 1) & mask;
      h[k] = c;
    }
    this.#hash = h;
  }

  #indexChildren(): void {
    const n = this.size;
    const start = new Int32Array(n + 1);
    for (let c = 1; c < n; c++) start[this.parent[c] + 1]++;
    for (let k = 0; k < n; k++) start[k + 1] += start[k];
    const fill = start.slice(0, n);
    const kids = new Int32Array(Math.max(0, n - 1));
    for (let c = 1; c < n; c++) kids[fill[this.parent[c]]++] = c;
    this.#children = kids;
    this.#childStart = start;
  }
}

function hashOf(node: number, op: number): number {
  const h = Math.imul(node ^ Math.imul(op + 1, 0x85ebca6b), 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Builds the tree of a table's executed TB shapes (see the module doc for
 * the rules and caps).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildTree, TbTable } from "@oplet/analyze";
 * const table = new TbTable(); // then table.addProfile("prog.profile")
 * const tree = buildTree(table, { maxDepth: 4 });
 * assert.equal(tree.size, 1); // the root only: nothing ran
 * ```
 */
export function buildTree(
  table: TbTable,
  options: TreeOptions = {},
): SequenceTree {
  const tree = new SequenceTree(options);
  const { maxDepth, maxNodes, fuseExits } = tree.options;
  const exit = new Uint8Array(Math.max(1, table.oplets.length));
  table.oplets.forEach((o, k) => (exit[k] = o.exit ? 1 : 0));
  // cursor[p]: the node of the sequence of the current length that starts
  // at position p of the (executed) shapes, or -1 once it cannot grow.
  let positions = 0;
  for (let s = 0; s < table.size; s++) {
    if (table.weight[s] > 0) positions += table.length[s];
  }
  const cursor = new Int32Array(positions);
  const ops = table.ops;
  for (let d = 1; d <= maxDepth; d++) {
    let p = 0, alive = 0;
    for (let s = 0; s < table.size; s++) {
      const w = table.weight[s];
      if (w === 0) continue;
      const base = table.start[s], len = table.length[s];
      for (let i = 0; i < len; i++, p++) {
        const node = cursor[p];
        if (node < 0) continue;
        const j = i + d - 1;
        if (j >= len) {
          cursor[p] = -1;
          continue;
        }
        const op = ops[base + j];
        if (exit[op] && !fuseExits) {
          cursor[p] = -1;
          continue;
        }
        const c = tree.childOrNew(node, op);
        tree.count(c, w, s);
        if (exit[op]) cursor[p] = -1;
        else {
          cursor[p] = c;
          alive++;
        }
      }
    }
    if (tree.size - 1 > maxNodes) {
      const map = tree.prune(maxNodes);
      alive = 0;
      for (let k = 0; k < positions; k++) {
        if (cursor[k] >= 0) {
          cursor[k] = map[cursor[k]];
          if (cursor[k] >= 0) alive++;
        }
      }
    }
    if (alive === 0) break;
    if (d === maxDepth) {
      tree.depthCapped = canGrow(table, cursor, d, exit, fuseExits);
    }
  }
  return tree;
}

function canGrow(
  table: TbTable,
  cursor: Int32Array,
  d: number,
  exit: Uint8Array,
  fuseExits: boolean,
): boolean {
  let p = 0;
  for (let s = 0; s < table.size; s++) {
    if (table.weight[s] === 0) continue;
    const len = table.length[s], base = table.start[s];
    for (let i = 0; i < len; i++, p++) {
      if (cursor[p] < 0 || i + d >= len) continue;
      if (fuseExits || !exit[table.ops[base + i + d]]) return true;
    }
  }
  return false;
}
