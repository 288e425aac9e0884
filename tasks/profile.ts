/**
 * `deno task profile [--profile PATH] [--profile-gzip] [elf...]`: profiles the training
 * guests (those of `tests/guests/guests.json` whose `set` is "train", run
 * with their `args`), or the ELFs given, into one profile with a run per
 * guest (default `/tmp/qemu.profile`), and prints what it wrote. The guests'
 * output is discarded. Needs `--allow-read --allow-write`.
 *
 * @module
 */

import {
  CapturedIo,
  opletInfo,
  OPLETS,
  runElf,
  startProfileWriter,
  TARGET_NAME,
} from "@oplet/emu";
import { DEFAULT_PROFILE } from "@oplet/analyze";
import { runCommand } from "@oplet/emu/cli";
import { taskArgs } from "./task_args.ts";

const ROOT = new URL("../", import.meta.url);
const GUESTS = new URL("tests/guests/guests.json", ROOT);

/** A guest to profile. */
interface Guest {
  elf: string;
  argv: string[];
  stdin?: Uint8Array;
}

const USAGE =
  `Usage: oplet-profile (deno task profile) [--profile PATH] [--profile-gzip] [elf...]

Profiles the training guests of tests/guests/guests.json (or the ELFs given)
into one profile, a run per guest. The guests' output is discarded.

Options:
  --profile PATH   the profile to write (default ${DEFAULT_PROFILE}; also --out PATH)
  --profile-gzip   gzip it (also --gzip)
  -h, --help       show this help
  --version        show the version

Exit status: 0 on success, 1 for an error, 2 for a usage error, 130 when
interrupted (Ctrl-C; the runs so far are kept as a complete profile).`;

/** Where guest output goes: nowhere; stdin comes from `input`. */
function quietIo(input?: Uint8Array): CapturedIo {
  return new CapturedIo(input, {
    keep: false,
    onWarning: (line) => console.error(`oplet-profile: guest: ${line}`),
  });
}

async function trainingGuests(): Promise<Guest[]> {
  let list: unknown;
  try {
    list = JSON.parse(await Deno.readTextFile(GUESTS));
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file"
      : (e as Error).message.split("\n")[0];
    throw new Error(
      `Cannot read the guest list "${GUESTS.pathname}": ${why}; build the guests or give ELF files`,
    );
  }
  const entries =
    (Array.isArray(list)
      ? list
      : (list as { guests?: unknown[] }).guests ?? []) as {
        name: string;
        set?: string;
        args?: string[];
        stdin?: string;
      }[];
  const out: Guest[] = [];
  for (const g of entries.filter((g) => g.set === "train")) {
    const elf = new URL(`tests/guests/bin/${g.name}.elf`, ROOT).pathname;
    const stdin = g.stdin
      ? await Deno.readFile(new URL(g.stdin, ROOT))
      : undefined;
    out.push({ elf, argv: [g.name, ...(g.args ?? [])], stdin });
  }
  if (out.length === 0) {
    throw new Error(
      `The guest list "${GUESTS.pathname}" has no guest with "set": "train"`,
    );
  }
  return out;
}

/** Runs the task; returns the exit status. */
export function main(args: string[]): Promise<number> {
  const values = taskArgs("profile", USAGE, args, {
    profile: { type: "string" },
    out: { type: "string" },
    "profile-gzip": { type: "boolean" },
    gzip: { type: "boolean" },
  }, true);
  const positionals = values._;
  const out = (values.profile ?? values.out ?? DEFAULT_PROFILE) as string;
  const gzip = Boolean(values["profile-gzip"] ?? values.gzip);
  return runCommand("oplet-profile", async () => {
    const guests = positionals.length > 0
      ? positionals.map((elf) => ({ elf, argv: [elf] }))
      : await trainingGuests();
    const elfs = await Promise.all(guests.map(async (g) => {
      try {
        return await Deno.readFile(g.elf);
      } catch {
        throw new Error(
          `Cannot read guest "${g.elf}"; build the guests or give ELF files`,
        );
      }
    }));
    const writer = await startProfileWriter(out, {
      gzip,
      target: TARGET_NAME,
      oplets: opletInfo(OPLETS),
    });
    let stop = false;
    const onInt = () => (stop = true);
    Deno.addSignalListener("SIGINT", onInt);
    const t0 = performance.now();
    try {
      for (const [k, g] of guests.entries()) {
        if (stop) break;
        const before = writer.stats.executions;
        const r = await runElf(elfs[k], {
          argv: g.argv,
          file: g.elf,
          io: quietIo((g as Guest).stdin),
          allowOpen: g.argv.slice(1),
          profile: writer.beginRun(g.elf, g.argv),
          interrupted: () => stop,
        });
        const note = r.interrupted
          ? " (interrupted)"
          : r.fault
          ? ` (${r.fault.message()})`
          : r.exitCode !== 0
          ? ` (exit code ${r.exitCode})`
          : "";
        console.log(
          `oplet-profile: ${g.argv.join(" ")}: ${
            writer.stats.executions - before
          } TB executions, ${r.stats.tbs} TBs${note}`,
        );
      }
    } finally {
      Deno.removeSignalListener("SIGINT", onInt);
      await writer.close();
    }
    const s = writer.stats;
    const perM = s.executions > 0
      ? Math.round((s.bytes * 1e6) / s.executions)
      : 0;
    console.log(
      `oplet-profile: wrote ${out}: ${s.runs} runs, ${s.tbs} TBs, ${s.executions} executions, ${s.bytes} bytes (${perM} bytes per million executions) in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
    );
    return stop ? 130 : 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
