// The emulator's command line, run as a user runs it: exit codes, one-line
// errors, --stats, --log, --max-insns; guest behaviour compared with
// qemu-riscv32 live where it is installed.
import assert from "node:assert/strict";
import { wordsToBytes, writeElf } from "./fuzz/elf_write.ts";
import { ebreak, ecall, iAlu, jal, li, lui, store } from "./fuzz/rv_encode.ts";
import { hasCommand, runDeno } from "./guest_io.ts";
import { readProfile } from "@oplet/analyze";

const EMU = new URL("../emu/mod.ts", import.meta.url).pathname;
const QEMU = hasCommand("qemu-riscv32");
const dir = Deno.makeTempDirSync({ prefix: "oplet-cli-" });
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch {
    // Already gone.
  }
});
const A0 = 10, A1 = 11, A2 = 12, A7 = 17, T0 = 5;

/** Writes an ELF whose code prints "hi\n" (from the data segment) and then runs `tail`. */
function program(name: string, tail: number[]): string {
  const text = [
    ...li(A7, 64),
    ...li(A0, 1),
    ...li(A1, 0x12000),
    ...li(A2, 3),
    ecall(),
    ...tail,
  ];
  const path = `${dir}/${name}.elf`;
  Deno.writeFileSync(
    path,
    writeElf({
      text: wordsToBytes(text),
      data: new TextEncoder().encode("hi\n"),
      dataAddr: 0x12000,
    }),
  );
  Deno.chmodSync(path, 0o755); // qemu-riscv32 refuses files without the execute bit
  return path;
}

const exit42 = program("exit42", [...li(A7, 93), ...li(A0, 42), ecall()]);

/** A copy of exit42 with other ELF header flags (`e_flags`). */
function withFlags(name: string, flags: number): string {
  const b = Deno.readFileSync(exit42);
  new DataView(b.buffer).setUint32(36, flags, true);
  const path = `${dir}/${name}.elf`;
  Deno.writeFileSync(path, b);
  return path;
}
const segv = program("segv", [lui(T0, 0xdeadb), store("sw", 0, T0, 0x7ef)]);
const illegal = program("illegal", [0xffffffff]);
const brk = program("ebreak", [ebreak()]);
const loop = program("loop", [iAlu("addi", T0, T0, 1), jal(0, -4)]);

function emu(...args: string[]) {
  return runDeno(EMU, ...args);
}

async function qemu(path: string) {
  const out = await new Deno.Command("qemu-riscv32", {
    args: [path],
    stdout: "piped",
    stderr: "null",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("the guest's exit code and output are the emulator's, as under qemu-riscv32", async () => {
  const r = await emu(exit42);
  assert.equal(r.code, 42);
  assert.equal(r.stdout, "hi\n");
  assert.equal(r.stderr, "");
  if (QEMU) assert.deepEqual(await qemu(exit42), { code: 42, stdout: "hi\n" });
});

Deno.test("faults print one line and exit with 128 + signal, keeping earlier output", async () => {
  const cases: [string, number, RegExp][] = [
    [
      segv,
      139,
      /^oplet-emu: segmentation fault at pc 0x000100[0-9a-f]{2}: store of address 0xdeadb7ef\n$/,
    ],
    [
      illegal,
      132,
      /^oplet-emu: illegal instruction 0xffffffff at pc 0x000100[0-9a-f]{2}\n$/,
    ],
    [
      brk,
      133,
      /^oplet-emu: breakpoint \(ebreak\) at pc 0x000100[0-9a-f]{2}\n$/,
    ],
  ];
  for (const [path, code, re] of cases) {
    const r = await emu(path);
    assert.equal(r.code, code, path);
    assert.equal(r.stdout, "hi\n", path);
    assert.match(r.stderr, re);
    if (QEMU) {
      const q = await qemu(path);
      assert.equal(q.code, code, `qemu on ${path}`);
      assert.equal(q.stdout, "hi\n");
    }
  }
});

Deno.test("--stats prints one line; --max-insns stops an endless loop", async () => {
  const r = await emu("--stats", "--max-insns", "100000", loop);
  assert.equal(r.code, 0);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 2);
  assert.match(
    lines[0],
    /^oplet-emu: stopped after 1\d{5} instructions \(--max-insns\)$/,
  );
  assert.match(
    lines[1],
    /^oplet-emu: 1\d{5} insns, \d+ TBs, \d+ oplets \(\d+\.\d{3}\/insn\), \d+\.\d{3} s, \d+\.\d MIPS$/,
  );
});

Deno.test("--log in_asm,op shows each block's guest code and oplets once", async () => {
  const r = await emu("--log", "in_asm,op", "--no-fuse", exit42);
  assert.equal(r.code, 42);
  assert.match(
    r.stderr,
    /^IN: tb 0\n0x00010000: {2}[0-9a-f]{8} {2}(addi|lui) a7/m,
  );
  assert.match(r.stderr, /^0x[0-9a-f]{8}: {2}00000073 {2}ecall$/m);
  assert.match(
    r.stderr,
    /^OP: tb 0 pc 0x00010000 \(\d+ oplets\)\n movi_r 17, 64$/m,
  );
  assert.match(r.stderr, /^ ecall 0x100[0-9a-f]{2}$/m);
});

Deno.test("bad command lines and files give one line and exit 2 (usage) or 1", async () => {
  const notElf = `${dir}/not.elf`;
  Deno.writeTextFileSync(notElf, "#!/bin/sh\necho hi\n".repeat(4));
  const cases: [string[], number, RegExp][] = [
    [["--frob", exit42], 2, /^oplet-emu: Unknown option '--frob'; see --help$/],
    [
      [],
      2,
      /^oplet-emu: Missing the program to run \(an ELF file\); see --help$/,
    ],
    [
      ["--max-insns", "lots", exit42],
      2,
      /--max-insns expects a positive whole number, got "lots"/,
    ],
    [["--log", "everything", exit42], 2, /Unknown --log item "everything"/],
    [
      ["--backend", "llvm", exit42],
      2,
      /--backend expects switch, call, paste or jit, got "llvm"/,
    ],
    [[`${dir}/missing.elf`], 1, /^oplet-emu: .*missing\.elf: no such file$/],
    [[dir], 1, /: expected an ELF file, found a directory or special file$/],
    [[notElf], 1, /not\.elf: offset 0x0: expected the ELF magic/],
    [
      ["--oplets", dir, exit42],
      1,
      /cannot load op_seq\.ts and translate_seq\.ts/,
    ],
    [["--profile=/nonexistent/dir/p.profile", exit42], 1, /\/nonexistent\/dir/],
    [
      [withFlags("ilp32q", 0x7)],
      1,
      /^oplet-emu: .*ilp32q\.elf: built for the ilp32q ABI \(quad-precision float registers, e_flags 0x7\); this emulator runs ilp32, ilp32f and ilp32d programs \(RV32IMAFDC\)$/,
    ],
    [
      [withFlags("rve", 0x9)],
      1,
      /^oplet-emu: .*rve\.elf: built for RV32E \(EF_RISCV_RVE, 16 registers, e_flags 0x9\); this emulator runs RV32I programs \(RV32IMAFDC\)$/,
    ],
  ];
  for (const [args, code, re] of cases) {
    const r = await emu(...args);
    assert.equal(r.code, code, args.join(" "));
    assert.match(r.stderr.trimEnd(), re, args.join(" "));
    assert.equal(
      r.stderr.trimEnd().split("\n").length,
      1,
      `one line for ${args.join(" ")}: ${r.stderr}`,
    );
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
    assert.equal(r.stdout, "", "the guest did not start");
  }
});

Deno.test("--help, -h and --version answer without any permission", async () => {
  for (const flag of ["--help", "-h"]) {
    const r = await runNoPermissions(flag);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: oplet-emu \[options\] <program\.elf>/);
    assert.match(r.stdout, /Exit status: the guest's exit status/);
  }
  const v = await runNoPermissions("--version");
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /^oplet-emu \d+\.\d+\.\d+\n$/);
  // Guest arguments are the guest's: --help after the program is not ours.
  const g = await emu(exit42, "--help");
  assert.equal(g.code, 42);
});

async function runNoPermissions(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", EMU, ...args],
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

Deno.test("--profile PATH with a space names the profile, and says what it wrote", async () => {
  const path = `${dir}/spaced.profile`;
  const r = await emu("--profile", path, exit42);
  assert.equal(r.code, 42, r.stderr);
  assert.equal(r.stdout, "hi\n");
  assert.match(
    r.stderr,
    new RegExp(
      `^oplet-emu: wrote ${path}: \\d+ TBs, \\d+ executions, \\d+ bytes\n$`,
    ),
  );
  assert.ok((await Deno.stat(path)).size > 0);
});

Deno.test("a bad ELF with --profile leaves no profile and no temporary file", async () => {
  const bad = `${dir}/bad-elf`;
  await Deno.writeTextFile(bad, "not an ELF at all, just text");
  const out = `${dir}/bad-out`;
  await Deno.mkdir(out);
  for (
    const args of [[`--profile=${out}/p.profile`, bad], [
      "--profile",
      `${out}/q.profile`,
      bad,
    ]]
  ) {
    const r = await emu(...args);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^oplet-emu: .*bad-elf/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
    assert.deepEqual([...Deno.readDirSync(out)], []);
  }
});

Deno.test("--profile-guided runs with a profile of an earlier run and gives the same output and counts", async () => {
  const path = `${dir}/guide.profile`;
  assert.equal((await emu("--profile", path, exit42)).code, 42);
  const plain = await emu("--stats", exit42);
  const guided = await emu("--stats", "--profile-guided", path, exit42);
  assert.equal(guided.code, 42, guided.stderr);
  assert.equal(guided.stdout, "hi\n");
  const counts = (s: string) =>
    s.match(/^oplet-emu: (\d+ insns, \d+ TBs, \d+ oplets)/)![1];
  assert.equal(counts(guided.stderr), counts(plain.stderr));
});

Deno.test("--profile-guided with a bad file fails in one line naming it; with another backend it is a usage error", async () => {
  const text = `${dir}/text.profile`;
  await Deno.writeTextFile(text, "not a profile");
  const cases: [string, RegExp][] = [
    [
      `${dir}/missing.profile`,
      /^oplet-emu: Cannot read profile ".*missing.profile": no such file\n$/,
    ],
    [
      dir,
      /^oplet-emu: Cannot read profile ".*": expected a file, found a directory\n$/,
    ],
    [
      text,
      /^oplet-emu: Not an oplet profile: starts with bytes "6e 6f 74 20 61 20 70 72", expected "OPLETPRF" \(in ".*text.profile" at offset 0\)\n$/,
    ],
  ];
  for (const [path, message] of cases) {
    const r = await emu("--profile-guided", path, exit42);
    assert.equal(r.code, 1, path);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, "");
  }
  const r = await emu("--backend", "switch", "--profile-guided", text, exit42);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^oplet-emu: Option --profile-guided needs --backend jit, got "switch"/,
  );
});

Deno.test("a closed standard output ends the run quietly with 141", async () => {
  // Prints "hi\n" forever: the write, then a jump back to it.
  const words = li(A7, 64).length + li(A0, 1).length + li(A1, 0x12000).length +
    li(A2, 3).length + 1;
  const spam = program("spam", [jal(0, -4 * words)]);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EMU, spam],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Read one chunk, then go away, as `| head -c 10` does.
  const reader = child.stdout.getReader();
  await reader.read();
  await reader.cancel();
  const [status, err] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  assert.equal(err, "");
  assert.equal(status.code, 141);
});

Deno.test("relative paths are the caller's under deno task (INIT_CWD)", async () => {
  const sub = `${dir}/caller`;
  await Deno.mkdir(sub, { recursive: true });
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EMU, "--profile", "rel.profile", exit42],
    cwd: dir,
    env: { INIT_CWD: sub },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 42, new TextDecoder().decode(out.stderr));
  assert.ok((await Deno.stat(`${sub}/rel.profile`)).isFile);
  // An INIT_CWD that is not inside the current folder is not the caller's.
  const elsewhere = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EMU, "--profile", "rel2.profile", exit42],
    cwd: sub,
    env: { INIT_CWD: "/" },
    stdout: "null",
    stderr: "null",
  }).output();
  assert.equal(elsewhere.code, 42);
  assert.ok((await Deno.stat(`${sub}/rel2.profile`)).isFile);
});

Deno.test("Ctrl-C during --profile flushes a complete profile and exits 130", async () => {
  const path = `${dir}/interrupted.profile`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EMU, `--profile=${path}`, loop],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Wait until the emulator has opened the profile (its temporary file
  // exists), so that its Ctrl-C listener is in place, then a little more.
  const opened = () =>
    [...Deno.readDirSync(dir)].some((e) =>
      e.name.startsWith(".interrupted.profile")
    );
  for (let waited = 0; !opened() && waited < 30000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 500));
  const killed = performance.now();
  child.kill("SIGINT");
  const { code } = await child.output();
  assert.equal(code, 130);
  assert.ok(performance.now() - killed < 5000, "it stops promptly");
  let end = "";
  for await (const r of readProfile((await Deno.open(path)).readable, path)) {
    end = r.kind;
  }
  assert.equal(
    end,
    "end",
    "the profile ends with its end record, not truncated",
  );
  assert.deepEqual(
    [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".tmp")),
    [],
  );
});

Deno.test("--profile falls back quietly to the guest's thread when its worker may not load", async () => {
  const path = `${dir}/fallback.profile`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      EMU,
      `--profile=${path}`,
      exit42,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.match(
    new TextDecoder().decode(out.stderr),
    /^oplet-emu: wrote .*fallback\.profile: \d+ TBs, \d+ executions, \d+ bytes\n$/,
  );
  assert.equal(out.code, 42);
  assert.equal(new TextDecoder().decode(out.stdout), "hi\n");
  const kinds = [];
  for await (const r of readProfile((await Deno.open(path)).readable, path)) {
    kinds.push(r.kind);
  }
  assert.equal(kinds.at(-1), "end");
  assert.ok(kinds.includes("executions"));
});

Deno.test("--profile writes the same bytes on every backend, and gzipped", async () => {
  const sort = new URL("./guests/bin/sort.elf", import.meta.url).pathname;
  const files = [];
  for (const backend of ["switch", "call", "paste", "jit"]) {
    const path = `${dir}/backend-${backend}.profile`;
    const r = await emu(`--profile=${path}`, "--backend", backend, sort, "300");
    assert.equal(r.code, 0, r.stderr);
    files.push(await Deno.readFile(path));
  }
  assert.ok(files[0].length > 1000);
  assert.deepEqual(files[1], files[0]);
  assert.deepEqual(files[2], files[0]);
  // --profile-gzip: the same bytes, compressed.
  const gz = `${dir}/backend-gzip.profile`;
  const r = await emu(`--profile=${gz}`, "--profile-gzip", sort, "300");
  assert.equal(r.code, 0, r.stderr);
  const plain = await new Response(
    (await Deno.open(gz)).readable.pipeThrough(
      new DecompressionStream("gzip"),
    ),
  ).bytes();
  assert.deepEqual(plain, files[0]);
});
