/**
 * Builds the oplet guest programs and records their expected behaviour.
 *
 * Usage:
 *
 *     deno run --allow-read --allow-write --allow-run tasks/build_guests.ts \
 *       [--check] [--no-bench] [names...]
 *
 * For every guest in tests/guests/guests.json (or only the named ones) this
 * compiles tests/guests/src/NAME.c together with the runtime
 * (tests/guests/runtime/crt0.S, sys.c, link.ld) into tests/guests/bin/NAME.elf
 * with riscv64-unknown-elf-gcc and picolibc, then runs the ELF under
 * qemu-riscv32, the reference machine, and writes
 * tests/guests/expected/NAME.stdout and NAME.json (and NAME.bench.stdout /
 * NAME.bench.json for guests with benchArgs).
 *
 * qemu runs with the guest directory as working directory, argv[0] =
 * "bin/NAME.elf", an empty environment (env -i) and core dumps disabled
 * (ulimit -c 0, so qemu prints nothing extra when a guest dies by a signal).
 *
 * With --check nothing is written: the ELFs are rebuilt in a temporary
 * directory and compared byte for byte with the committed ones (builds are
 * reproducible), the committed ELFs are run and their output compared with the
 * committed expected files; the exit status is 1 if anything differs.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join, resolve } from "node:path";

const GCC = "riscv64-unknown-elf-gcc";
const QEMU = "qemu-riscv32";

const GUESTS_DIR = resolve(
  import.meta.dirname ?? fail("run this script from a local file"),
  "..",
  "tests",
  "guests",
);

/** Compiler flags; source paths are relative to GUESTS_DIR. */
const CFLAGS = [
  "-march=rv32im",
  "-mabi=ilp32",
  "-O2",
  "-Wall",
  "-Wextra",
  "-ffunction-sections",
  "-fdata-sections",
  `-ffile-prefix-map=${GUESTS_DIR}=.`,
  "--specs=picolibc.specs",
  "-DPICOLIBC_INTEGER_PRINTF_SCANF", // integer-only printf/scanf (no %ll, no float)
  "-static",
  "-nostartfiles",
  "-T",
  "runtime/link.ld",
  "-Wl,--build-id=none",
  "-Wl,--gc-sections",
  "-Wl,--strip-debug", // keep the symbol table (for profiles), drop libc's DWARF
];
const RUNTIME_SOURCES = ["runtime/crt0.S", "runtime/sys.c"];

type GuestSet = "train" | "heldout" | "fault" | "edge";

interface Guest {
  name: string;
  /** `-march` for this guest (default rv32im, the fusion baseline). */
  march?: string;
  /** Linker script, relative to tests/guests (default runtime/link.ld). */
  ldscript?: string;
  /** `-mabi` for this guest (default ilp32; ilp32d for float programs). */
  mabi?: string;
  /** picolibc's printf: "integer" (the default, no floating point) or "double" (%f, %e, %g). */
  printf?: "integer" | "double";
  set: GuestSet;
  args: string[];
  benchArgs?: string[];
  stdin: string | null;
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
    return {
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
async function compile(guest: Guest, out: string): Promise<string> {
  const res = await new Deno.Command(GCC, {
    args: [
      ...CFLAGS.map((f) =>
        f === "-march=rv32im"
          ? `-march=${guest.march ?? "rv32im"}`
          : f === "-mabi=ilp32"
          ? `-mabi=${guest.mabi ?? "ilp32"}`
          : f === "-DPICOLIBC_INTEGER_PRINTF_SCANF" && guest.printf === "double"
          ? "-DPICOLIBC_DOUBLE_PRINTF_SCANF"
          : f === "runtime/link.ld"
          ? guest.ldscript ?? f
          : f
      ),
      "-o",
      out,
      ...RUNTIME_SOURCES,
      `src/${guest.name}.c`,
    ],
    cwd: GUESTS_DIR,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const diag = new TextDecoder().decode(res.stderr) +
    new TextDecoder().decode(res.stdout);
  if (!res.success) {
    throw new Error(`compiling ${guest.name} failed:\n${diag}`);
  }
  return diag;
}

/** Runs `elf` (relative to GUESTS_DIR) under qemu-riscv32. */
async function runQemu(
  elf: string,
  args: string[],
  stdinPath: string | null,
): Promise<RunResult> {
  // sh: no core files (qemu then prints nothing for fatal signals) and an
  // empty guest environment; exec keeps the signal status of qemu visible.
  const script =
    `ulimit -c 0; q=$(command -v ${QEMU}) || exit 127; exec env -i "$q" "$@"`;
  const child = new Deno.Command("sh", {
    args: ["-c", script, "sh", elf, ...args],
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

function expectedJson(guest: Guest, args: string[], run: RunResult): string {
  const rec: Record<string, unknown> = { exitCode: run.exitCode };
  if (run.signal !== null) rec.signal = run.signal;
  rec.args = args;
  if (guest.set === "fault") rec.stderr = run.stderr;
  return JSON.stringify(rec, null, 2) + "\n";
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
        "  rebuild tests/guests/bin/*.elf and record expected/* with qemu-riscv32;\n" +
        "  --check compares a fresh build/run with the committed files instead",
    );
    return;
  }
  const check = values.check;
  const bench = !values["no-bench"];

  if (!(await haveTool(GCC))) {
    fail(
      `${GCC} not found: install gcc-riscv64-unknown-elf and picolibc-riscv64-unknown-elf`,
    );
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
  const enc = new TextEncoder();
  try {
    if (!check) {
      await Deno.mkdir(join(GUESTS_DIR, "bin"), { recursive: true });
      await Deno.mkdir(join(GUESTS_DIR, "expected"), { recursive: true });
    }
    for (const guest of guests) {
      const fresh = join(tmp, `${guest.name}.elf`);
      const diag = await compile(guest, fresh);
      if (diag.trim() !== "") console.error(diag.trimEnd());
      const built = await Deno.readFile(fresh);
      const elfRel = `bin/${guest.name}.elf`;
      const elfPath = join(GUESTS_DIR, elfRel);
      const committed = await readOrNull(elfPath);
      let line = `${guest.name.padEnd(9)} ${guest.set.padEnd(7)} ${
        String(built.length).padStart(6)
      } bytes`;
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
        continue;
      }
      // In check mode run the committed ELF (what tests use), if any.
      const runElf = check && committed === null ? fresh : elfRel;
      const runs: [string, string[]][] = [["", guest.args]];
      if (bench && guest.benchArgs) runs.push([".bench", guest.benchArgs]);
      for (const [suffix, args] of runs) {
        const run = await runQemu(runElf, args, guest.stdin);
        const stdoutPath = join(
          GUESTS_DIR,
          "expected",
          `${guest.name}${suffix}.stdout`,
        );
        const jsonPath = join(
          GUESTS_DIR,
          "expected",
          `${guest.name}${suffix}.json`,
        );
        const json = enc.encode(expectedJson(guest, args, run));
        line += `  ${suffix ? "bench" : "test"} ${
          run.seconds.toFixed(3)
        }s exit ${run.exitCode}${run.signal ? ` (${run.signal})` : ""}`;
        if (guest.set !== "fault" && (run.exitCode !== 0 || run.stderr)) {
          problems.push(
            `${guest.name}${suffix}: exit ${run.exitCode}, stderr ${
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
