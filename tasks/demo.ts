/**
 * `deno task demo`: the whole pipeline on the bundled guests, in well under
 * a minute. Profiles the training guests, analyzes the profile, generates a
 * fused set into a temporary folder, runs a held-out guest unfused and fused
 * on the `switch` backend and unfused on the `paste` backend (checking every
 * run against qemu-riscv32's recorded output), and reports the top
 * sequences, oplets dispatched per guest instruction and the speed-ups
 * measured in this run.
 *
 * Options: `--guest NAME` (the held-out guest to run, default `interp`),
 * `--count N` (fused oplets to generate, default 32), `--reps N`
 * (alternating runs of each kind, default 3), `--keep` (keep the generated
 * folder and print its path).
 *
 * @module
 */

import { analysisJson, analyzeProfiles } from "@oplet/analyze";
import {
  CapturedIo,
  loadFusedDir,
  opletInfo,
  OPLETS,
  opletTableHash,
  runElf,
  startProfileWriter,
  TARGET_NAME,
} from "@oplet/emu";
import { generateFromAnalysis } from "@oplet/gen";
import { taskArgs, usageError, wholeNumber } from "./task_args.ts";
import {
  elfPath,
  expected,
  gaveExpected,
  readManifest,
  stdinOf,
} from "../tests/guest_io.ts";

const USAGE =
  `Usage: oplet-demo (deno task demo) [--guest NAME] [--count N] [--reps N] [--keep]

The whole pipeline on the bundled guests: profile the training guests,
analyze, generate fused oplets into a temporary folder, and run a held-out
guest unfused and fused, printing the speed-up measured in this run.

  --guest NAME  the held-out guest to run (default interp)
  --count N     fused oplets to generate (default 32, as the committed set)
  --reps N      alternating runs of each kind (default 3)
  --keep        keep the generated folder and print its path`;
const values = taskArgs("demo", USAGE, Deno.args, {
  guest: { type: "string", default: "interp" },
  count: { type: "string", default: "32" },
  reps: { type: "string", default: "3" },
  keep: { type: "boolean" },
});
const manifest = readManifest();
const held = manifest.find((g) => g.name === values.guest);
if (!held || !held.benchArgs) {
  const names = manifest.filter((g) => g.benchArgs).map((g) => g.name).join(
    ", ",
  );
  usageError(
    "demo",
    `No benchmark guest "${values.guest}"; expected one of ${names}`,
  );
}
const count = wholeNumber("demo", "count", values.count as string);
const reps = wholeNumber("demo", "reps", values.reps as string);
const t0 = performance.now();
const step = (s: string) => console.log(`\n== ${s}`);
// The temporary folder goes on every way out: the end, an error, Ctrl-C.
// The handler is in place before the folder exists (made synchronously,
// so that no Ctrl-C can come between the two).
let dir = "";
let kept = false;
const cleanup = () => {
  if (kept || dir === "") return;
  kept = true;
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch {
    // Already gone.
  }
};
const onInt = () => {
  cleanup();
  console.error("oplet-demo: interrupted");
  Deno.exit(130);
};
Deno.addSignalListener("SIGINT", onInt);
globalThis.addEventListener("unload", cleanup);
// An unexpected error: one line, no folder left, exit 1.
const failed = (e: unknown) => {
  cleanup();
  console.error(
    `oplet-demo: ${
      (e instanceof Error ? e.message : String(e)).split("\n")[0]
    }`,
  );
  Deno.exit(1);
};
globalThis.addEventListener("error", (ev) => {
  ev.preventDefault();
  failed(ev.error);
});
globalThis.addEventListener("unhandledrejection", (ev) => {
  ev.preventDefault();
  failed(ev.reason);
});
dir = Deno.makeTempDirSync({ prefix: "oplet-demo-" });
const profilePath = `${dir}/qemu.profile`;

// 1. Profile the training guests into one file, one run per guest.
step("1. profile: the training guests run once with --profile");
const train = manifest.filter((g) => g.set === "train");
const writer = await startProfileWriter(profilePath, {
  target: TARGET_NAME,
  oplets: opletInfo(OPLETS),
});
for (const g of train) {
  const argv = [elfPath(g.name), ...g.args];
  const sink = writer.beginRun(elfPath(g.name), argv);
  const r = await runElf(Deno.readFileSync(elfPath(g.name)), {
    argv,
    io: new CapturedIo(stdinOf(g)),
    profile: sink,
  });
  console.log(
    `   ${g.name.padEnd(9)} ${
      (r.stats.insns / 1e6).toFixed(1).padStart(6)
    }M insns, ${r.stats.tbs} blocks`,
  );
}
await writer.close();
const ps = writer.stats;
console.log(
  `   wrote ${profilePath}: ${ps.runs} runs, ${ps.tbs} blocks, ${
    (ps.executions / 1e6).toFixed(1)
  }M block executions, ${(ps.bytes / 1024).toFixed(0)} KiB`,
);

// 2. Analyze: the capped sequence tree, ranked by dispatches saved.
step(
  "2. analyze: the oplet sequences that ran most, ranked by dispatches saved",
);
const analysis = await analyzeProfiles([profilePath], {
  target: TARGET_NAME,
  opletHash: opletTableHash(OPLETS),
  count,
});
const json = analysisJson(analysis);
const total = json.totalDispatches;
json.sequences.slice(0, 8).forEach((s, k) => {
  console.log(
    `   ${String(k + 1).padStart(2)}. ${s.names.join(" ").padEnd(48)} saves ${
      (100 * s.saved / total).toFixed(1).padStart(4)
    }% of dispatches`,
  );
});
const saved = json.sequences.slice(0, count).reduce((n, s) => n + s.saved, 0);
console.log(
  `   the top ${Math.min(count, json.sequences.length)} save ${
    (100 * saved / total).toFixed(1)
  }% of the training guests' dispatches`,
);

// 3. Generate the fused oplets into the temporary folder.
step(`3. gen: paste the oplets' bodies into ${count} fused oplets`);
const fusedDir = `${dir}/fused`;
await Deno.mkdir(fusedDir);
const g = await generateFromAnalysis({
  analysis: json,
  input: profilePath,
  count,
  out: fusedDir,
  command: "deno task demo",
});
console.log(
  `   wrote ${fusedDir}/op_seq.ts and translate_seq.ts (${g.fused.length} fused oplets)`,
);

// 4. Run a held-out guest unfused and fused, alternating; medians.
step(
  `4. run: held-out guest "${held.name} ${
    held.benchArgs.join(" ")
  }" unfused, fused, and on the paste backend`,
);
const fused = await loadFusedDir(fusedDir);
const bytes = Deno.readFileSync(elfPath(held.name));
const want = expected(held.name, true);
const runs: Record<
  string,
  { ms: number[]; insns: number; dispatched: number }
> = {};
for (let rep = 0; rep < reps; rep++) {
  for (const kind of ["unfused", "fused", "paste"] as const) {
    const io = new CapturedIo(stdinOf(held));
    const r = await runElf(bytes, {
      argv: [elfPath(held.name), ...held.benchArgs],
      io,
      fused: kind === "fused" ? fused : null,
      backend: kind === "paste" ? "paste" : "switch",
    });
    if (!gaveExpected(want, r.exitCode, io.stdoutBytes)) {
      failed(
        new Error(
          `The ${kind} run of ${held.name} did not give qemu-riscv32's output`,
        ),
      );
    }
    const e = (runs[kind] ??= {
      ms: [],
      insns: r.stats.insns,
      dispatched: r.stats.dispatched,
    });
    e.ms.push(r.wallMs);
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const u = runs.unfused, f = runs.fused;
const mu = med(u.ms), mf = med(f.ms), mp = med(runs.paste.ms);
console.log(
  `   all runs print exactly what qemu-riscv32 printed (exit code ${want.exitCode})`,
);
console.log(
  `   unfused: ${(u.dispatched / u.insns).toFixed(2)} oplets/insn, ${
    mu.toFixed(0)
  } ms, ${(u.insns / mu / 1000).toFixed(0)} MIPS`,
);
console.log(
  `   fused:   ${(f.dispatched / f.insns).toFixed(2)} oplets/insn, ${
    mf.toFixed(0)
  } ms, ${(f.insns / mf / 1000).toFixed(0)} MIPS`,
);
console.log(
  `   paste:   no dispatch (each block compiled from its oplets), unfused, ${
    mp.toFixed(0)
  } ms, ${(u.insns / mp / 1000).toFixed(0)} MIPS, ${
    (mu / mp).toFixed(2)
  }x over unfused`,
);
step(
  `speed-up of fusion on the held-out guest: ${
    (mu / mf).toFixed(2)
  }x (median of ${reps}, measured now)`,
);
Deno.removeSignalListener("SIGINT", onInt);
if (values.keep) {
  kept = true;
  console.log(
    `\nkept ${dir}; run it yourself: deno task emu --oplets ${fusedDir} --stats ${
      elfPath(held.name)
    } ...`,
  );
} else {
  cleanup();
}
console.log(`(demo took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
