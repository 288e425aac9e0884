/**
 * One sample of `deno task bench`, run in a fresh process so that no
 * configuration inherits another's compiled code or type feedback: runs
 * one guest once in one configuration, checks its output against
 * qemu-riscv32's, and prints `{ ms, insns, dispatched, profileBytes? }` as
 * JSON. `tasks/bench.ts` spawns it; it is not a task of its own.
 *
 * Usage: `deno run -A tasks/bench_sample.ts JSON`, where JSON is a
 * {@link SampleRequest}.
 *
 * @module
 */

import {
  type Backend,
  DEFAULT_FUSED,
  loadFusedDir,
  loadFusedSet,
  OP_HELPERS,
  opletInfo,
  OPLETS,
  type RiscvCpu,
  runElf,
  startProfileWriter,
  TARGET_NAME,
} from "@oplet/emu";
import {
  CapturedIo,
  elfPath,
  expected,
  gaveExpected,
  readManifest,
  stdinOf,
  type Variant,
} from "../tests/guest_io.ts";

/** What one sample runs. */
export interface SampleRequest {
  /** The guest's name in `tests/guests/guests.json`. */
  guest: string;
  /** Its arguments. */
  args: string[];
  /** Whether these are the bench arguments (for the expected output). */
  bench: boolean;
  /** The backend. */
  backend: Backend;
  /** Run fused. */
  fused: boolean;
  /** Profile into a temporary file. */
  profile: boolean;
  /** A generated fused set instead of the committed one. */
  oplets?: string;
  /** Which build of the guest (default the rv32im baseline). */
  variant?: Variant;
}

/** What one sample measured. */
export interface SampleResult {
  /** Wall time of the run, including the profile's final flush. */
  ms: number;
  /** Guest instructions. */
  insns: number;
  /** Oplets run. */
  dispatched: number;
  /** The profile's size, when profiled. */
  profileBytes?: number;
}

if (import.meta.main) {
  try {
    const req = JSON.parse(Deno.args[0] ?? "") as SampleRequest;
    console.log(JSON.stringify(await sample(req)));
  } catch (e) {
    console.error(
      `oplet-bench: sample: ${(e as Error).message.split("\n")[0]}`,
    );
    Deno.exit(1);
  }
}

async function sample(req: SampleRequest): Promise<SampleResult> {
  const g = readManifest().find((g) => g.name === req.guest);
  if (!g) throw new Error(`No guest "${req.guest}"`);
  const fused = !req.fused
    ? null
    : req.oplets
    ? await loadFusedDir(req.oplets)
    : loadFusedSet<RiscvCpu>(
      DEFAULT_FUSED.opSeq,
      DEFAULT_FUSED.translateSeq,
      OP_HELPERS,
      "default",
    );
  const variant = req.variant ?? "rv32im";
  const bytes = Deno.readFileSync(elfPath(g.name, variant));
  const io = new CapturedIo(stdinOf(g));
  const profilePath = `/tmp/oplet-bench-${Deno.pid}.profile`;
  const profile = req.profile
    ? await startProfileWriter(profilePath, {
      target: TARGET_NAME,
      oplets: opletInfo(OPLETS),
      guest: g.name,
      argv: [g.name, ...req.args],
    })
    : null;
  const t0 = performance.now();
  const r = await runElf(bytes, {
    argv: [elfPath(g.name, variant), ...req.args],
    io,
    fused,
    backend: req.backend,
    profile,
  });
  const ms = performance.now() - t0;
  const want = expected(g.name, req.bench, variant);
  if (!gaveExpected(want, r.exitCode, io.stdoutBytes)) {
    throw new Error(`${g.name} did not give qemu-riscv32's output`);
  }
  let profileBytes;
  if (profile) {
    profileBytes = Deno.statSync(profilePath).size;
    Deno.removeSync(profilePath);
  }
  return {
    ms,
    insns: r.stats.insns,
    dispatched: r.stats.dispatched,
    profileBytes,
  };
}
