import assert from "node:assert/strict";
import type { AnalysisJson } from "./report.ts";
import { profileBytes, syntheticRuns } from "./synthetic.ts";

const MOD = new URL("./mod.ts", import.meta.url).pathname;

async function cli(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** Asserts one line on stderr matching `re`, and no stack trace. */
function oneLine(stderr: string, re: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], re);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("cli: analyses a profile and writes the JSON the generator reads", async () => {
  await withDir(async (dir) => {
    const runs = syntheticRuns({
      seed: 2,
      runs: 2,
      tbs: 80,
      executions: 20_000,
    });
    await Deno.writeFile(
      `${dir}/a.profile`,
      await profileBytes(runs, { gzip: true }),
    );
    const r = await cli(
      "--top",
      "5",
      "--count",
      "40",
      "--json",
      `${dir}/out.json`,
      `${dir}/a.profile`,
    );
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /^rank +sequence +len +frequency +share +saved +saved% +example$/m,
    );
    assert.match(
      r.stdout,
      /^Coverage: the top 5 save [\d.]+% of dispatched oplets; all 40 chosen save [\d.]+%\.$/m,
    );
    const json = JSON.parse(
      await Deno.readTextFile(`${dir}/out.json`),
    ) as AnalysisJson;
    assert.equal(json.version, 1);
    assert.equal(json.target, "riscv32");
    assert.match(json.opletHash!, /^[0-9a-f]{8}$/);
    assert.equal(json.profiles[0], `${dir}/a.profile`);
    assert.equal(json.sequences.length, 40);
    const s = json.sequences[0];
    assert.deepEqual(s.names, s.ops.map((n) => json.oplets[n].name));
    assert.ok(
      s.frequency > 0 && s.saved > 0 && typeof s.examplePc === "number",
    );
    assert.ok(json.totalDispatches > json.totalSaved);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "a.profile",
      "out.json",
    ]);
  });
});

Deno.test("cli: usage errors exit 2 with one line; --help exits 0", async () => {
  const help = await cli("--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: oplet-analyze/);
  for (
    const [args, re] of [
      [["--bogus"], /^oplet-analyze: Unknown option '--bogus'.*; see --help$/],
      [
        ["--top", "x"],
        /^oplet-analyze: Option --top expects an integer >= 0, got "x"; see --help$/,
      ],
      [
        ["--max-depth", "1"],
        /^oplet-analyze: Option --max-depth expects an integer >= 2, got "1"; see --help$/,
      ],
    ] as const
  ) {
    const r = await cli(...args);
    assert.equal(r.code, 2, r.stderr);
    oneLine(r.stderr, re);
  }
});

Deno.test("cli: unusable profiles exit 1 with one line naming file and offset", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(
      `${dir}/elf`,
      new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0]),
    );
    const foreign = [
      { name: "profile", params: 1, exit: true },
      { name: "nop", params: 0, exit: false },
    ];
    await Deno.writeFile(
      `${dir}/foreign.profile`,
      await profileBytes(
        syntheticRuns({ oplets: foreign, tbs: 3, executions: 10 }),
        {
          oplets: foreign,
        },
      ),
    );
    for (
      const [file, re] of [
        [
          "missing",
          /^oplet-analyze: Cannot read profile ".*missing": no such file$/,
        ],
        [
          "elf",
          /^oplet-analyze: Not an oplet profile: starts with bytes "7f 45 4c 46 01 01 01 00", expected "OPLETPRF" \(in ".*elf" at offset 0\)$/,
        ],
        [
          "foreign.profile",
          /^oplet-analyze: Profile was made with oplet table [0-9a-f]{8}, expected [0-9a-f]{8}; profile the guests again with this emulator \(in ".*foreign.profile" at offset 9\)$/,
        ],
      ] as const
    ) {
      const r = await cli(`${dir}/${file}`);
      assert.equal(r.code, 1, r.stderr);
      oneLine(r.stderr, re);
      assert.equal(r.stdout, "");
    }
    // --any-oplets accepts the foreign profile.
    assert.equal((await cli("--any-oplets", `${dir}/foreign.profile`)).code, 0);
  });
});

Deno.test("cli: a truncated profile gets a warning, then the analysis of its complete records", async () => {
  await withDir(async (dir) => {
    const bytes = await profileBytes(
      syntheticRuns({ tbs: 40, executions: 50_000 }),
      { batch: 1000 },
    );
    await Deno.writeFile(
      `${dir}/cut.profile`,
      bytes.subarray(0, bytes.length - 100),
    );
    const r = await cli(`${dir}/cut.profile`);
    assert.equal(r.code, 0);
    oneLine(
      r.stderr,
      /^oplet-analyze: warning: ".*cut.profile" is truncated at offset \d+ \(the input ends inside a record\); analysing its complete records$/,
    );
    assert.match(r.stdout, /^Coverage:/m);
  });
});
