/**
 * Differential testing against qemu-riscv32: run one executable on QEMU and
 * on oplet in several configurations (unfused; fused with the default set;
 * fused with a composed set, greedy and, when the machine supports it,
 * optimal covering) and compare what the guest wrote to stdout and its exit
 * code, and oplet's final registers between its own runs. A mismatch names
 * the seed and saves the executable for reproduction.
 *
 * @example
 * ```ts ignore
 * import { Differential } from "./differential.ts";
 * const d = await Differential.create();
 * const m = await d.checkSeed(42);
 * if (m) console.log(m.report);
 * await d.close();
 * ```
 *
 * @module
 */

import { join } from "node:path";
import {
  type Backend,
  CapturedIo,
  DEFAULT_FUSED,
  type FusedSet,
  loadFusedSet,
  Machine,
  OP_HELPERS,
  OPLETS,
  type RiscvCpu,
  runElf,
} from "@oplet/emu";
import { randomProgram } from "./random_program.ts";
import { blockSequences, composeFusedSet } from "./synthetic_fused.ts";
import { rType } from "./rv_encode.ts";

/** The QEMU binary the fuzzer compares with. */
export const QEMU = "qemu-riscv32";

/** Guest memory for the emulator's runs: small, so that each run is cheap. */
export const FUZZ_MEM_SIZE = 16 * 1024 * 1024;

/** Guest instructions after which a run counts as hung. */
export const FUZZ_MAX_INSNS = 2_000_000;

/** Whether qemu-riscv32 can be run (false as well without --allow-run). */
export function hasQemu(): boolean {
  try {
    return new Deno.Command(QEMU, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/** What one run produced. */
export interface Outcome {
  /** Everything the guest wrote to fd 1. */
  stdout: Uint8Array;
  /** The exit code a shell would see. */
  exitCode: number;
  /** For oplet: the fault message, if it faulted; for QEMU: its stderr. */
  note: string;
  /** For oplet: the final registers. */
  regs?: Int32Array;
  /** For oplet: whether the instruction limit stopped it. */
  limitHit?: boolean;
  /** For QEMU: the signal that killed it, if any. */
  signal?: string | null;
}

/** A difference found. */
export interface Mismatch {
  /** The seed of the program, if it came from one. */
  seed: number | null;
  /** Where the executable was saved. */
  elfPath: string;
  /** A few lines saying what differs. */
  report: string;
}

/** An emulator configuration to compare. */
export interface Variant {
  /** Its name in reports. */
  name: string;
  /** The fused set, or null for unfused. */
  fused: FusedSet<RiscvCpu> | null;
  /** Whether to ask for the optimal covering. */
  optimalCover?: boolean;
  /** The dispatcher (default the machine's). */
  backend?: Backend;
  /** Tuning of the `jit` backend. */
  jit?: { hotAfter?: number; maxBlocks?: number };
}

/**
 * Runs an executable file on qemu-riscv32, killing it after `timeoutMs`;
 * `cwd` is where QEMU would drop a core file after a guest fault.
 */
export async function runQemu(
  path: string,
  timeoutMs = 20_000,
  cwd?: string,
): Promise<Outcome> {
  const out = await new Deno.Command(QEMU, {
    args: [path],
    cwd,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  // Deno reports death by a signal as 128 + its number, as a shell would.
  const err = new TextDecoder().decode(out.stderr).trim();
  const killed = out.signal === "SIGTERM"
    ? `timed out after ${timeoutMs} ms`
    : `killed by ${out.signal}`;
  return {
    stdout: out.stdout,
    exitCode: out.code,
    note: out.signal ? `${killed}${err ? `: ${err}` : ""}` : err,
    signal: out.signal,
  };
}

/** Runs executable bytes on oplet in one configuration. */
export async function runOplet(
  elf: Uint8Array,
  v: Variant,
  maxInsns = FUZZ_MAX_INSNS,
): Promise<Outcome> {
  const io = new CapturedIo();
  const r = await runElf(elf, {
    argv: ["fuzz"],
    io,
    maxInsns,
    memSize: FUZZ_MEM_SIZE,
    fused: v.fused,
    optimalCover: v.optimalCover,
    backend: v.backend,
    jit: v.jit,
  });
  return {
    stdout: io.stdoutBytes,
    exitCode: r.exitCode,
    note: r.fault
      ? r.fault.message()
      : r.limitHit
      ? `stopped after ${r.stats.insns} instructions`
      : "",
    regs: r.machine.cpu.x.slice(),
    limitHit: r.limitHit,
  };
}

/** The fused set committed with the emulator (possibly empty). */
export function defaultFusedSet(): FusedSet<RiscvCpu> {
  return loadFusedSet<RiscvCpu>(
    DEFAULT_FUSED.opSeq,
    DEFAULT_FUSED.translateSeq,
    OP_HELPERS,
    "default fused set",
  );
}

/**
 * Whether the machine honours `optimalCover`: translates `add a0, a1, a2;
 * ecall` with sequences where greedy and optimal covering differ
 * ([T0, T1] then 3 more oplets, against T0 then [T1, add, r_T0] then ecall).
 */
export function supportsOptimalCover(): boolean {
  const n = (name: string) => OPLETS.findIndex((o) => o.name === name);
  const set = composeFusedSet([[n("mov_T0_r"), n("mov_T1_r")], [
    n("mov_T1_r"),
    n("add"),
    n("mov_r_T0"),
  ]]);
  const m = new Machine({
    memSize: 0x4000,
    fused: set,
    optimalCover: true,
    backend: "call",
  });
  m.cpu.m32[0x1000 >> 2] = rType("add", 10, 11, 12);
  m.cpu.m32[0x1004 >> 2] = 0x00000073;
  return m.tbGenCode(0x1000).nops === 3;
}

/** A composed fused set from the blocks of a few random programs (seeds 0..n-1). */
export async function composedFusedSet(
  programs = 8,
  maxLen = 5,
): Promise<FusedSet<RiscvCpu>> {
  const seqs: number[][] = [];
  for (let seed = 0; seed < programs; seed++) {
    const p = randomProgram(0x5eed0000 + seed);
    const res = await runElf(p.elf, {
      argv: ["probe"],
      io: new CapturedIo(),
      maxInsns: FUZZ_MAX_INSNS,
      memSize: FUZZ_MEM_SIZE,
    });
    seqs.push(...blockSequences(res.machine, maxLen));
  }
  return composeFusedSet(seqs);
}

const hex = (n: number) => "0x" + (n >>> 0).toString(16).padStart(8, "0");

function sameBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return k;
  return a.length === b.length ? -1 : n;
}

/**
 * Describes where two stdouts differ, or "". With `dumpSize`, the last
 * `dumpSize` bytes are a random program's dump (registers, then the data
 * region), and a difference there is named by register or data offset.
 */
export function describeDiff(
  want: Uint8Array,
  got: Uint8Array,
  dumpSize = 0,
): string {
  const at = sameBytes(want, got);
  if (at < 0) return "";
  const parts: string[] = [];
  if (want.length !== got.length) {
    parts.push(
      `stdout lengths differ: qemu ${want.length} bytes, oplet ${got.length}`,
    );
  }
  if (at < want.length && at < got.length) {
    const word = (b: Uint8Array, o: number) =>
      o >= 0 && o + 4 <= b.length
        ? hex(new DataView(b.buffer, b.byteOffset).getUint32(o, true))
        : "?";
    const dump = dumpSize > 0 && want.length === got.length
      ? want.length - dumpSize
      : -1;
    const o = dump >= 0 && at >= dump ? dump + ((at - dump) & ~3) : at & ~3;
    const rel = o - dump;
    const where = dump < 0
      ? `word at ${o}`
      : at < dump
      ? `a write before the dump, word at ${o}`
      : rel < 128
      ? `register x${rel >> 2}`
      : `data word at offset ${rel}`;
    let count = 0;
    for (let k = 0; k < Math.min(want.length, got.length); k++) {
      if (want[k] !== got[k]) count++;
    }
    parts.push(
      `stdout differs first at byte ${at} (${where}): qemu ${
        word(want, o)
      }, oplet ${word(got, o)} (${count} bytes differ)`,
    );
  }
  return parts.join("; ");
}

/** A differential tester with its variants and a directory for saved executables. */
export class Differential {
  /** The emulator configurations compared. */
  readonly variants: Variant[];
  /** Where executables are written for QEMU and saved on a mismatch. */
  readonly dir: string;
  /** Makes the program of a seed (default {@link randomProgram}; the FP fuzzer sets `randomFpProgram`). */
  generate: (seed: number) => { elf: Uint8Array; minStdoutLength: number } =
    randomProgram;
  private slot = 0;

  private constructor(variants: Variant[], dir: string) {
    this.variants = variants;
    this.dir = dir;
  }

  /**
   * Sets up a temporary directory and the variants: the given ones (the
   * first unfused), or by default unfused on every backend, the default
   * fused set on `switch` and `paste`, `jit` unfused with every block
   * compiled at once and fused with regions compiled after two runs, a composed set on the `call`
   * dispatcher, and both fused sets with the optimal covering when the
   * machine supports it.
   */
  static async create(variants?: Variant[]): Promise<Differential> {
    if (variants) {
      if (variants.length === 0 || variants[0].fused !== null) {
        throw new RangeError(
          "The first variant must be unfused: the others' registers are compared with it",
        );
      }
      return new Differential(
        variants,
        await Deno.makeTempDir({ prefix: "oplet_fuzz_" }),
      );
    }
    const dflt = defaultFusedSet();
    const composed = await composedFusedSet();
    variants = [
      { name: "unfused", fused: null, backend: "switch" },
      { name: "unfused, call dispatcher", fused: null, backend: "call" },
      {
        name: `fused default (${dflt.oplets.length} oplets)`,
        fused: dflt,
        backend: "switch",
      },
      { name: "unfused, paste", fused: null, backend: "paste" },
      { name: "fused default, paste", fused: dflt, backend: "paste" },
      {
        name: "unfused, jit (every block compiled at once)",
        fused: null,
        backend: "jit",
        jit: { hotAfter: 1 },
      },
      {
        name: "fused default, jit (regions after two runs)",
        fused: dflt,
        backend: "jit",
        jit: { hotAfter: 2 },
      },
      {
        name: `fused composed (${composed.oplets.length} oplets), greedy`,
        fused: composed,
        backend: "call",
      },
    ];
    if (supportsOptimalCover()) {
      variants.push({
        name: "fused default, optimal",
        fused: dflt,
        optimalCover: true,
      });
      variants.push({
        name: "fused composed, optimal",
        fused: composed,
        optimalCover: true,
        backend: "call",
      });
    }
    return new Differential(
      variants,
      await Deno.makeTempDir({ prefix: "oplet_fuzz_" }),
    );
  }

  /** Generates the program for `seed` and compares; returns the mismatch, or null. */
  checkSeed(seed: number): Promise<Mismatch | null> {
    const p = this.generate(seed);
    return this.check(p.elf, seed, p.minStdoutLength);
  }

  /**
   * Compares QEMU and every variant on one executable. `minLength`, when
   * given, is how much a well-formed run writes at least: QEMU writing less,
   * or dying of another signal than SIGSEGV, SIGILL, SIGTRAP or SIGBUS, means the
   * program itself is broken (a generator bug), also reported. A QEMU run
   * that times out is tried once more (a loaded machine, or QEMU hanging
   * at exit).
   */
  async check(
    elf: Uint8Array,
    seed: number | null,
    minLength?: number,
  ): Promise<Mismatch | null> {
    const path = join(this.dir, `run${this.slot++ % 64}.elf`);
    await Deno.writeFile(path, elf, { mode: 0o755 });
    const qemuRun = runQemu(path, undefined, this.dir);
    const runs: [Variant, Outcome][] = [];
    for (const v of this.variants) runs.push([v, await runOplet(elf, v)]);
    let q = await qemuRun;
    if (q.signal === "SIGTERM") q = await runQemu(path, undefined, this.dir);
    const lines: string[] = [];
    if (
      minLength !== undefined &&
      (q.stdout.length < minLength ||
        (q.signal && q.signal !== "SIGSEGV" && q.signal !== "SIGILL" &&
          q.signal !== "SIGTRAP" && q.signal !== "SIGBUS"))
    ) {
      lines.push(
        `generator bug: qemu wrote ${q.stdout.length} bytes (expected at least ${minLength}), exit ${q.exitCode}${
          q.note ? `: ${q.note}` : ""
        }`,
      );
    }
    const [base, u] = runs[0];
    for (const [v, o] of runs) {
      if (o.exitCode !== q.exitCode) {
        lines.push(
          `${v.name}: exit code ${o.exitCode} (${
            o.note || "normal"
          }), qemu ${q.exitCode}`,
        );
      }
      const d = describeDiff(q.stdout, o.stdout, minLength);
      if (d) lines.push(`${v.name}: ${d}`);
      if (v !== base) {
        const k = u.regs!.findIndex((x, r) => x !== o.regs![r]);
        if (k >= 0) {
          lines.push(
            `${v.name}: final x${k} = ${hex(o.regs![k])}, ${base.name} has ${
              hex(u.regs![k])
            }`,
          );
        }
      }
    }
    if (lines.length === 0) return null;
    const keep = join(
      this.dir,
      seed === null ? `mismatch_${Date.now()}.elf` : `seed_${seed}.elf`,
    );
    await Deno.writeFile(keep, elf, { mode: 0o755 });
    const head = seed === null ? "mismatch" : `mismatch for seed ${seed}`;
    return {
      seed,
      elfPath: keep,
      report: [`${head} (saved as ${keep}):`, ...lines.map((l) => "  " + l)]
        .join("\n"),
    };
  }

  /**
   * Checks the programs of many seeds, `concurrency` at a time (QEMU runs in
   * another process while the emulator runs here), until the seeds run out
   * or `stop()` says so. Calls `onResult` after each program.
   */
  async run(
    seeds: Iterable<number>,
    opts: {
      concurrency?: number;
      stop?: () => boolean;
      onResult?: (seed: number, mismatch: Mismatch | null) => void;
    } = {},
  ): Promise<{ compared: number; mismatches: Mismatch[] }> {
    const it = seeds[Symbol.iterator]();
    const mismatches: Mismatch[] = [];
    let compared = 0;
    const worker = async () => {
      for (;;) {
        if (opts.stop?.()) return;
        const next = it.next();
        if (next.done) return;
        const m = await this.checkSeed(next.value);
        compared++;
        if (m) mismatches.push(m);
        opts.onResult?.(next.value, m);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 2 }, worker));
    return { compared, mismatches };
  }

  /** Removes the scratch executables and any core files (keeping the saved mismatches). */
  async close(): Promise<void> {
    for await (const e of Deno.readDir(this.dir)) {
      if (!e.name.endsWith(".elf") || e.name.startsWith("run")) {
        await Deno.remove(join(this.dir, e.name));
      }
    }
    let empty = true;
    for await (const _ of Deno.readDir(this.dir)) empty = false;
    if (empty) await Deno.remove(this.dir);
  }
}
