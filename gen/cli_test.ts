import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { OPLETS, opletTableHash, opNumber, TARGET_NAME } from "@oplet/emu";
import { parseGenArgs, UsageError } from "./cli.ts";

const MOD = fileURLToPath(new URL("./mod.ts", import.meta.url));

async function gen(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** Asserts one line on stderr, with no stack trace. */
function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], /^oplet-gen: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

Deno.test("parseGenArgs reads the options and refuses bad ones", () => {
  const a = parseGenArgs(["--from", "a.json", "--count", "12", "--fuse-exits"]);
  assert.equal(a.from, "a.json");
  assert.equal(a.count, 12);
  assert.equal(a.fuseExits, true);
  assert.equal(a.format, true);
  assert.deepEqual(parseGenArgs(["x.prof", "y.prof"], true).positionals, [
    "x.prof",
    "y.prof",
  ]);
  for (
    const bad of [
      ["--count", "257"],
      ["--count", "-1"],
      ["--count", "1.5"],
      ["--count", ""],
      ["--out", ""],
      ["--bogus"],
      ["x.prof"],
    ]
  ) {
    assert.throws(() => parseGenArgs(bad), UsageError, bad.join(" "));
  }
});

Deno.test("the command line: help, usage errors (2) and errors (1), one line each", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oplet_gen_cli_" });
  try {
    const help = await gen(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: oplet-gen --from analysis.json/);

    let r = await gen([]);
    assert.equal(r.code, 2);
    oneLine(r.stderr, /Missing --from analysis.json; see --help/);
    r = await gen(["--from", "a.json", "--bogus"]);
    assert.equal(r.code, 2);
    oneLine(r.stderr, /Unknown option '--bogus'/);
    r = await gen(["--from", "a.json", "--count", "300"]);
    assert.equal(r.code, 2);
    oneLine(
      r.stderr,
      /Option --count expects a whole number from 0 to 256, got "300"/,
    );

    r = await gen(["--from", "a.json"]);
    assert.equal(r.code, 2);
    oneLine(
      r.stderr,
      /Missing --out DIR, the folder to write into; see --help/,
    );

    const version = await gen(["--version"]);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^oplet-gen \d+\.\d+\.\d+\n$/);

    r = await gen(["--from", join(dir, "missing.json"), "--out", dir]);
    assert.equal(r.code, 1);
    oneLine(
      r.stderr,
      /Cannot read the analysis ".*missing.json": no such file/,
    );

    const bad = join(dir, "bad.json");
    await Deno.writeTextFile(bad, "{ not json");
    r = await gen(["--from", bad, "--out", dir]);
    assert.equal(r.code, 1);
    oneLine(r.stderr, /Analysis ".*bad.json" is not valid JSON: /);

    const analysis = {
      version: 1,
      target: TARGET_NAME,
      opletHash: opletTableHash(OPLETS),
      sequences: [{ ops: ["mov_T0_r", "addi", "mov_r_T0"].map(opNumber) }],
    };
    const good = join(dir, "good.json");
    await Deno.writeTextFile(good, JSON.stringify(analysis));
    const other = join(dir, "other.json");
    await Deno.writeTextFile(
      other,
      JSON.stringify({ ...analysis, opletHash: "12345678" }),
    );
    r = await gen(["--from", other, "--out", dir]);
    assert.equal(r.code, 1);
    oneLine(r.stderr, /Analysis was made for oplet table "12345678"/);

    r = await gen(["--from", good, "--out", good]);
    assert.equal(r.code, 1);
    oneLine(
      r.stderr,
      /Cannot write to the output directory ".*good.json": not a directory/,
    );

    // A missing --out folder is created, with its parents.
    const out = join(dir, "new", "fused");
    r = await gen(["--from", good, "--out", out, "--count", "5"]);
    assert.equal(r.code, 0, r.stderr);
    oneLine(r.stderr, /wrote 1 fused oplet to /);
    const text = await Deno.readTextFile(join(out, "op_seq.ts"));
    assert.match(
      text,
      /\/\/ Command: deno run -A jsr:@oplet\/gen --from .*good.json --out .* --count 5\n/,
    );
    assert.match(
      text,
      /function op_seq0\(s: FusedState, c: Int32Array, i: number\): number \{/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
