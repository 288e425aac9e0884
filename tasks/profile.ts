/**
 * `deno task profile [--out PATH] [--gzip] [elf...]`: profiles the training
 * guests (those of `tests/guests/guests.json` whose `set` is "train", run
 * with their `args`), or the ELFs given, into one profile with a run per
 * guest (default `/tmp/qemu.profile`), and prints what it wrote. The guests'
 * output is discarded. Needs `--allow-read --allow-write`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type GuestIo,
  opletInfo,
  OPLETS,
  runElf,
  startProfileWriter,
  TARGET_NAME,
} from "@oplet/emu";

const ROOT = new URL("../", import.meta.url);
const GUESTS = new URL("tests/guests/guests.json", ROOT);

/** A guest to profile. */
interface Guest {
  elf: string;
  argv: string[];
  stdin?: Uint8Array;
}

const USAGE = `Usage: deno task profile [--out PATH] [--gzip] [elf...]

Profiles the training guests of tests/guests/guests.json (or the ELFs given)
into one profile, a run per guest.

Options:
  --out PATH   the profile to write (default /tmp/qemu.profile)
  --gzip       gzip it
  -h, --help   show this help`;

/** Where guest output goes: nowhere; stdin comes from `input`. */
function quietIo(input: Uint8Array = new Uint8Array(0)): GuestIo {
  let at = 0;
  return {
    stdout: (b) => b.length,
    stderr: (b) => b.length,
    stdin: (buf) => {
      const n = Math.min(buf.length, input.length - at);
      buf.set(input.subarray(at, at + n));
      at += n;
      return n;
    },
    isTerminal: () => false,
    warn: (line) => console.error(`profile: guest: ${line}`),
  };
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
export async function main(args: string[]): Promise<number> {
  let values, positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        gzip: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    console.error(
      `profile: ${(e as Error).message.split("\n")[0]}; try --help`,
    );
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const out = values.out ?? "/tmp/qemu.profile";
  try {
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
      gzip: values.gzip ?? false,
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
          `profile: ${g.argv.join(" ")}: ${
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
      `profile: wrote ${out}: ${s.runs} runs, ${s.tbs} TBs, ${s.executions} executions, ${s.bytes} bytes (${perM} bytes per million executions) in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
    );
    return stop ? 130 : 0;
  } catch (e) {
    console.error(`profile: ${(e as Error).message.split("\n")[0]}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
