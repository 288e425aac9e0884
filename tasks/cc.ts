/**
 * `deno task cc [gcc options] FILE.c... -o OUT.elf`: builds a C program for
 * the oplet emulator (and qemu-riscv32) with `riscv64-unknown-elf-gcc` and
 * picolibc.
 *
 * It adds what a Linux user-mode program needs and picolibc does not give:
 * the start file (`cc/runtime/crt0.S`: argc, argv, `environ`, the auxiliary
 * vector, the thread pointer for `errno`), the Linux system-call glue
 * (`cc/runtime/sys.c`: buffered stdio, files, time, memory, exit), a few
 * headers (`cc/include/`) and the linker script (`cc/runtime/link.ld`).
 * The runtime is compiled with its own flags, so the program's flags (a C
 * standard, `-Werror`, `-O0`) never reach it.
 *
 * `-march`/`-mabi` default to the richest instruction set the emulator
 * runs ({@link DEFAULT_MARCH}/{@link DEFAULT_MABI}); a `-march` given
 * without `-mabi` gets the matching ABI. With `-c`, `-S` or `-E` nothing is
 * linked. Relative paths are the caller's: `deno task` runs in the
 * repository's root but passes the caller's folder in `INIT_CWD` (set only
 * when it is not set already, so a task started from another task sees the
 * outer one's folder).
 *
 * @module
 */

import { isAbsolute, join, resolve } from "node:path";

/** The default `-march`: what the emulator runs. */
export const DEFAULT_MARCH = "rv32imafdc";
/** The default `-mabi`. */
export const DEFAULT_MABI = "ilp32d";
/** The cross compiler. */
export const GCC = "riscv64-unknown-elf-gcc";
/** The Debian packages that provide it and picolibc. */
export const PACKAGES =
  "gcc-riscv64-unknown-elf and picolibc-riscv64-unknown-elf";

/** The repository's root. */
export const ROOT: string = resolve(import.meta.dirname ?? ".", "..");
/** The runtime's folder. */
export const CC_DIR: string = join(ROOT, "cc");

/** The runtime's sources, relative to {@link ROOT}. */
export const RUNTIME_SOURCES = ["cc/runtime/crt0.S", "cc/runtime/sys.c"];

/** Flags every compile gets (paths relative to {@link ROOT} when `root` is "."). */
export function includeFlags(root = ROOT): string[] {
  return ["-I", join(root, "cc/include"), "--specs=picolibc.specs"];
}

/** Flags every link gets. */
export function linkFlags(root = ROOT): string[] {
  return [
    "-static",
    "-nostartfiles",
    "-T",
    join(root, "cc/runtime/link.ld"),
    "-Wl,--gc-sections",
  ];
}

/** Flags the runtime is compiled with (besides -march/-mabi and the include flags). */
export const RUNTIME_CFLAGS = [
  "-O2",
  "-Wall",
  "-Wextra",
  "-ffunction-sections",
  "-fdata-sections",
];

/**
 * `-march` and `-mabi` for `args`: the user's where given, else the
 * defaults; a `-march` with `d` (or `g`) and no `-mabi` gets ilp32d, with
 * `f` ilp32f, else ilp32.
 */
export function archFlags(args: readonly string[]): string[] {
  const march = args.findLast((a) => a.startsWith("-march="))?.slice(7);
  const mabi = args.findLast((a) => a.startsWith("-mabi="))?.slice(6);
  const m = march ?? DEFAULT_MARCH;
  let abi = mabi;
  if (abi === undefined) {
    if (march === undefined) abi = DEFAULT_MABI;
    else {
      const base = m.replace(/^rv(32|64)/, "").split("_")[0];
      abi = /[dg]/.test(base)
        ? "ilp32d"
        : base.includes("f")
        ? "ilp32f"
        : "ilp32";
    }
  }
  return [`-march=${m}`, `-mabi=${abi}`];
}

/** A compiler run: its exit code and diagnostics. */
interface GccResult {
  code: number;
  stderr: string;
}

async function gcc(args: string[], cwd: string): Promise<GccResult> {
  const out = await new Deno.Command(GCC, {
    args,
    cwd,
    stdin: "null",
    stdout: "inherit",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** Whether the cross compiler runs and finds picolibc; else the one-line reason. */
export async function checkToolchain(): Promise<string | null> {
  let specs: string;
  try {
    const out = await new Deno.Command(GCC, {
      args: ["-print-file-name=picolibc.specs"],
      stdout: "piped",
      stderr: "null",
    }).output();
    specs = new TextDecoder().decode(out.stdout).trim();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return `${GCC} not found: install the Debian packages ${PACKAGES}`;
    }
    throw e;
  }
  if (!isAbsolute(specs)) {
    return `${GCC} does not find picolibc (picolibc.specs): install the Debian package picolibc-riscv64-unknown-elf`;
  }
  return null;
}

const USAGE = `usage: deno task cc [gcc options] FILE.c... [-o OUT.elf]

Builds a static RV32 Linux program for the oplet emulator with
${GCC} and picolibc, adding the start file, the Linux
system-call glue and the linker script from cc/. Every option is gcc's;
-march defaults to ${DEFAULT_MARCH} and -mabi to ${DEFAULT_MABI}. Relative paths are
relative to the folder you run it in.

example:
  deno task cc -O2 hello.c -o hello.elf
  deno task emu hello.elf`;

/**
 * Runs the whole command: builds the runtime for the chosen -march/-mabi
 * into a temporary folder, then compiles and links the user's files in
 * `cwd`. Returns the exit code; gcc's diagnostics go to stderr as they are,
 * followed by one line when it failed.
 */
export async function cc(args: string[], cwd: string): Promise<number> {
  if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
    (args.length === 0 ? console.error : console.log)(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const problem = await checkToolchain();
  if (problem) {
    console.error(`cc: ${problem}`);
    return 1;
  }
  const arch = archFlags(args);
  const rest = args.filter((a) => !/^-m(arch|abi)=/.test(a));
  const noLink = rest.some((a) => a === "-c" || a === "-S" || a === "-E");
  const tmp = await Deno.makeTempDir({ prefix: "oplet-cc-" });
  try {
    const objects: string[] = [];
    if (!noLink) {
      for (const src of RUNTIME_SOURCES) {
        const obj = join(tmp, src.split("/").pop()! + ".o");
        const r = await gcc([
          ...arch,
          ...RUNTIME_CFLAGS,
          ...includeFlags(),
          "-c",
          "-o",
          obj,
          join(ROOT, src),
        ], ROOT);
        if (r.code !== 0) {
          await Deno.stderr.write(new TextEncoder().encode(r.stderr));
          console.error(
            `cc: the runtime (${src}) does not build for ${arch.join(" ")}`,
          );
          return 1;
        }
        objects.push(obj);
      }
    }
    const r = await gcc([
      ...arch,
      ...includeFlags(),
      ...(noLink ? [] : ["-ffunction-sections", "-fdata-sections"]),
      ...rest,
      ...objects,
      ...(noLink ? [] : linkFlags()),
    ], cwd);
    if (r.stderr) await Deno.stderr.write(new TextEncoder().encode(r.stderr));
    if (r.code !== 0) {
      console.error(`cc: ${GCC} failed (exit code ${r.code})`);
      return 1;
    }
    return 0;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  const cwd = Deno.env.get("INIT_CWD") || Deno.cwd();
  Deno.exit(await cc(Deno.args, cwd));
}
