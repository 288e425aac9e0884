/**
 * `deno task bench`: every benchmark guest, unfused and fused, on every
 * backend, with and without profiling, side by side in one run and
 * interleaved (the machines are shared and noisy), several repetitions,
 * medians. Where qemu-riscv32 is installed its wall time on the same ELF is
 * the native reference. Writes `bench/results/latest.json`,
 * `bench/results/chart.svg` (speed-up per guest and dispatches per
 * instruction) and `bench/results/report.html` (`bench_html.ts`), and
 * prints a Markdown table.
 *
 * The held-out guests also run as users build them (`tests/guests/bin/user/`,
 * rv32imafdc), unfused on every backend, to compare with the rv32im builds.
 *
 * Every sample runs in a fresh process (`bench_sample.ts`), so that no
 * configuration runs on code that V8 compiled, or type feedback it
 * gathered, for another.
 *
 * The `jit` backend runs fused (its interpreter tier is the fused `switch`);
 * the table gives its MIPS, its speed-up over fused `switch` and its wall
 * time over qemu-riscv32's, with the geometric mean over the held-out
 * guests: timed inside the sample's process, from creating the machine,
 * and also as a whole process of the command line (`emu/mod.ts`, Deno's
 * start included), as qemu-riscv32 is timed. Two more tables: start-up (a
 * tiny guest on every backend) and short runs (the held-out guests at
 * their test-size arguments, a fraction of a second).
 *
 * Options: `--reps N` (default 3), `--quick` (test-size arguments, 1
 * repetition, no files written unless `--out` is given), `--only a,b`,
 * `--oplets DIR` (a generated fused set instead of the committed one),
 * `--out DIR`, `--no-call` (skip the slow call dispatcher), `--sweep
 * 32,64,…` (also runs `switch` fused with sets of these sizes, generated
 * from a fresh profile of the training guests, into `sweep` of the JSON).
 *
 * @module
 */

import {
  type Backend,
  DEFAULT_FUSED,
  type FusedSet,
  loadFusedDir,
  loadFusedSet,
  OP_HELPERS,
  type RiscvCpu,
} from "@oplet/emu";
import {
  elfPath,
  hasCommand,
  readManifest,
  stdinOf,
  type Variant,
} from "../tests/guest_io.ts";
import type { SampleRequest, SampleResult } from "./bench_sample.ts";
import { renderChart } from "./bench_chart.ts";
import { JIT_PROCESS as PROCESS, renderBenchHtml } from "./bench_html.ts";
import { taskArgs, wholeNumber } from "./task_args.ts";

const USAGE =
  `Usage: oplet-bench (deno task bench) [--reps N] [--quick] [--only a,b] [--oplets DIR] [--out DIR] [--no-call] [--sweep N,N]

Every benchmark guest unfused and fused on every backend (switch, call,
paste), fused on jit, with and without profiling, and under qemu-riscv32
where it is installed: side by side, interleaved, each sample in a fresh
process, medians; the held-out guests also as users build them (rv32imafdc),
unfused on every backend; then a tiny guest on every backend (start-up) and
the held-out guests at test size (short runs). Writes
bench/results/latest.json, latest.md, chart.svg and report.html (deno task
bench-report writes the page again from the JSON).

  --reps N      repetitions of every configuration (default 3)
  --quick       test-size arguments, one repetition, no files unless --out
  --only a,b    only these guests
  --oplets DIR  a generated fused set instead of the committed one
  --out DIR     where the results go (default bench/results)
  --no-call     skip the (slow) call backend
  --sweep N,N   also run switch fused with sets of these sizes, generated
                from a fresh profile of the training guests (e.g. 32,64,128,256)`;
const values = taskArgs("bench", USAGE, Deno.args, {
  reps: { type: "string", default: "3" },
  quick: { type: "boolean" },
  only: { type: "string" },
  oplets: { type: "string" },
  out: { type: "string" },
  "no-call": { type: "boolean" },
  sweep: { type: "string" },
});
const sweepSizes = values.sweep === undefined
  ? []
  : (values.sweep as string).split(",").map((t) =>
    wholeNumber("bench", "sweep", t.trim())
  );
const reps = values.quick
  ? 1
  : wholeNumber("bench", "reps", values.reps as string);
const fused: FusedSet<RiscvCpu> = values.oplets
  ? await loadFusedDir(values.oplets as string).catch((e) => {
    console.error(`oplet-bench: ${(e as Error).message.split("\n")[0]}`);
    Deno.exit(1);
  })
  : loadFusedSet(
    DEFAULT_FUSED.opSeq,
    DEFAULT_FUSED.translateSeq,
    OP_HELPERS,
    "default",
  );
const only = (values.only as string | undefined)?.split(",");
const guests = readManifest().filter((g) =>
  g.benchArgs && (!only || only.includes(g.name)) &&
  (g.set === "train" || g.set === "heldout")
);
const qemu = hasCommand("qemu-riscv32");
const backends: Backend[] = values["no-call"]
  ? ["switch", "paste"]
  : ["switch", "call", "paste"];

type Config = {
  key: string;
  oplets?: string;
  backend?: Backend;
  fused: boolean;
  profile?: boolean;
  qemu?: boolean;
  /** `jit` as a whole process of the command line (`emu/mod.ts`), timed as qemu is. */
  process?: boolean;
  variant?: Variant;
};
const configs: Config[] = [];
for (const b of backends) {
  configs.push({ key: `${b}/unfused`, backend: b, fused: false });
  configs.push({ key: `${b}/fused`, backend: b, fused: true });
}
configs.push({ key: "jit/fused", backend: "jit", fused: true });
configs.push({
  key: "switch/profile",
  backend: "switch",
  fused: false,
  profile: true,
});
configs.push({ key: PROCESS, fused: true, process: true });
if (qemu) configs.push({ key: "qemu", fused: false, qemu: true });
/** The user-style builds of the held-out guests, unfused on every backend. */
const userConfigs: Config[] = backends.map((b) => ({
  key: `user/${b}/unfused`,
  backend: b,
  fused: false,
  variant: "user",
}));

// The size sweep: sets generated from the training guests only, as the
// committed one is, each run on switch in the same interleaving.
let sweepDir: string | null = null;
if (sweepSizes.length > 0) {
  sweepDir = await Deno.makeTempDir({ prefix: "oplet-sweep-" });
  const task = (name: string, ...args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL(`./${name}`, import.meta.url).pathname,
        ...args,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
  const prof = await task("profile.ts", "--out", `${sweepDir}/train.profile`);
  if (prof.code !== 0) {
    console.error(
      `oplet-bench: --sweep: profiling the training guests failed: ${
        new TextDecoder().decode(prof.stderr).trim().split("\n").pop()
      }`,
    );
    Deno.removeSync(sweepDir, { recursive: true });
    Deno.exit(1);
  }
  for (const n of sweepSizes) {
    const dir = `${sweepDir}/g${n}`;
    await Deno.mkdir(dir);
    const gen = await task(
      "gen.ts",
      `${sweepDir}/train.profile`,
      "--count",
      String(n),
      "--out",
      dir,
    );
    if (gen.code !== 0) {
      console.error(
        `oplet-bench: --sweep: generating ${n} fused oplets failed: ${
          new TextDecoder().decode(gen.stderr).trim().split("\n").pop()
        }`,
      );
      Deno.removeSync(sweepDir, { recursive: true });
      Deno.exit(1);
    }
    configs.push({
      key: `sweep/${n}`,
      backend: "switch",
      fused: true,
      oplets: dir,
    });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[s.length >> 1]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const SAMPLE = new URL("./bench_sample.ts", import.meta.url).pathname;
const EMU = new URL("../emu/mod.ts", import.meta.url).pathname;

/** Runs one sample in a fresh process (see `bench_sample.ts`). */
async function runOnce(
  name: string,
  args: string[],
  input: Uint8Array,
  c: Config,
  bench = !values.quick,
): Promise<SampleResult> {
  if (c.qemu || c.process) {
    // A whole process, start-up included: qemu-riscv32, or the command line.
    const oplets = values.oplets as string | undefined;
    const t0 = performance.now();
    const child = new Deno.Command(c.qemu ? "qemu-riscv32" : Deno.execPath(), {
      args: [
        ...(c.qemu ? [] : [
          "run",
          "-A",
          EMU,
          "--backend",
          "jit",
          ...(oplets ? ["--oplets", oplets] : []),
        ]),
        elfPath(name),
        ...args,
      ],
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(input);
    await w.close();
    await child.status;
    return { ms: performance.now() - t0, insns: 0, dispatched: 0 };
  }
  const req: SampleRequest = {
    guest: name,
    args,
    bench,
    backend: c.backend!,
    fused: c.fused,
    profile: c.profile ?? false,
    oplets: c.oplets ?? values.oplets as string | undefined,
    variant: c.variant,
  };
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SAMPLE, JSON.stringify(req)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(
      `${name} (${c.key}): ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as SampleResult;
}

/** One guest's medians. */
export interface GuestResult {
  name: string;
  set: string;
  args: string[];
  insns: number;
  results: Record<string, { ms: number; mips: number; perInsn: number }>;
  speedup: Record<string, number>;
  profileOverhead: number;
  profileBytesPerMTb: number;
  /** Held-out guests: rv32im time over the user-style build's, unfused, per backend (above 1: the user build is faster). */
  userSpeed?: Record<string, number>;
}

const results: GuestResult[] = [];
const sweep: {
  guest: string;
  backend: string;
  points: { count: number; mips: number; perInsn: number }[];
}[] = [];
for (const g of guests) {
  const args = values.quick ? g.args : g.benchArgs!;
  const input = stdinOf(g);
  const samples: Record<string, SampleResult[]> = {};
  const mine = g.set === "heldout" ? [...configs, ...userConfigs] : configs;
  for (let rep = 0; rep < reps; rep++) {
    for (const c of mine) {
      try {
        (samples[c.key] ??= []).push(await runOnce(g.name, args, input, c));
      } catch (e) {
        console.error(`oplet-bench: ${(e as Error).message.split("\n")[0]}`);
        if (sweepDir) Deno.removeSync(sweepDir, { recursive: true });
        Deno.exit(1);
      }
    }
  }
  const insns = samples["switch/unfused"][0].insns;
  const res: GuestResult["results"] = {};
  for (const [key, ss] of Object.entries(samples)) {
    const ms = median(ss.map((s) => s.ms));
    res[key] = {
      ms,
      mips: insns / (ms * 1000),
      perInsn: ss[0].insns ? ss[0].dispatched / ss[0].insns : 0,
    };
  }
  if (sweepSizes.length > 0) {
    sweep.push({
      guest: g.name,
      backend: "switch",
      points: sweepSizes.map((n) => ({ count: n, ...res[`sweep/${n}`] })).map((
        p,
      ) => ({ count: p.count, mips: p.mips, perInsn: p.perInsn })),
    });
    for (const n of sweepSizes) delete res[`sweep/${n}`];
  }
  const speedup: Record<string, number> = {};
  for (const b of backends) {
    speedup[b] = res[`${b}/unfused`].ms / res[`${b}/fused`].ms;
  }
  speedup.jit = res["switch/fused"].ms / res["jit/fused"].ms;
  speedup["paste/switch"] = res["switch/unfused"].ms /
    res["paste/unfused"].ms;
  const prof = samples["switch/profile"];
  const tbExecs = prof[0].dispatched; // includes one op_profile per block execution
  const userSpeed = g.set === "heldout"
    ? Object.fromEntries(
      backends.map((b) => [
        b,
        res[`${b}/unfused`].ms / res[`user/${b}/unfused`].ms,
      ]),
    )
    : undefined;
  const r: GuestResult = {
    name: g.name,
    set: g.set,
    args,
    insns,
    results: res,
    speedup,
    profileOverhead: res["switch/profile"].ms / res["switch/unfused"].ms - 1,
    profileBytesPerMTb: 0,
    userSpeed,
  };
  // Block executions = oplets dispatched with profiling - without.
  const execs = tbExecs - samples["switch/unfused"][0].dispatched;
  r.profileBytesPerMTb = execs > 0
    ? (prof[0].profileBytes ?? 0) / (execs / 1e6)
    : 0;
  results.push(r);
  console.error(
    `${g.name}: ${(insns / 1e6).toFixed(0)}M insns, switch ${
      res["switch/unfused"].mips.toFixed(0)
    } -> ${res["switch/fused"].mips.toFixed(0)} MIPS (x${
      speedup.switch.toFixed(2)
    }), paste ${res["paste/unfused"].mips.toFixed(0)} -> ${
      res["paste/fused"].mips.toFixed(0)
    } MIPS, jit ${res["jit/fused"].mips.toFixed(0)} MIPS${
      qemu
        ? ` (${(res["jit/fused"].ms / res.qemu.ms).toFixed(2)}x qemu, ${
          (res[PROCESS].ms / res.qemu.ms).toFixed(2)
        }x as a whole process)`
        : ""
    }, profiling +${(r.profileOverhead * 100).toFixed(1)}%${
      userSpeed
        ? `, user build (rv32imafdc) ${
          backends.map((b) => `${b} x${userSpeed[b].toFixed(2)}`).join(" ")
        }`
        : ""
    }`,
  );
}

const fmt = (n: number, d = 0) => n.toFixed(d);
const hasCall = backends.includes("call");
const lines = [
  `| guest | set | Minsns | unfused MIPS | fused MIPS | speed-up | oplets/insn unfused → fused | ${
    hasCall ? "call unfused → fused MIPS | " : ""
  }paste unfused → fused MIPS | jit MIPS (over fused switch) | profiling overhead | ${
    qemu ? "qemu-riscv32 ms | jit / qemu | jit process / qemu | " : ""
  }user build vs rv32im, unfused (${backends.join(" / ")}) |`,
  `|---|---|---|---|---|---|---|${hasCall ? "---|" : ""}---|---|---|${
    qemu ? "---|---|---|" : ""
  }---|`,
];
for (const r of results) {
  const s = r.results;
  lines.push(
    `| ${r.name} | ${r.set} | ${fmt(r.insns / 1e6)} | ${
      fmt(s["switch/unfused"].mips)
    } | ${fmt(s["switch/fused"].mips)} | ${fmt(r.speedup.switch, 2)}x | ${
      fmt(s["switch/unfused"].perInsn, 2)
    } → ${fmt(s["switch/fused"].perInsn, 2)} | ${
      hasCall
        ? `${fmt(s["call/unfused"].mips)} → ${fmt(s["call/fused"].mips)} (${
          fmt(r.speedup.call, 2)
        }x) | `
        : ""
    }${fmt(s["paste/unfused"].mips)} → ${fmt(s["paste/fused"].mips)} (${
      fmt(r.speedup.paste, 2)
    }x) | ${fmt(s["jit/fused"].mips)} (${fmt(r.speedup.jit, 2)}x) | ${
      (r.profileOverhead * 100).toFixed(1)
    }% | ${
      qemu
        ? `${fmt(s.qemu.ms)} | ${fmt(s["jit/fused"].ms / s.qemu.ms, 2)}x | ${
          fmt(s[PROCESS].ms / s.qemu.ms, 2)
        }x | `
        : ""
    }${
      r.userSpeed
        ? backends.map((b) => `${fmt(r.userSpeed![b], 2)}x`).join(" / ")
        : "—"
    } |`,
  );
}
const geomean = (xs: number[]) =>
  Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const heldout = results.filter((r) => r.set === "heldout");
const summary: string[] = [];
if (qemu && heldout.length > 0) {
  summary.push(
    `jit wall time over qemu-riscv32's, geometric mean over the held-out guests (${
      heldout.map((r) => r.name).join(", ")
    }): ${
      fmt(
        geomean(
          heldout.map((r) => r.results["jit/fused"].ms / r.results.qemu.ms),
        ),
        2,
      )
    }x; over all guests: ${
      fmt(
        geomean(
          results.map((r) => r.results["jit/fused"].ms / r.results.qemu.ms),
        ),
        2,
      )
    }x.`,
    `The same for jit as a whole process (\`deno run -A emu/mod.ts\`, Deno's start and the module loading included, as qemu-riscv32's start is): ${
      fmt(
        geomean(
          heldout.map((r) => r.results[PROCESS].ms / r.results.qemu.ms),
        ),
        2,
      )
    }x over the held-out guests; ${
      fmt(
        geomean(results.map((r) => r.results[PROCESS].ms / r.results.qemu.ms)),
        2,
      )
    }x over all.`,
  );
}

// Start-up: a tiny guest on every backend; short runs: the held-out guests
// at their test-size arguments.
const startKeys: Config[] = [
  ...backends.map((b) => ({ key: b, backend: b, fused: true })),
  { key: "jit", backend: "jit" as Backend, fused: true },
  { key: PROCESS, fused: true, process: true },
  ...(qemu ? [{ key: "qemu", fused: false, qemu: true }] : []),
];
const tiny = readManifest().find((g) => g.name === "exitcode")!;
const startup: Record<string, number> = {};
{
  const ss: Record<string, number[]> = {};
  for (let rep = 0; rep < Math.max(3, reps); rep++) {
    for (const c of startKeys) {
      (ss[c.key] ??= []).push(
        (await runOnce(tiny.name, tiny.args, stdinOf(tiny), c, false)).ms,
      );
    }
  }
  for (const [k, v] of Object.entries(ss)) startup[k] = median(v);
}
const shortRuns: {
  name: string;
  args: string[];
  ms: Record<string, number>;
}[] = [];
if (!values.quick) {
  for (const g of guests.filter((g) => g.set === "heldout")) {
    const ss: Record<string, number[]> = {};
    for (let rep = 0; rep < reps; rep++) {
      for (const c of startKeys) {
        (ss[c.key] ??= []).push(
          (await runOnce(g.name, g.args, stdinOf(g), c, false)).ms,
        );
      }
    }
    const ms: Record<string, number> = {};
    for (const [k, v] of Object.entries(ss)) ms[k] = median(v);
    shortRuns.push({ name: g.name, args: g.args, ms });
  }
}
const keys = startKeys.map((c) => c.key);
const extra = [
  "",
  `Start-up: the tiny guest \`${tiny.name}\`, ms (oplet: machine creation and run, in a fresh process; ${PROCESS} and qemu-riscv32: the whole process):`,
  "",
  `| ${keys.join(" | ")} |`,
  `|${keys.map(() => "---|").join("")}`,
  `| ${keys.map((k) => fmt(startup[k], 1)).join(" | ")} |`,
];
if (shortRuns.length > 0) {
  extra.push(
    "",
    "Short runs: the held-out guests at their test-size arguments, ms:",
    "",
    `| guest | ${keys.join(" | ")} |`,
    `|---|${keys.map(() => "---|").join("")}`,
    ...shortRuns.map((r) =>
      `| ${r.name} ${r.args.join(" ")} | ${
        keys.map((k) => fmt(r.ms[k], 1)).join(" | ")
      } |`
    ),
  );
}
const command = `deno task bench ${Deno.args.join(" ")}`.trim();
console.log(
  `Measured with \`${command}\`, ${reps} repetition(s), medians, ${fused.oplets.length} fused oplets.\n`,
);
console.log([...lines, "", ...summary, ...extra].join("\n"));

const outDir = (values.out as string | undefined) ??
  (values.quick
    ? null
    : new URL("../bench/results/", import.meta.url).pathname);
if (outDir) {
  Deno.mkdirSync(outDir, { recursive: true });
  const json = {
    command,
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    reps,
    fusedOplets: fused.oplets.length,
    guests: results,
    ...(sweep.length > 0 ? { sweep } : {}),
    startup: { guest: tiny.name, ms: startup },
    shortRuns,
  };
  writeAtomic(`${outDir}/latest.json`, JSON.stringify(json, null, 2) + "\n");
  writeAtomic(`${outDir}/chart.svg`, renderChart(results));
  writeAtomic(
    `${outDir}/latest.md`,
    [...lines, "", ...summary, ...extra].join("\n") + "\n",
  );
  writeAtomic(`${outDir}/report.html`, renderBenchHtml(json));
  console.error(
    `oplet-bench: wrote ${outDir}/latest.json, chart.svg, latest.md, report.html`,
  );
}

if (sweepDir) await Deno.remove(sweepDir, { recursive: true });
for (const s of sweep) {
  console.error(
    `oplet-bench: sweep ${s.guest} on switch: ${
      s.points.map((p) =>
        `${p.count} -> ${p.mips.toFixed(0)} MIPS, ${p.perInsn.toFixed(2)}/insn`
      ).join("; ")
    }`,
  );
}

// Not @oplet/gen's writeFilesAtomic: the bench does not import the generator
// just to rename three files.
function writeAtomic(path: string, text: string) {
  const tmp = `${path}.${Deno.pid}.tmp`;
  Deno.writeTextFileSync(tmp, text);
  Deno.renameSync(tmp, path);
}
