import assert from "node:assert/strict";
import { collapseSeqs, compareSeqs, type OpletInfo } from "@oplet/emu";
import { ProfileFormatError } from "@oplet/emu";
import { rankSequences } from "./rank.ts";
import { buildTree, type SequenceTree } from "./sequence_tree.ts";
import { profileBytes, type SyntheticRun, syntheticRuns } from "./synthetic.ts";
import { TbTable } from "./tb_table.ts";

const TINY: OpletInfo[] = [
  { name: "profile", params: 1, exit: true },
  { name: "a", params: 0, exit: false },
  { name: "b", params: 1, exit: false },
  { name: "x", params: 0, exit: true },
  { name: "c", params: 2, exit: false },
];

function stream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
}

async function tableOf(
  runs: SyntheticRun[][],
  oplets: OpletInfo[] = TINY,
): Promise<TbTable> {
  const t = new TbTable();
  for (const [k, r] of runs.entries()) {
    await t.addProfile(stream(await profileBytes(r, { oplets })), `p${k}`);
  }
  return t;
}

/** Every sequence's frequency, counted the slow way from the executions. */
function bruteForce(
  runs: readonly SyntheticRun[],
  oplets: readonly OpletInfo[],
  maxDepth: number,
  fuseExits: boolean,
): Map<string, number> {
  const freq = new Map<string, number>();
  for (const run of runs) {
    for (const id of run.executions) {
      const ops = run.tbs[id].ops;
      for (let s = 0; s < ops.length; s++) {
        for (let l = 1; l <= maxDepth && s + l <= ops.length; l++) {
          const last = ops[s + l - 1];
          if (oplets[last].exit && !fuseExits) break;
          const key = ops.slice(s, s + l).join(",");
          freq.set(key, (freq.get(key) ?? 0) + 1);
          if (oplets[last].exit) break;
        }
      }
    }
  }
  return freq;
}

function treeMap(tree: SequenceTree): Map<string, number> {
  const out = new Map<string, number>();
  for (let n = 1; n < tree.size; n++) {
    out.set(tree.sequence(n).join(","), tree.frequency[n]);
    assert.ok(n === 0 || tree.parent[n] < n, "parents come first");
  }
  return out;
}

function runsOf(tbs: number[][], executions: number[]): SyntheticRun {
  return {
    guest: "hand.elf",
    argv: ["hand"],
    tbs: tbs.map((ops, id) => ({
      id,
      pc: 0x10000 + 16 * id,
      icount: ops.length,
      ops,
    })),
    executions: Uint32Array.from(executions),
  };
}

Deno.test("tree frequencies match a brute-force count on random profiles", async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const runs = syntheticRuns({
      seed,
      runs: 1 + (seed % 3),
      tbs: 5 + seed * 3,
      executions: 500 + 97 * seed,
      maxOps: 2 + (seed % 9),
      oplets: TINY,
      midExit: 0.5,
    });
    const table = await tableOf([runs]);
    for (const fuseExits of [false, true]) {
      const maxDepth = 1 + (seed % 6);
      const tree = buildTree(table, { maxDepth, fuseExits });
      assert.deepEqual(
        treeMap(tree),
        bruteForce(runs, TINY, maxDepth, fuseExits),
        `seed ${seed}`,
      );
      assert.equal(tree.pruned, 0);
    }
  }
});

Deno.test("sequences stop at exit oplets; --fuse-exits lets one end a sequence", async () => {
  // a x a b, run 10 times: x (3) is an exit oplet.
  const table = await tableOf([[runsOf([[1, 3, 1, 2]], Array(10).fill(0))]]);
  assert.deepEqual(
    treeMap(buildTree(table)),
    new Map([["1", 20], ["1,2", 10], ["2", 10]]),
  );
  assert.deepEqual(
    treeMap(buildTree(table, { fuseExits: true })),
    new Map([["1", 20], ["1,3", 10], ["3", 10], ["1,2", 10], ["2", 10]]),
  );
});

Deno.test("the node cap keeps the most frequent sequences and says so", async () => {
  const runs = syntheticRuns({
    seed: 3,
    tbs: 40,
    executions: 5000,
    maxOps: 10,
    oplets: TINY,
  });
  const table = await tableOf([runs]);
  const full = bruteForce(runs, TINY, 8, false);
  for (const maxNodes of [1, 5, 30, 100]) {
    const tree = buildTree(table, { maxNodes });
    const kept = treeMap(tree);
    assert.ok(kept.size <= maxNodes);
    assert.ok(tree.pruned > 0);
    for (const [seq, f] of kept) {
      assert.equal(f, full.get(seq));
      assert.ok(f >= tree.prunedFrequency);
      if (seq.includes(",")) {
        assert.ok(kept.has(seq.slice(0, seq.lastIndexOf(","))));
      }
    }
    for (const [seq, f] of full) {
      if (!kept.has(seq)) assert.ok(f <= tree.prunedFrequency, seq);
    }
  }
});

Deno.test("profiles and runs merge into one tree", async () => {
  const a = syntheticRuns({
    seed: 21,
    runs: 2,
    tbs: 30,
    executions: 3000,
    oplets: TINY,
  });
  const b = syntheticRuns({
    seed: 22,
    runs: 1,
    tbs: 20,
    executions: 2000,
    oplets: TINY,
  });
  const two = await tableOf([a, b]);
  const one = await tableOf([[...a, ...b]]);
  const merged = await tableOf([a]);
  merged.merge(await tableOf([b]));
  const want = bruteForce([...a, ...b], TINY, 8, false);
  for (const t of [two, one, merged]) {
    assert.deepEqual(treeMap(buildTree(t)), want);
    assert.equal(t.runs.length, 3);
    assert.equal(t.executions, 2 * 3000 + 2000);
  }
  assert.deepEqual(two.profiles, ["p0", "p1"]);
});

Deno.test("a profile made with another oplet table does not merge", async () => {
  const other = TINY.map((o) => o.name === "c" ? { ...o, params: 1 } : o);
  const t = await tableOf([
    syntheticRuns({ oplets: TINY, tbs: 3, executions: 10 }),
  ]);
  const bytes = await profileBytes(
    syntheticRuns({ oplets: other, tbs: 3, executions: 10 }),
    {
      oplets: other,
    },
  );
  await assert.rejects(
    t.addProfile(stream(bytes), "other.profile"),
    (e: unknown) => {
      assert.ok(e instanceof ProfileFormatError);
      assert.match(
        e.message,
        /^Profile was made for "riscv32" with oplet table [0-9a-f]{8}, but "p0" .* cannot merge them \(in "other.profile" at offset 9\)$/,
      );
      return true;
    },
  );
});

Deno.test("a truncated profile contributes its complete runs", async () => {
  const runs = syntheticRuns({
    seed: 4,
    runs: 2,
    tbs: 10,
    executions: 1000,
    oplets: TINY,
  });
  const bytes = await profileBytes(runs, { oplets: TINY, batch: 100 });
  const t = new TbTable();
  const r = await t.addProfile(
    stream(bytes.subarray(0, bytes.length - 30)),
    "cut",
  );
  assert.equal(r.truncated?.kind, "truncated");
  assert.ok(t.executions > 1000 && t.executions < 2000);
});

Deno.test("ranking picks the sequence that saves most, and its savings are what collapsing saves", async () => {
  // a b a b a b, 10 times; a b c, once.
  const table = await tableOf([[runsOf([[1, 2, 1, 2, 1, 2], [1, 2, 4]], [
    ...Array(10).fill(0),
    1,
  ])]]);
  const r1 = rankSequences(table, buildTree(table), { count: 1 });
  assert.deepEqual(r1.sequences.map((s) => [s.ops, s.saved]), [[[
    1,
    2,
    1,
    2,
    1,
    2,
  ], 50]]);
  assert.equal(r1.totalDispatches, 63);

  for (let seed = 1; seed <= 6; seed++) {
    const runs = syntheticRuns({
      seed,
      runs: 2,
      tbs: 60,
      executions: 4000,
      oplets: TINY,
    });
    const t = await tableOf([runs]);
    const count = 5 * seed;
    const r = rankSequences(t, buildTree(t, { maxDepth: 6 }), { count });
    assert.ok(r.sequences.length <= count && r.sequences.length > 0);
    assert.ok(r.sequences.every((s) => s.saved > 0));
    // Collapse every executed TB with the chosen set, as the emulator does.
    const seqTable = r.sequences.map((s, k) => ({ seq: s.ops, fused: k }))
      .sort((x, y) => compareSeqs(x.seq, y.seq));
    const zero = TINY.map(() => 0);
    let saved = 0;
    for (let s = 0; s < t.size; s++) {
      const ops = Array.from(t.shapeOps(s));
      const c = collapseSeqs(ops, zero, seqTable, TINY.length, 6);
      saved += t.weight[s] * (ops.length - c.nops);
    }
    assert.equal(r.saved, saved, `seed ${seed}`);
    assert.equal(r.sequences.reduce((a, s) => a + s.saved, 0), saved);
  }
});
