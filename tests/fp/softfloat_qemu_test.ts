// The softfloat module against qemu-riscv32, operation by operation: a fixed
// seeded set against recorded qemu results, and a fresh set live when qemu is
// installed.
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  evalRecord,
  formatRecord,
  FP_OPS,
  type FpRecord,
  haveQemu,
  runOnQemu,
  seededRecords,
} from "./fp_ops.ts";
import { readRecorded, RECORDED_PER_OP, RECORDED_SEED } from "./recorded.ts";

function differences(
  recs: readonly FpRecord[],
  want: readonly string[],
): string[] {
  const bad: string[] = [];
  for (let i = 0; i < recs.length; i++) {
    const got = evalRecord(recs[i]);
    if (got !== want[i]) {
      bad.push(
        `${FP_OPS[recs[i].op]} ${formatRecord(recs[i])}: qemu ${
          want[i]
        }, softfloat ${got}`,
      );
    }
  }
  return bad;
}

Deno.test("softfloat matches recorded qemu-riscv32 results on the fixed seeded set", async () => {
  const recs = seededRecords(RECORDED_SEED, RECORDED_PER_OP);
  const want = await readRecorded();
  assertEquals(want.length, recs.length);
  assertEquals(differences(recs, want).slice(0, 10), []);
});

Deno.test("the recorded set is what qemu-riscv32 gives now", {
  ignore: !(await haveQemu()),
}, async () => {
  const recs = seededRecords(RECORDED_SEED, RECORDED_PER_OP);
  assertEquals(
    (await runOnQemu(recs)).join("\n"),
    (await readRecorded()).join("\n"),
  );
});

Deno.test("softfloat matches live qemu-riscv32 on another seeded set", {
  ignore: !(await haveQemu()),
}, async () => {
  const recs = seededRecords(20261201, 200);
  assertEquals(differences(recs, await runOnQemu(recs)).slice(0, 10), []);
});
