/**
 * Helpers for tests and tasks that run the bundled guest programs: the
 * manifest, the expected files, and running commands.
 *
 * @module
 */

/** One guest of `tests/guests/guests.json`. */
export interface Guest {
  /** Its name: the ELF is `tests/guests/bin/NAME.elf`. */
  name: string;
  /** Which set it belongs to. */
  set: "train" | "heldout" | "fault" | "edge";
  /** Arguments for tests (argv[1..]). */
  args: string[];
  /** Arguments for benchmarks, if it is one. */
  benchArgs?: string[];
  /** Standard input file, relative to `tests/guests/`, or null. */
  stdin?: string | null;
  /** The guest's environment, as `NAME=VALUE` strings (default none). */
  env?: string[];
  /** Files (relative to `tests/guests/`) the guest opens: the emulator must allow them. */
  allowOpen?: string[];
  /** It reads clocks: its output is fixed, but its instruction count and final registers vary from run to run. */
  readsClocks?: boolean;
  /** What it does. */
  description?: string;
}

/** The guests folder. */
export const GUESTS_DIR: URL = new URL("./guests/", import.meta.url);

/** Reads the manifest. */
export function readManifest(): Guest[] {
  return JSON.parse(Deno.readTextFileSync(new URL("guests.json", GUESTS_DIR)));
}

/**
 * The two builds of every guest: `rv32im`, the fusion baseline (training
 * and held-out sets for fusion), and `user`, built the way `deno task cc`
 * builds a program (`tests/guests/bin/user/`, `expected/user/`).
 */
export type Variant = "rv32im" | "user";

/** Both builds, baseline first. */
export const VARIANTS: readonly Variant[] = ["rv32im", "user"];

function variantDir(variant: Variant): string {
  return variant === "user" ? "user/" : "";
}

/** The path of a guest's ELF file. */
export function elfPath(name: string, variant: Variant = "rv32im"): string {
  return new URL(`bin/${variantDir(variant)}${name}.elf`, GUESTS_DIR).pathname;
}

/**
 * The emulator's view of a guest's run: its arguments with the files it
 * opens made absolute (tests run from anywhere), the same files allowed to
 * open, and its environment.
 */
export function runSetup(
  g: Guest,
  args: readonly string[] = g.args,
): { args: string[]; allowOpen: string[]; envp: string[] } {
  const abs = (p: string) => new URL(p, GUESTS_DIR).pathname;
  const files = new Set(g.allowOpen ?? []);
  return {
    args: args.map((a) => files.has(a) ? abs(a) : a),
    allowOpen: [...files].map(abs),
    envp: g.env ?? [],
  };
}

/** The expected stdout and exit code that qemu-riscv32 gave. */
export function expected(
  name: string,
  bench = false,
  variant: Variant = "rv32im",
): { stdout: Uint8Array; exitCode: number } {
  const stem = variantDir(variant) + (bench ? `${name}.bench` : name);
  const stdout = Deno.readFileSync(
    new URL(`expected/${stem}.stdout`, GUESTS_DIR),
  );
  const meta = JSON.parse(
    Deno.readTextFileSync(new URL(`expected/${stem}.json`, GUESTS_DIR)),
  );
  return { stdout, exitCode: meta.exitCode };
}

/** Whether a run gave exactly the expected exit code and stdout bytes. */
export function gaveExpected(
  want: { stdout: Uint8Array; exitCode: number },
  exitCode: number,
  stdout: Uint8Array,
): boolean {
  return exitCode === want.exitCode && stdout.length === want.stdout.length &&
    stdout.every((b, k) => b === want.stdout[k]);
}

/** A guest's standard input, if the manifest gives one. */
export function stdinOf(g: Guest): Uint8Array {
  return g.stdin
    ? Deno.readFileSync(new URL(g.stdin, GUESTS_DIR))
    : new Uint8Array(0);
}

/** Guest I/O kept in memory: the one in `@oplet/emu`. */
export { CapturedIo } from "@oplet/emu";

/** Whether a command runs on this machine. */
export function hasCommand(cmd: string): boolean {
  try {
    new Deno.Command(cmd, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return true;
  } catch {
    return false;
  }
}

/** What a command printed and how it ended. */
export interface CommandResult {
  /** Exit code. */
  code: number;
  /** Standard output, decoded. */
  stdout: string;
  /** Standard error, decoded. */
  stderr: string;
}

/** Runs `deno run -A SCRIPT ARGS...` and collects its output. */
export async function runDeno(
  script: string,
  ...args: string[]
): Promise<CommandResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}
