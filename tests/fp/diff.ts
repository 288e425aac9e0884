/**
 * Compares the softfloat module with qemu-riscv32 on random records, or
 * records the expected outputs of the fixed set that the tests use.
 *
 * Usage:
 *
 *     deno run -A tests/fp/diff.ts [--seed N] [--per-op N] [--runs N] [--op NAME]
 *     deno run -A tests/fp/diff.ts --record    # rewrites tests/fp/expected_seed1.txt.gz
 *
 * Each run draws `--per-op` records of every operation (or of `--op` only)
 * from seed `--seed` + run number, runs them on qemu-riscv32 and on the
 * module, prints the first differences and a count; the exit status is 1 if
 * anything differs.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  evalRecord,
  formatRecord,
  FP_OPS,
  type FpRecord,
  randRecord,
  runOnQemu,
  seededRecords,
} from "./fp_ops.ts";
import { Prng } from "../fuzz/prng.ts";
import { RECORDED_PER_OP, RECORDED_SEED, writeRecorded } from "./recorded.ts";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1000" },
    "per-op": { type: "string", default: "500" },
    runs: { type: "string", default: "1" },
    op: { type: "string" },
    record: { type: "boolean", default: false },
  },
});

if (values.record) {
  const recs = seededRecords(RECORDED_SEED, RECORDED_PER_OP);
  const out = await runOnQemu(recs);
  await writeRecorded(out);
  console.log(`recorded ${out.length} qemu-riscv32 results`);
  Deno.exit(0);
}

const num = (name: string, v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`diff: --${name} must be a non-negative integer, not "${v}"`);
    Deno.exit(2);
  }
  return n;
};
const seed = num("seed", values.seed);
const perOp = num("per-op", values["per-op"]);
const runs = num("runs", values.runs);
let ops = FP_OPS.map((_, i) => i);
if (values.op !== undefined) {
  const k = FP_OPS.indexOf(values.op);
  if (k < 0) {
    console.error(
      `diff: unknown --op "${values.op}" (one of ${FP_OPS.join(" ")})`,
    );
    Deno.exit(2);
  }
  ops = [k];
}

let total = 0, bad = 0;
for (let run = 0; run < runs; run++) {
  const r = new Prng(seed + run);
  const recs: FpRecord[] = [];
  for (let i = 0; i < perOp; i++) {
    for (const op of ops) recs.push(randRecord(r, op));
  }
  const want = await runOnQemu(recs);
  for (let i = 0; i < recs.length; i++) {
    const got = evalRecord(recs[i]);
    if (got !== want[i]) {
      bad++;
      if (bad <= 20) {
        console.log(
          `${FP_OPS[recs[i].op]} ${formatRecord(recs[i])}: qemu ${
            want[i]
          }, softfloat ${got}`,
        );
      }
    }
  }
  total += recs.length;
}
console.log(`${total} operations compared with qemu-riscv32, ${bad} differ`);
Deno.exit(bad === 0 ? 0 : 1);
