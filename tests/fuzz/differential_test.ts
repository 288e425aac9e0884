import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { OPLETS, runElf } from "@oplet/emu";
import {
  CaptureIo,
  composedFusedSet,
  describeDiff,
  Differential,
  hasQemu,
  QEMU,
  runOplet,
} from "./differential.ts";
import { composeFusedSet, composeOplet } from "./synthetic_fused.ts";
import { DATA_SIZE, randomProgram } from "./random_program.ts";

const QEMU_MISSING = !hasQemu();
if (QEMU_MISSING) {
  console.warn(
    `skipping the differential tests: ${QEMU} is not installed or --allow-run is not granted`,
  );
}

/** Seeds the CI run compares: fixed, so a failure is reproducible with `deno task fuzz --seed S --count 1`. */
const CI_SEEDS = Array.from({ length: 60 }, (_, k) => 1000 + k);

Deno.test({
  name:
    "differential: random programs behave alike on qemu-riscv32 and oplet (60 fixed seeds)",
  ignore: QEMU_MISSING,
  async fn() {
    const d = await Differential.create();
    try {
      const r = await d.run(CI_SEEDS, { concurrency: 3 });
      strictEqual(r.compared, CI_SEEDS.length);
      deepStrictEqual(r.mismatches.map((m) => m.report), []);
    } finally {
      await d.close();
    }
  },
});

Deno.test("random_program: the same seed gives the same bytes, another seed others", () => {
  deepStrictEqual(randomProgram(5).elf, randomProgram(5).elf);
  ok(randomProgram(5).text.join() !== randomProgram(6).text.join());
});

Deno.test("random_program: a program ends by dumping its region, with sp balanced", async () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const p = randomProgram(seed);
    const o = await runOplet(p.elf, { name: "unfused", fused: null });
    ok(
      o.stdout.length >= p.minStdoutLength,
      `seed ${seed}: ${o.stdout.length} bytes, ${o.note}`,
    );
    strictEqual(p.minStdoutLength, DATA_SIZE);
    strictEqual(o.limitHit, false);
    const dump = o.stdout.length - DATA_SIZE;
    strictEqual(
      new DataView(o.stdout.buffer).getInt32(dump + 8, true),
      0,
      `seed ${seed}: sp moved`,
    );
  }
});

Deno.test("describeDiff names the register or data word that differs", () => {
  const a = new Uint8Array(256), b = new Uint8Array(256);
  strictEqual(describeDiff(a, b, 200), "");
  b[56 + 4 * 7 + 1] = 1;
  ok(describeDiff(a, b, 200).includes("register x7"), describeDiff(a, b, 200));
  b[20] = 1;
  ok(describeDiff(a, b, 200).includes("a write before the dump"));
  ok(describeDiff(a, b, 200).includes("(2 bytes differ)"));
  b[20] = 0;
  b[56 + 4 * 7 + 1] = 0;
  b[56 + 130] = 1;
  ok(
    describeDiff(a, b, 200).includes("data word at offset 128"),
    describeDiff(a, b, 200),
  );
  ok(describeDiff(a, b.subarray(0, 100)).includes("lengths differ"));
});

Deno.test({
  name: "differential: a sabotaged fused oplet is caught and its seed reported",
  ignore: QEMU_MISSING,
  async fn() {
    const n = (name: string) => OPLETS.findIndex((o) => o.name === name);
    const set = composeFusedSet([[n("mov_T1_r"), n("add")]]);
    const wrong = composeOplet([n("mov_T1_r"), n("sub")]); // does a sub where an add was asked for
    const bad = { ...set, oplets: [{ ...set.oplets[0], fn: wrong.fn }] };
    const d = await Differential.create([
      { name: "unfused", fused: null },
      { name: "sabotaged", fused: bad, backend: "call" },
    ]);
    try {
      const r = await d.run([1, 2, 3], { concurrency: 1 });
      ok(r.mismatches.length > 0, "no mismatch found");
      const m = r.mismatches[0];
      ok(
        m.report.includes(`seed ${m.seed}`) && m.report.includes("sabotaged"),
        m.report,
      );
      ok(!m.report.includes("unfused:"), m.report);
      ok((await Deno.stat(m.elfPath)).isFile);
      await Deno.remove(m.elfPath);
    } finally {
      await d.close();
    }
  },
});

Deno.test("composed fused set: collapses blocks and leaves the results alone", async () => {
  const set = await composedFusedSet(2);
  for (const seed of [11, 12, 13]) {
    const elf = randomProgram(seed).elf;
    const opts = { argv: ["t"], memSize: 16 << 20, maxInsns: 1e6 };
    const u = await runElf(elf, { ...opts, io: new CaptureIo() });
    const f = await runElf(elf, {
      ...opts,
      io: new CaptureIo(),
      fused: set,
      backend: "call",
    });
    deepStrictEqual(f.machine.cpu.x, u.machine.cpu.x);
    strictEqual(f.stats.insns, u.stats.insns);
    ok(
      f.stats.dispatched < u.stats.dispatched,
      `${f.stats.dispatched} >= ${u.stats.dispatched}`,
    );
  }
});
