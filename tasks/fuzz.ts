/**
 * `deno task fuzz [--fp] [--seed S] [--count N] [--time SECONDS] [--jobs J]`:
 * the long differential fuzzing run. Generates random RV32IMAC programs (with
 * `--fp`, random floating-point programs from
 * `tests/fuzz/random_fp_program.ts`) from
 * consecutive seeds starting at S (default: from the clock), runs each on
 * qemu-riscv32 and on oplet (unfused and fused, on every backend), and reports
 * programs compared per second and every mismatch with its seed and the
 * saved executable. `--only TEXT` compares only the variants whose name
 * holds TEXT (with the unfused reference). Stops after N programs or SECONDS seconds (default 60
 * seconds when neither is given) or at Ctrl-C; exits 1 if anything differed.
 *
 * Reproduce a mismatch with `deno task fuzz --seed S --count 1`, or check
 * saved executables again with `deno task fuzz --elf FILE...`.
 *
 * @module
 */

import { Differential, hasQemu, QEMU } from "../tests/fuzz/differential.ts";
import { randomFpProgram } from "../tests/fuzz/random_fp_program.ts";
import { taskArgs, usageError } from "./task_args.ts";

const USAGE =
  `Usage: oplet-fuzz (deno task fuzz) [--fp] [--seed S] [--count N] [--time SECONDS] [--jobs J] [--only TEXT] [--elf FILE...]

Differential fuzzing: random RV32IMAC programs run on qemu-riscv32 and on oplet
(unfused and fused, every backend); every mismatch is reported with its seed
and saved executable. Stops after N programs or SECONDS seconds (default 60
when neither is given) or at Ctrl-C.

  --fp            random floating-point programs (F and D) instead
  --seed S        the first seed (default: from the clock)
  --count N       programs to compare
  --time SECONDS  stop after this long
  --jobs J        programs run at once
  --only TEXT     compare only the variants whose name holds TEXT (with the
                  unfused reference)
  --elf FILE      check saved executables again instead (repeatable)

Exit status: 0 when everything agreed, 1 for a mismatch or an error, 2 for a
usage error.`;

function num(
  name: string,
  v: string | undefined,
  min: number,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    usageError(
      "fuzz",
      `Option --${name} expects an integer >= ${min}, got "${v}"`,
    );
  }
  return n;
}

async function main(): Promise<number> {
  const o = taskArgs("fuzz", USAGE, Deno.args, {
    seed: { type: "string" },
    count: { type: "string" },
    time: { type: "string" },
    jobs: { type: "string" },
    elf: { type: "string", multiple: true },
    fp: { type: "boolean" },
    only: { type: "string" },
  }) as Record<string, string | undefined> & {
    elf?: string[];
    fp?: boolean;
    only?: string;
  };
  const seed0 = num("seed", o.seed, 0) ?? (Date.now() % 1_000_000_000);
  const count = num("count", o.count, 1);
  const time = num("time", o.time, 1) ?? (count === undefined ? 60 : undefined);
  const jobs = num("jobs", o.jobs, 1) ?? 3;
  if (!hasQemu()) {
    console.error(
      `oplet-fuzz: cannot run ${QEMU}: install qemu-user (Debian: apt-get install qemu-user)`,
    );
    return 2;
  }

  let variants;
  if (o.only !== undefined) {
    // The unfused reference, and the variants whose name holds the text.
    const probe = await Differential.create();
    const all = probe.variants;
    await probe.close();
    variants = [
      all[0],
      ...all.slice(1).filter((v) => v.name.includes(o.only!)),
    ];
    if (variants.length === 1) {
      console.error(
        `oplet-fuzz: --only "${o.only}" names no variant; expected part of one of: ${
          all.slice(1).map((v) => `"${v.name}"`).join(", ")
        }`,
      );
      return 2;
    }
  }
  const d = await Differential.create(variants);
  if (o.fp) d.generate = randomFpProgram;
  if (o.elf) {
    let bad = 0;
    for (const path of o.elf) {
      const m = await d.check(await Deno.readFile(path), null);
      if (m) bad++;
      console.log(m ? m.report : `${path}: qemu and oplet agree`);
    }
    await d.close();
    return bad > 0 ? 1 : 0;
  }
  console.log(
    `oplet-fuzz: seeds from ${seed0}${count ? `, ${count} programs` : ""}${
      time ? `, ${time} s` : ""
    }`,
  );
  console.log(
    `oplet-fuzz: comparing qemu-riscv32 with oplet ${
      d.variants.map((v) => v.name).join("; ")
    }`,
  );
  let interrupted = false;
  const onInt = () => (interrupted = true);
  Deno.addSignalListener("SIGINT", onInt);
  const t0 = performance.now();
  const deadline = time === undefined ? Infinity : t0 + 1000 * time;
  let lastReport = t0, done = 0, bad = 0;
  function* seeds() {
    for (let k = 0; count === undefined || k < count; k++) yield seed0 + k;
  }
  const rate = () => (done / ((performance.now() - t0) / 1000)).toFixed(1);
  const r = await d.run(seeds(), {
    concurrency: jobs,
    stop: () => interrupted || performance.now() >= deadline,
    onResult: (_seed, m) => {
      done++;
      if (m) {
        bad++;
        console.log(m.report);
      }
      const now = performance.now();
      if (now - lastReport >= 5000) {
        lastReport = now;
        console.log(
          `oplet-fuzz: ${done} programs, ${rate()}/s, ${bad} mismatches`,
        );
      }
    },
  });
  Deno.removeSignalListener("SIGINT", onInt);
  await d.close();
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `oplet-fuzz: ${r.compared} programs compared in ${secs} s (${rate()}/s), seeds ${seed0}..${
      seed0 + r.compared - 1
    }: ${r.mismatches.length} mismatches${interrupted ? " (interrupted)" : ""}`,
  );
  for (const m of r.mismatches) {
    console.log(`oplet-fuzz: mismatch: seed ${m.seed}, saved as ${m.elfPath}`);
  }
  return r.mismatches.length > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
