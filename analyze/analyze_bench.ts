/**
 * Analyzer throughput and memory on a large profile:
 *
 * ```sh
 * deno run -A analyze/analyze_bench.ts [--mib 300] [--kind guest|random] [--out PATH]
 * ```
 *
 * writes a synthetic profile of about `--mib` MiB with the profile writer
 * (a random walk over 4,000 TBs: `guest` behaves like the training guests,
 * loops and two-way branches, about 0.2 bytes an execution; `random` jumps
 * anywhere, about 2 bytes an execution), then analyses it in a fresh process
 * and prints the read rate in MB/s and M executions/s, the analysis time and
 * the peak RSS (VmHWM).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  createProfileWriter,
  opletInfo,
  OPLETS,
  TARGET_NAME,
} from "@oplet/emu";
import { analyzeProfiles } from "./analyze.ts";
import { rng } from "./synthetic.ts";

async function generate(
  path: string,
  mib: number,
  kind: string,
): Promise<void> {
  const rand = rng(42);
  const oplets = opletInfo(OPLETS);
  const body = oplets.flatMap((o, k) => (k > 0 && !o.exit ? [k] : []));
  const exits = oplets.flatMap((o, k) => (k > 0 && o.exit ? [k] : []));
  const w = await createProfileWriter(path, {
    target: TARGET_NAME,
    oplets,
    guest: `bench-${kind}.elf`,
    argv: ["bench"],
  });
  const nTbs = 4000;
  const next: [number, number, number][] = [];
  for (let id = 0; id < nTbs; id++) {
    const n = 2 + Math.floor(rand() * 14);
    const ops = Array.from(
      { length: n - 1 },
      () => body[Math.floor(Math.pow(rand(), 2) * body.length)],
    );
    ops.push(exits[Math.floor(rand() * exits.length)]);
    w.defineTb(id, 0x10000 + 64 * id, n, ops);
    // Loops: mostly back to a block a few before, else on; a few far jumps.
    next.push([
      (id + 1) % nTbs,
      Math.max(0, id - 1 - Math.floor(rand() * 8)),
      0.1 + 0.8 * rand(),
    ]);
  }
  const ids = new Uint32Array(65536);
  const target = mib * 1024 * 1024;
  let at = 0;
  const noise = kind === "random" ? 1 : 0.002;
  while (w.stats.rawBytes < target) {
    for (let i = 0; i < ids.length; i++) {
      ids[i] = at;
      const [a, b, p] = next[at];
      at = rand() < noise ? Math.floor(rand() * nTbs) : rand() < p ? b : a;
    }
    await w.executions(ids, ids.length);
  }
  await w.close();
}

function vmHwmMiB(): number {
  const s = Deno.readTextFileSync("/proc/self/status");
  const m = /VmHWM:\s+(\d+) kB/.exec(s);
  return m ? Number(m[1]) / 1024 : NaN;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      mib: { type: "string", default: "300" },
      kind: { type: "string", default: "guest" },
      out: { type: "string" },
      analyze: { type: "string" },
    },
  });
  if (values.analyze) {
    // The measuring child: analyse and report as JSON.
    const a = await analyzeProfiles([values.analyze], { count: 256 });
    console.log(JSON.stringify({
      bytes: a.inputBytes,
      executions: a.table.executions,
      readSeconds: a.readSeconds,
      analyzeSeconds: a.analyzeSeconds,
      hwmMiB: vmHwmMiB(),
      saved: a.ranking.saved / a.ranking.totalDispatches,
    }));
    Deno.exit(0);
  }
  const path = values.out ??
    `/tmp/oplet-bench-${values.kind}-${values.mib}.profile`;
  const mib = Number(values.mib);
  const have = await Deno.stat(path).then((s) => s.size, () => 0);
  if (Math.abs(have - mib * 1024 * 1024) > 1024 * 1024) {
    const t0 = performance.now();
    await generate(path, mib, values.kind!);
    console.log(
      `wrote ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--analyze", path],
    stderr: "inherit",
  }).output();
  const r = JSON.parse(new TextDecoder().decode(out.stdout));
  const mb = r.bytes / 1e6;
  console.log(
    `${path}: ${mb.toFixed(0)} MB, ${
      (r.executions / 1e6).toFixed(0)
    } M executions (${(r.bytes / r.executions).toFixed(2)} bytes each)`,
  );
  console.log(
    `read ${(mb / r.readSeconds).toFixed(0)} MB/s = ${
      (r.executions / 1e6 / r.readSeconds).toFixed(0)
    } M executions/s (${r.readSeconds.toFixed(2)} s); tree + ranking ${
      r.analyzeSeconds.toFixed(2)
    } s; peak RSS ${r.hwmMiB.toFixed(0)} MiB; top 256 save ${
      (100 * r.saved).toFixed(1)
    }%`,
  );
}
