// Random floating-point programs (random_fp_program.ts) behave alike on
// qemu-riscv32 and on every oplet configuration: float registers as bit
// patterns, fcsr and integer registers, exit code. CI runs fixed seeds; the
// long run is `deno task fuzz --fp`.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { Differential, hasQemu, QEMU, runOplet } from "./differential.ts";
import { FP_DATA_SIZE, randomFpProgram } from "./random_fp_program.ts";

const QEMU_MISSING = !hasQemu();
if (QEMU_MISSING) {
  console.warn(`skipping the FP differential test: ${QEMU} is not installed`);
}

/** Fixed seeds: reproduce a failure with `deno task fuzz --fp --seed S --count 1`. */
const CI_SEEDS = Array.from({ length: 40 }, (_, k) => 5000 + k);

Deno.test({
  name:
    "fp differential: random FP programs behave alike on qemu-riscv32 and oplet (40 fixed seeds)",
  ignore: QEMU_MISSING,
  async fn() {
    const d = await Differential.create();
    d.generate = randomFpProgram;
    try {
      const r = await d.run(CI_SEEDS, { concurrency: 2 });
      strictEqual(r.compared, CI_SEEDS.length);
      deepStrictEqual(r.mismatches.map((m) => m.report), []);
    } finally {
      await d.close();
    }
  },
});

Deno.test("random_fp_program: the same seed gives the same bytes; a program dumps its state", async () => {
  deepStrictEqual(randomFpProgram(7).elf, randomFpProgram(7).elf);
  ok(randomFpProgram(7).elf.join() !== randomFpProgram(8).elf.join());
  let dumped = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const p = randomFpProgram(seed);
    const o = await runOplet(p.elf, { name: "unfused", fused: null });
    strictEqual(o.limitHit, false);
    if (p.minStdoutLength > 0) {
      strictEqual(o.stdout.length, FP_DATA_SIZE, `seed ${seed}: ${o.note}`);
      dumped++;
    }
  }
  ok(dumped >= 8);
});
