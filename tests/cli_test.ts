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
      /^oplet: segmentation fault at pc 0x000100[0-9a-f]{2}: store of address 0xdeadb7ef\n$/,
    ],
    [
      illegal,
      132,
      /^oplet: illegal instruction 0xffffffff at pc 0x000100[0-9a-f]{2}\n$/,
    ],
    [brk, 133, /^oplet: breakpoint \(ebreak\) at pc 0x000100[0-9a-f]{2}\n$/],
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

Deno.test("--help prints the usage", async () => {
  const r = await emu("--help");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: oplet-emu \[options\] <program\.elf>/);
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
  assert.equal(new TextDecoder().decode(out.stderr), "");
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
