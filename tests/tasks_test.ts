// Every task's command line: --help works, and a bad option is one line on
// stderr with exit code 2, never a stack trace.
import assert from "node:assert/strict";
import { runDeno } from "./guest_io.ts";

const TASKS = ["demo", "bench", "profile", "gen", "fuzz", "build_guests"];

function run(task: string, ...args: string[]) {
  return runDeno(
    new URL(`../tasks/${task}.ts`, import.meta.url).pathname,
    ...args,
  );
}

// The tasks that follow the shared conventions (build_guests keeps its own).
const CONVENTIONAL = ["demo", "bench", "profile", "gen", "fuzz"];

for (const task of CONVENTIONAL) {
  Deno.test(`task ${task}: oplet-${task} in usage and messages, --version, exit statuses in the help`, async () => {
    const help = await run(task, "-h");
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: oplet-${task} `));
    assert.match(help.stdout, /Exit status: /);
    const version = await run(task, "--version");
    assert.equal(version.code, 0, version.stderr);
    assert.match(
      version.stdout,
      new RegExp(`^oplet-${task} \\d+\\.\\d+\\.\\d+\n$`),
    );
    const bad = await run(task, "--no-such-option");
    assert.match(bad.stderr, new RegExp(`^oplet-${task}: .*; see --help\n$`));
  });
}

Deno.test("task demo: Ctrl-C leaves no temporary folder and exits 130", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "oplet-demo-int-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../tasks/demo.ts", import.meta.url).pathname,
      ],
      env: { TMPDIR: tmp },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Wait until the demo has made its folder, then interrupt it.
    for (let k = 0; k < 600 && [...Deno.readDirSync(tmp)].length === 0; k++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal([...Deno.readDirSync(tmp)].length, 1, "no demo folder seen");
    child.kill("SIGINT");
    const [status, err] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
    ]);
    assert.equal(status.code, 130, err);
    assert.match(err, /^oplet-demo: interrupted$/m);
    assert.deepEqual([...Deno.readDirSync(tmp)], []);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

for (const task of TASKS) {
  Deno.test(`task ${task}: --help prints a usage, an unknown option is a one-line usage error`, async () => {
    const help = await run(task, "--help");
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout + help.stderr, /usage/i);
    const bad = await run(task, "--no-such-option");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--no-such-option/);
    assert.equal(bad.stderr.trim().split("\n").length <= 2, true, bad.stderr);
    assert.doesNotMatch(bad.stderr, /^\s+at /m, "no stack trace");
  });
}

Deno.test("task bench --quick writes its JSON, table and chart for every backend", async () => {
  const out = await Deno.makeTempDir({ prefix: "oplet-bench-" });
  try {
    const r = await run(
      "bench",
      "--quick",
      "--no-call",
      "--only",
      "bignum",
      "--out",
      out,
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(await Deno.readTextFile(`${out}/latest.json`));
    assert.equal(json.guests.length, 1);
    const g = json.guests[0];
    assert.equal(g.name, "bignum");
    for (
      const key of [
        "switch/unfused",
        "switch/fused",
        "paste/unfused",
        "paste/fused",
        "switch/profile",
      ]
    ) {
      assert.ok(g.results[key].ms > 0, key);
    }
    // Every sample ran the same guest instructions; fusion dispatched fewer.
    assert.ok(
      g.results["switch/fused"].perInsn < g.results["switch/unfused"].perInsn,
    );
    assert.equal(
      g.results["paste/fused"].perInsn,
      g.results["switch/fused"].perInsn,
    );
    assert.match(
      await Deno.readTextFile(`${out}/latest.md`),
      /\| bignum \| train \|/,
    );
    assert.match(await Deno.readTextFile(`${out}/chart.svg`), /^<svg /);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
