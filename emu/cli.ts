/**
 * The emulator's command line: `deno run jsr:@oplet/emu [options] <elf> [guest args...]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  loadFusedSet,
  type OpSeqModule,
  type TranslateSeqModule,
} from "./fused.ts";
import { opletInfo } from "./oplet.ts";
import { runElf } from "./run.ts";
import { type Backend, BACKENDS } from "./dispatch.ts";
import {
  DEFAULT_FUSED,
  OP_HELPERS,
  OPLETS,
  type RiscvCpu,
  TARGET_NAME,
} from "./targets/riscv32/target.ts";
import type { FusedSet } from "./fused.ts";
import type { ProfileSink } from "./profile_sink.ts";

/** The usage text. */
export const USAGE =
  `Usage: oplet-emu [options] <program.elf> [guest arguments...]

Runs a static RV32IM Linux executable by dynamic translation into oplets.

Options:
  --stats              print instructions, blocks, oplets dispatched, time and MIPS to stderr
  --max-insns N        stop after about N guest instructions
  --log ITEMS          print each block when translated; ITEMS: in_asm,op
  --no-fuse            run the base oplets only (no fused oplets)
  --oplets DIR         load fused oplets generated into DIR (op_seq.ts, translate_seq.ts)
  --cover greedy|optimal  how blocks are covered with fused oplets (default greedy)
  --backend switch|call|paste|jit  how blocks run: one switch over oplets, calls,
                       each block compiled from its pasted oplets, or the fused
                       switch first and hot regions compiled to WebAssembly
                       (jit, the default and fastest)
  --no-follow-jumps    end every block at a jump, as QEMU does (default: translate through jal)
  --profile[=PATH]     profile into PATH (default /tmp/qemu.profile); implies --no-fuse
  --profile-gzip       gzip the profile
  --allow-open PATH    let the guest open PATH read-only (repeatable)
  --mem-mb N           guest memory in MiB (default 256)
  --env NAME=VALUE     add to the guest's environment (repeatable; default empty)
  --help               show this help
`;

/** A usage error: exit 2. */
class UsageError extends Error {}

const VALUE_OPTS = new Set([
  "--max-insns",
  "--log",
  "--oplets",
  "--cover",
  "--backend",
  "--allow-open",
  "--mem-mb",
  "--env",
  "--profile-path",
]);

/** Splits the emulator's own options from the program and its arguments. */
function split(args: readonly string[]): { own: string[]; rest: string[] } {
  const own: string[] = [];
  for (let k = 0; k < args.length; k++) {
    let a = args[k];
    if (a === "--") return { own, rest: args.slice(k + 1) };
    if (!a.startsWith("-") || a === "-") return { own, rest: args.slice(k) };
    if (a.startsWith("--profile=")) {
      a = "--profile-path=" + a.slice("--profile=".length);
    }
    own.push(a);
    if (VALUE_OPTS.has(a) && k + 1 < args.length) own.push(args[++k]);
  }
  return { own, rest: [] };
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(
      `Option ${name} expects a positive whole number, got "${v}"`,
    );
  }
  return n;
}

/** Loads a generated fused set from a directory (`--oplets DIR`). */
export async function loadFusedDir(dir: string): Promise<FusedSet<RiscvCpu>> {
  const base = pathToFileURL(resolve(dir) + "/");
  let opSeq: OpSeqModule, translateSeq: TranslateSeqModule;
  try {
    opSeq = await import(new URL("op_seq.ts", base).href);
    translateSeq = await import(new URL("translate_seq.ts", base).href);
  } catch (e) {
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new Error(
      `${dir}: cannot load op_seq.ts and translate_seq.ts: ${why}`,
    );
  }
  return loadFusedSet(opSeq, translateSeq, OP_HELPERS, dir);
}

/**
 * Runs the command line; returns the exit code (the guest's, 128 + signal
 * after a guest fault, 1 for an emulator error, 2 for a usage error).
 */
export async function main(args: readonly string[]): Promise<number> {
  try {
    return await run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`oplet-emu: ${e.message}; see --help`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`oplet-emu: ${msg.split("\n")[0]}`);
    return 1;
  }
}

async function run(args: readonly string[]): Promise<number> {
  const { own, rest } = split(args);
  let values;
  try {
    ({ values } = parseArgs({
      args: own,
      options: {
        stats: { type: "boolean" },
        "max-insns": { type: "string" },
        log: { type: "string" },
        "no-fuse": { type: "boolean" },
        oplets: { type: "string" },
        cover: { type: "string" },
        backend: { type: "string" },
        "no-follow-jumps": { type: "boolean" },
        profile: { type: "boolean" },
        "profile-path": { type: "string" },
        "profile-gzip": { type: "boolean" },
        "allow-open": { type: "string", multiple: true },
        "mem-mb": { type: "string" },
        env: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(
      (e as Error).message.split("\n")[0].replace(/\. To specify.*$/, ""),
    );
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (rest.length === 0) {
    throw new UsageError("Missing the program to run (an ELF file)");
  }
  const log = { inAsm: false, op: false };
  for (const item of (values.log ?? "").split(",").filter(Boolean)) {
    if (item === "in_asm") log.inAsm = true;
    else if (item === "op") log.op = true;
    else {throw new UsageError(
        `Unknown --log item "${item}"; expected in_asm or op`,
      );}
  }
  const cover = values.cover ?? "greedy";
  if (cover !== "greedy" && cover !== "optimal") {
    throw new UsageError(
      `Option --cover expects greedy or optimal, got "${cover}"`,
    );
  }
  const backend = values.backend ?? "jit";
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(
      `Option --backend expects ${BACKENDS.slice(0, -1).join(", ")} or ${
        BACKENDS.at(-1)
      }, got "${backend}"`,
    );
  }
  const maxInsns = positiveInt("--max-insns", values["max-insns"]);
  const memMb = positiveInt("--mem-mb", values["mem-mb"]) ?? 256;
  if (memMb < 16 || memMb > 2047) {
    throw new UsageError(`Option --mem-mb expects 16 to 2047, got "${memMb}"`);
  }
  const profilePath = values["profile-path"] ??
    (values.profile ? "/tmp/qemu.profile" : undefined);

  const file = rest[0];
  let bytes: Uint8Array;
  try {
    const st = await Deno.stat(file);
    if (!st.isFile) {
      throw new Error(
        `${file}: expected an ELF file, found a directory or special file`,
      );
    }
    bytes = await Deno.readFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${file}: no such file`);
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new Error(`${file}: permission denied`);
    }
    throw e;
  }

  let fused: FusedSet<RiscvCpu> | null = null;
  if (!values["no-fuse"] && !profilePath) {
    fused = values.oplets ? await loadFusedDir(values.oplets) : loadFusedSet(
      DEFAULT_FUSED.opSeq,
      DEFAULT_FUSED.translateSeq,
      OP_HELPERS,
      "emu/targets/riscv32",
    );
  }

  let profile: ProfileSink | null = null;
  if (profilePath) {
    const { startProfileWriter } = await import("./profile_thread.ts");
    profile = await startProfileWriter(profilePath, {
      gzip: values["profile-gzip"] ?? false,
      target: TARGET_NAME,
      oplets: opletInfo(OPLETS),
      guest: file,
      argv: rest,
    });
  }
  let stop = false;
  const onInt = () => (stop = true);
  if (profile) Deno.addSignalListener("SIGINT", onInt);
  try {
    const r = await runElf(bytes, {
      argv: rest,
      file,
      fused,
      optimalCover: cover === "optimal",
      backend: backend as Backend,
      followJumps: !values["no-follow-jumps"],
      profile,
      maxInsns,
      memSize: memMb * 1024 * 1024,
      allowOpen: values["allow-open"],
      envp: values.env,
      log: log.inAsm || log.op ? log : undefined,
      interrupted: () => stop,
    });
    if (r.fault) console.error(r.fault.message());
    if (r.limitHit) {
      console.error(
        `oplet-emu: stopped after ${r.stats.insns} instructions (--max-insns)`,
      );
    }
    if (values.stats) {
      const st = r.stats;
      const mips = st.insns / (r.wallMs * 1000);
      console.error(
        `oplet-emu: ${st.insns} insns, ${st.tbs} TBs, ${st.dispatched} oplets (${
          (st.dispatched / Math.max(1, st.insns)).toFixed(3)
        }/insn), ${(r.wallMs / 1000).toFixed(3)} s, ${mips.toFixed(1)} MIPS`,
      );
    }
    return r.exitCode;
  } finally {
    if (profile) Deno.removeSignalListener("SIGINT", onInt);
  }
}
