/**
 * The emulator's command line: `deno run jsr:@oplet/emu [options] <elf> [guest args...]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { loadFusedSet } from "./fused.ts";
import { loadFusedDir } from "./fused_dir.ts";
import { opletInfo, opletTableHash } from "./oplet.ts";
import { readProfileGuide } from "./profile_guide.ts";
import { runElf } from "./run.ts";
import { DEFAULT_MEM_SIZE } from "./machine.ts";
import { type Backend, BACKENDS } from "./dispatch.ts";
import { parseElf } from "./linux_user/elfload.ts";
import {
  DEFAULT_FUSED,
  ELF_MACHINE,
  OP_HELPERS,
  OPLETS,
  type RiscvCpu,
  TARGET_NAME,
} from "./targets/riscv32/target.ts";
import type { FusedSet } from "./fused.ts";
import type { ProfileOutput } from "./profile_thread.ts";
import { startProfileWriter } from "./profile_thread.ts";
import {
  helpOrVersion,
  parseArgsError,
  runCommand,
  UsageError,
} from "./cli_kit.ts";

/** The command's name, in its usage line and messages. */
const NAME = "oplet-emu";

/** The profile written by a bare `--profile`, as the seed has it. */
export const DEFAULT_PROFILE_PATH = "/tmp/qemu.profile";

/** The usage text. */
export const USAGE =
  `Usage: oplet-emu [options] <program.elf> [guest arguments...]

Runs a static RV32IMAFDC Linux executable by dynamic translation into oplets.
Options come before the program; everything after it goes to the guest.

Options:
  --stats              print instructions, blocks, oplets dispatched, time and MIPS to stderr
  --max-insns N        stop after about N guest instructions
  --log ITEMS          print each block when translated; ITEMS: in_asm,op
  --no-fuse            run the base oplets only (no fused oplets)
  --oplets DIR         load fused oplets generated into DIR (op_seq.ts, translate_seq.ts)
  --cover greedy|optimal  how blocks are covered with fused oplets (default greedy)
  --backend switch|call|paste|jit  how blocks run: one switch over oplets, calls,
                       each block compiled from its pasted oplets, or the fused
                       call interpreter first and hot regions compiled to
                       WebAssembly (jit, the default and fastest)
  --profile-guided FILE  jit: let a profile of an earlier run (--profile) pick
                       region heads and shape regions before the run starts
                       (measured slower than counters alone; see the README)
  --no-follow-jumps    end every block at a jump, as QEMU does (default: translate through jal)
  --profile [PATH]     profile into PATH (default ${DEFAULT_PROFILE_PATH}); implies --no-fuse.
                       PATH may follow after "=" or a space; a word that is an ELF
                       file is taken as the program instead
  --profile-gzip       gzip the profile
  --allow-open PATH    let the guest open PATH read-only: a file, or a folder and
                       everything in it; relative to the current folder (repeatable)
  --mem-mb N           guest memory in MiB (default 1032: a heap as large as qemu-riscv32's)
  --env NAME=VALUE     add to the guest's environment (repeatable; default empty)
  -h, --help           show this help
  --version            show the version

Exit status: the guest's exit status; 128 + signal after a guest fault (139 for a
segmentation fault, 132 for an illegal instruction, 133 for ebreak); 1 for an
emulator error, 2 for a usage error, 130 when interrupted (Ctrl-C), 141 when
standard output was closed early.`;

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
  "--profile-guided",
]);

/** Whether `path` is a readable file that starts like an ELF executable. */
function isElfFile(path: string): boolean {
  try {
    using f = Deno.openSync(path);
    const head = new Uint8Array(4);
    return f.readSync(head) === 4 && head[0] === 0x7f && head[1] === 0x45 &&
      head[2] === 0x4c && head[3] === 0x46;
  } catch {
    return false;
  }
}

/** Splits the emulator's own options from the program and its arguments. */
function split(args: readonly string[]): { own: string[]; rest: string[] } {
  const own: string[] = [];
  for (let k = 0; k < args.length; k++) {
    let a = args[k];
    if (a === "--") return { own, rest: args.slice(k + 1) };
    if (!a.startsWith("-") || a === "-") return { own, rest: args.slice(k) };
    if (a.startsWith("--profile=")) {
      a = "--profile-path=" + a.slice("--profile=".length);
    } else if (
      a === "--profile" && k + 2 < args.length &&
      !args[k + 1].startsWith("-") &&
      !isElfFile(args[k + 1])
    ) {
      // "--profile PATH program": PATH is the profile, unless it is an ELF
      // file (then it is the program, and the profile goes to the default).
      a = "--profile-path=" + args[++k];
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

/**
 * Runs the command line; returns the exit status (the guest's, 128 + signal
 * after a guest fault, 1 for an emulator error, 2 for a usage error).
 */
export function main(args: readonly string[]): Promise<number> {
  return runCommand(NAME, () => run(args));
}

async function run(args: readonly string[]): Promise<number> {
  const { own, rest } = split(args);
  const early = helpOrVersion(NAME, USAGE, own);
  if (early !== null) return early;
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
        "profile-guided": { type: "string" },
        "allow-open": { type: "string", multiple: true },
        "mem-mb": { type: "string" },
        env: { type: "string", multiple: true },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw parseArgsError(e);
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
  const guided = values["profile-guided"];
  if (guided !== undefined && backend !== "jit") {
    throw new UsageError(
      `Option --profile-guided needs --backend jit, got "${backend}"`,
    );
  }
  const maxInsns = positiveInt("--max-insns", values["max-insns"]);
  const memMb = positiveInt("--mem-mb", values["mem-mb"]) ??
    DEFAULT_MEM_SIZE / (1024 * 1024);
  if (memMb < 16 || memMb > 2047) {
    throw new UsageError(`Option --mem-mb expects 16 to 2047, got "${memMb}"`);
  }
  const profilePath = values["profile-path"] ??
    (values.profile ? DEFAULT_PROFILE_PATH : undefined);

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
    // Checked before a profile is started, so that a bad file leaves none.
    parseElf(bytes, file, ELF_MACHINE);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${file}: no such file`);
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new Error(`${file}: permission denied`);
    }
    throw e;
  }

  // Read before a profile is started, so that a bad file leaves none.
  const guide = guided === undefined ? null : await readProfileGuide(guided, {
    target: TARGET_NAME,
    opletHash: opletTableHash(OPLETS),
  });

  let fused: FusedSet<RiscvCpu> | null = null;
  if (!values["no-fuse"] && !profilePath) {
    fused = values.oplets ? await loadFusedDir(values.oplets) : loadFusedSet(
      DEFAULT_FUSED.opSeq,
      DEFAULT_FUSED.translateSeq,
      OP_HELPERS,
      "emu/targets/riscv32",
    );
  }

  let profile: ProfileOutput | null = null;
  if (profilePath) {
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
      jit: guide ? { guide } : undefined,
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
        `${NAME}: stopped after ${r.stats.insns} instructions (--max-insns)`,
      );
    }
    if (values.stats) {
      const st = r.stats;
      const mips = st.insns / (r.wallMs * 1000);
      console.error(
        `${NAME}: ${st.insns} insns, ${st.tbs} TBs, ${st.dispatched} oplets (${
          (st.dispatched / Math.max(1, st.insns)).toFixed(3)
        }/insn), ${(r.wallMs / 1000).toFixed(3)} s, ${mips.toFixed(1)} MIPS`,
      );
    }
    if (profile) {
      const st = profile.stats;
      console.error(
        `${NAME}: wrote ${profilePath}: ${st.tbs} TBs, ${st.executions} executions, ${st.bytes} bytes`,
      );
    }
    return r.exitCode;
  } catch (e) {
    // A profile that did not end is not left behind, nor its temporary file.
    await profile?.abort().catch(() => {});
    throw e;
  } finally {
    if (profile) Deno.removeSignalListener("SIGINT", onInt);
  }
}
