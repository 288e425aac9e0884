/**
 * Builds the oplet guest programs and records their expected behaviour.
 *
 * Usage:
 *
 *     deno run --allow-read --allow-write --allow-run tasks/build_guests.ts \
 *       [--check] [--no-bench] [names...]
 *
 * For every guest in tests/guests/guests.json (or only the named ones) this
 * compiles tests/guests/src/NAME.c together with the runtime of
 * `deno task cc` (cc/runtime/crt0.S, sys.c, link.ld) with
 * riscv64-unknown-elf-gcc and picolibc, two ways (see {@link VARIANTS}):
 * `-march=rv32im` into tests/guests/bin/NAME.elf (the fusion baseline), and
 * the way `deno task cc` builds by default into tests/guests/bin/user/NAME.elf.
 * It then runs each ELF under qemu-riscv32, the reference machine, and
 * writes tests/guests/expected/[user/]NAME.stdout and NAME.json (and
 * NAME.bench.stdout / NAME.bench.json for guests with benchArgs).
 *
 * qemu runs with the guest directory as working directory, argv[0] =
 * "bin/[user/]NAME.elf", an environment holding only the manifest's `env`
 * (env -i) and core dumps disabled (ulimit -c 0, so qemu prints nothing
 * extra when a guest dies by a signal).
 *
 * With --check nothing is written: the ELFs are rebuilt in a temporary
 * directory and compared byte for byte with the committed ones (builds are
 * reproducible), the committed ELFs are run and their output compared with the
 * committed expected files; the exit status is 1 if anything differs.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import {
  archFlags,
  GCC,
  includeFlags,
  linkFlags,
  PACKAGES,
  ROOT,
  RUNTIME_SOURCES,
} from "./cc.ts";

const QEMU = "qemu-riscv32";

const GUESTS_DIR = join(ROOT, "tests", "guests");

/**
 * The two builds of every guest: `rv32im` (the fusion baseline, profiled
 * for training) and `user`, the way `deno task cc` builds a program by
 * default. `dir` is the subfolder of bin/ and expected/.
 */
const VARIANTS = [
  { name: "rv32im", dir: "", arch: ["-march=rv32im", "-mabi=ilp32"] },
  { name: "user", dir: "user/", arch: archFlags([]) },
] as const;

/** Compiler flags; gcc runs in the repository's root, paths are relative to it. */
const CFLAGS = [
  "-O2",
  "-Wall",
  "-Wextra",
  "-ffunction-sections",
  "-fdata-sections",
  `-ffile-prefix-map=${ROOT}=.`,
  ...includeFlags("."),
  "-DPICOLIBC_INTEGER_PRINTF_SCANF", // integer-only printf/scanf (no %ll, no float)
  ...linkFlags("."),
  "-Wl,--build-id=none",
  "-Wl,--strip-debug", // keep the symbol table (for profiles), drop libc's DWARF
];

type GuestSet = "train" | "heldout" | "fault" | "edge";

interface Guest {
  name: string;
  /** `-mabi` for this guest, with its `march` (default: what the march implies). */
  mabi?: string;
  /** picolibc's printf: "integer" (the default, no floating point) or "double" (%f, %e, %g). */
  printf?: "integer" | "double";
  set: GuestSet;
  args: string[];
  benchArgs?: string[];
  stdin: string | null;
  env: string[];
  allowOpen: string[];
  readsClocks?: boolean;
  /** A -march the program needs (inline asm): both builds use it. */
  march?: string;
  /** A linker script of its own, relative to tests/guests. */
  ldscript?: string;
  description: string;
}

interface RunResult {
  stdout: Uint8Array;
  stderr: string;
  exitCode: number;
  signal: string | null;
  seconds: number;
}

function fail(message: string): never {
  console.error(`build_guests: ${message}`);
  Deno.exit(1);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

async function loadManifest(): Promise<Guest[]> {
  const path = join(GUESTS_DIR, "guests.json");
  const data: unknown = JSON.parse(await Deno.readTextFile(path));
  if (!Array.isArray(data)) fail(`${path}: expected an array`);
  const seen = new Set<string>();
  return data.map((g, i): Guest => {
    const where = `${path}[${i}]`;
    if (typeof g !== "object" || g === null) fail(`${where}: not an object`);
    const {
      name,
      set,
      args,
      benchArgs,
      stdin,
      description,
      march,
      ldscript,
      mabi,
      printf,
    } = g;
    if (mabi !== undefined && !/^ilp32[fd]?$/.test(mabi)) {
      fail(`${where}: bad mabi ${JSON.stringify(mabi)}`);
    }
    if (printf !== undefined && printf !== "integer" && printf !== "double") {
      fail(`${where}: bad printf ${JSON.stringify(printf)}`);
    }
    if (ldscript !== undefined && !/^runtime\/[\w.]+\.ld$/.test(ldscript)) {
      fail(`${where}: bad ldscript ${JSON.stringify(ldscript)}`);
    }
    if (march !== undefined && !/^rv32[a-z0-9_]+$/.test(march)) {
      fail(`${where}: bad march ${JSON.stringify(march)}`);
    }
    const env = g.env ?? [], allowOpen = g.allowOpen ?? [];
    if (!isStringArray(env) || env.some((e) => !/^[A-Za-z_]\w*=/.test(e))) {
      fail(`${where}: env must be NAME=VALUE strings`);
    }
    if (!isStringArray(allowOpen)) fail(`${where}: allowOpen must be paths`);
    if (typeof name !== "string" || !/^[a-z0-9_]+$/.test(name)) {
      fail(`${where}: bad name`);
    }
    if (seen.has(name)) fail(`${where}: duplicate name ${name}`);
    seen.add(name);
    if (!["train", "heldout", "fault", "edge"].includes(set)) {
      fail(`${where}: bad set`);
    }
    if (!isStringArray(args)) fail(`${where}: args must be strings`);
    if (benchArgs !== undefined && !isStringArray(benchArgs)) {
      fail(`${where}: benchArgs must be strings`);
    }
    if (stdin !== null && typeof stdin !== "string") {
      fail(`${where}: stdin must be a path or null`);
    }
    if (typeof description !== "string") fail(`${where}: no description`);
    if (g.readsClocks !== undefined && typeof g.readsClocks !== "boolean") {
      fail(`${where}: readsClocks must be true or false`);
    }
    return {
      name,
      set,
      args,
      benchArgs,
      stdin,
      env,
      allowOpen,
      readsClocks: g.readsClocks,
      march,
      ldscript,
      description,
      mabi,
      printf,
    };
  });
}

/** Whether `cmd` can be started at all (false only when it is not found). */
async function haveTool(cmd: string): Promise<boolean> {
  try {
    await new Deno.Command(cmd, {
      args: ["--version"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function readOrNull(path: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Compiles one guest into `out`; returns compiler diagnostics (if any). */
async function compile(
  guest: Guest,
  arch: readonly string[],
  out: string,
): Promise<string> {
  const res = await new Deno.Command(GCC, {
    args: [
      ...(guest.march
        ? archFlags([
          `-march=${guest.march}`,
          ...(guest.mabi ? [`-mabi=${guest.mabi}`] : []),
        ])
        : arch),
      ...CFLAGS.map((f) =>
        f === "cc/runtime/link.ld" && guest.ldscript
          ? `tests/guests/${guest.ldscript}`
          : f === "-DPICOLIBC_INTEGER_PRINTF_SCANF" && guest.printf === "double"
          ? "-DPICOLIBC_DOUBLE_PRINTF_SCANF"
          : f
      ),
      "-o",
      out,
      ...RUNTIME_SOURCES,
      `tests/guests/src/${guest.name}.c`,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const diag = new TextDecoder().decode(res.stderr) +
    new TextDecoder().decode(res.stdout);
  if (!res.success) {
    console.error(diag.trimEnd());
    fail(`compiling ${guest.name} (${arch.join(" ")}) failed`);
  }
  return diag;
}

/** Runs `elf` (relative to GUESTS_DIR) under qemu-riscv32. */
async function runQemu(
  elf: string,
  args: string[],
  stdinPath: string | null,
  env: string[],
): Promise<RunResult> {
  // sh: no core files (qemu then prints nothing for fatal signals), only
  // the manifest's environment; exec keeps the signal status of qemu visible.
  const child = new Deno.Command("sh", {
    args: ["-c", 'ulimit -c 0; exec "$0" "$@"', await qemuPath(), elf, ...args],
    clearEnv: true,
    env: Object.fromEntries(
      env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
    ),
    cwd: GUESTS_DIR,
    stdin: stdinPath === null ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const start = performance.now();
  const proc = child.spawn();
  const feed = async () => {
    if (stdinPath === null) return;
    const writer = proc.stdin.getWriter();
    await writer.write(await Deno.readFile(join(GUESTS_DIR, stdinPath)));
    await writer.close();
  };
  const [out] = await Promise.all([proc.output(), feed()]);
  const seconds = (performance.now() - start) / 1000;
  return {
    stdout: out.stdout,
    stderr: new TextDecoder().decode(out.stderr),
    exitCode: out.code,
    signal: out.signal,
    seconds,
  };
}

let qemuAt: string | undefined;

/** The absolute path of qemu-riscv32 (its environment is cleared when it runs). */
async function qemuPath(): Promise<string> {
  if (qemuAt === undefined) {
    const out = await new Deno.Command("sh", {
      args: ["-c", `command -v ${QEMU}`],
      stdout: "piped",
    }).output();
    qemuAt = new TextDecoder().decode(out.stdout).trim();
  }
  return qemuAt;
}

function expectedJson(guest: Guest, args: string[], run: RunResult): string {
  const rec: Record<string, unknown> = { exitCode: run.exitCode };
  if (run.signal !== null) rec.signal = run.signal;
  rec.args = args;
  if (guest.set === "fault") rec.stderr = run.stderr;
  return JSON.stringify(rec, null, 2) + "\n";
}

/** What {@link buildOne} needs from the command line. */
interface BuildContext {
  check: boolean;
  bench: boolean;
  haveQemu: boolean;
  tmp: string;
  problems: string[];
}

/** Builds one guest one way, then records (or checks) what qemu-riscv32 does with it. */
async function buildOne(
  guest: Guest,
  v: typeof VARIANTS[number],
  { check, bench, haveQemu, tmp, problems }: BuildContext,
): Promise<void> {
  const enc = new TextEncoder();
  const fresh = join(tmp, `${v.name}-${guest.name}.elf`);
  const diag = await compile(guest, v.arch, fresh);
  if (diag.trim() !== "") console.error(diag.trimEnd());
  const built = await Deno.readFile(fresh);
  const elfRel = `bin/${v.dir}${guest.name}.elf`;
  const elfPath = join(GUESTS_DIR, elfRel);
  const committed = await readOrNull(elfPath);
  let line = `${guest.name.padEnd(9)} ${v.name.padEnd(6)} ${
    guest.set.padEnd(7)
  } ${String(built.length).padStart(6)} bytes`;
  if (check) {
    if (!sameBytes(built, committed)) {
      problems.push(`${elfRel} differs from a fresh build`);
    }
  } else {
    if (!sameBytes(built, committed)) await Deno.writeFile(elfPath, built);
    await Deno.chmod(elfPath, 0o755); // qemu-riscv32 needs +x
  }
  if (!haveQemu) {
    console.log(line);
    return;
  }
  // In check mode run the committed ELF (what tests use), if any.
  const runElf = check && committed === null ? fresh : elfRel;
  const runs: [string, string[]][] = [["", guest.args]];
  if (bench && guest.benchArgs) runs.push([".bench", guest.benchArgs]);
  for (const [suffix, args] of runs) {
    const run = await runQemu(runElf, args, guest.stdin, guest.env);
    const stem = join(GUESTS_DIR, "expected", `${v.dir}${guest.name}${suffix}`);
    const stdoutPath = `${stem}.stdout`, jsonPath = `${stem}.json`;
    const json = enc.encode(expectedJson(guest, args, run));
    line += `  ${suffix ? "bench" : "test"} ${
      run.seconds.toFixed(3)
    }s exit ${run.exitCode}${run.signal ? ` (${run.signal})` : ""}`;
    if (guest.set !== "fault" && (run.exitCode !== 0 || run.stderr)) {
      problems.push(
        `${v.dir}${guest.name}${suffix}: exit ${run.exitCode}, stderr ${
          JSON.stringify(run.stderr)
        }`,
      );
    }
    if (check) {
      if (!sameBytes(run.stdout, await readOrNull(stdoutPath))) {
        problems.push(`${stdoutPath} differs from a fresh run`);
      }
      if (!sameBytes(json, await readOrNull(jsonPath))) {
        problems.push(`${jsonPath} differs from a fresh run`);
      }
    } else {
      await Deno.writeFile(stdoutPath, run.stdout);
      await Deno.writeFile(jsonPath, json);
    }
  }
  console.log(line);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        check: { type: "boolean", default: false },
        "no-bench": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(
      `build_guests: ${
        (e as Error).message.split(/\. To specify|\n/)[0]
      }; see --help`,
    );
    Deno.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(
      "usage: build_guests.ts [--check] [--no-bench] [names...]\n" +
        "  rebuild tests/guests/bin/[user/]*.elf and record expected/[user/]* with qemu-riscv32;\n" +
        "  --check compares a fresh build/run with the committed files instead",
    );
    return;
  }
  const check = values.check;
  const bench = !values["no-bench"];

  if (!(await haveTool(GCC))) {
    fail(`${GCC} not found: install the Debian packages ${PACKAGES}`);
  }
  const haveQemu = await haveTool("sh") && await haveTool(QEMU);
  if (!haveQemu) {
    console.error(
      `build_guests: ${QEMU} not found; building only, expected files not ${
        check ? "checked" : "recorded"
      }`,
    );
  }

  const manifest = await loadManifest();
  const unknown = positionals.filter((n) =>
    !manifest.some((g) => g.name === n)
  );
  if (unknown.length > 0) fail(`unknown guest(s): ${unknown.join(", ")}`);
  const guests = positionals.length > 0
    ? manifest.filter((g) => positionals.includes(g.name))
    : manifest;

  const tmp = await Deno.makeTempDir({ prefix: "oplet-guests-" });
  const problems: string[] = [];
  try {
    for (const v of VARIANTS) {
      if (!check) {
        await Deno.mkdir(join(GUESTS_DIR, "bin", v.dir), { recursive: true });
        await Deno.mkdir(join(GUESTS_DIR, "expected", v.dir), {
          recursive: true,
        });
      }
    }
    for (const guest of guests) {
      for (const v of VARIANTS) {
        await buildOne(guest, v, { check, bench, haveQemu, tmp, problems });
      }
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  for (const p of problems) console.error(`build_guests: ${p}`);
  if (problems.length > 0) Deno.exit(1);
  if (check) console.log("build_guests: everything matches");
}

if (import.meta.main) {
  await main();
}
