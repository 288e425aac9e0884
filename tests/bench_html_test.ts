// The bench page: rendered from the results JSON alone, tolerant of
// backends it has never seen, bounded, and its task's errors are one line.
import assert from "node:assert/strict";
import {
  backendsOf,
  type BenchJson,
  checkBenchJson,
  renderBenchHtml,
} from "../tasks/bench_html.ts";
import { runDeno } from "./guest_io.ts";

const ROOT = new URL("../", import.meta.url);
const TASK = new URL("tasks/bench_html.ts", ROOT).pathname;

function committed(): BenchJson {
  return JSON.parse(
    Deno.readTextFileSync(new URL("bench/results/latest.json", ROOT).pathname),
  );
}

function tableRows(html: string, id: string): string[] {
  const t = html.slice(html.indexOf(`id="${id}"`));
  return t.slice(0, t.indexOf("</table>")).match(/<tr>.*?<\/tr>/gs) ?? [];
}

Deno.test("bench page: the committed results, every chart labelled and tabled, no script or fetch", () => {
  const json = committed();
  const html = renderBenchHtml(json);
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none';/);
  assert.doesNotMatch(html, /<script|\s(src|href)=|url\(/i);
  for (const id of ["mips-chart", "speedup-chart", "dispatch-chart"]) {
    assert.match(
      html,
      new RegExp(
        `<svg id="${id}"[^>]* role="img" aria-labelledby="${id}-title ${id}-desc"`,
      ),
    );
    assert.match(html, new RegExp(`<desc id="${id}-desc">[^<]{20,}</desc>`));
  }
  assert.equal(tableRows(html, "bench-table").length, 1 + json.guests.length);
  // The figures in the table are the JSON's: sort's switch speed-up.
  const sort = json.guests.find((g) => g.name === "sort")!;
  const s = sort.results["switch/unfused"].ms / sort.results["switch/fused"].ms;
  assert.match(
    tableRows(html, "bench-table")[1],
    new RegExp(`>${s.toFixed(2)}x<`),
  );
  // jit as a whole process against qemu: a series of its own, with its range.
  const ratios = json.guests.map((g) =>
    g.results["jit process"].ms / g.results.qemu.ms
  );
  assert.match(
    html,
    new RegExp(
      `jit, whole process: ${Math.min(...ratios).toFixed(1)}–${
        Math.max(...ratios).toFixed(1)
      }x of qemu-riscv32`,
    ),
  );
  assert.match(html, /No size sweep in these results/);
  assert.match(
    html,
    /Nothing: every guest and backend of the results is shown\./,
  );
});

Deno.test("bench page: takes new backends, goes without qemu, and caps guests and backends", () => {
  const json = committed();
  const known = backendsOf(json.guests);
  // The user builds' keys (user/switch/unfused) name no backend.
  assert.ok(json.guests.some((g) => g.results["user/switch/unfused"]));
  assert.deepEqual(known, ["switch", "call", "paste", "jit"]);
  for (const g of json.guests) {
    delete g.results.qemu;
    for (let k = 0; k < 10; k++) {
      g.results[`b${k}/unfused`] = g.results["switch/unfused"];
      g.results[`b${k}/fused`] = g.results["switch/fused"];
    }
  }
  // Every committed backend and every new one, switch, call and paste first.
  const all = backendsOf(json.guests);
  assert.deepEqual(all.slice(0, 3), ["switch", "call", "paste"]);
  assert.deepEqual(
    new Set(all),
    new Set([...known, ...Array.from({ length: 10 }, (_, k) => `b${k}`)]),
  );
  json.guests = Array.from({ length: 70 }, (_, k) => ({
    ...json.guests[k % json.guests.length],
    name: `g${k}`,
  }));
  const html = renderBenchHtml(json);
  assert.match(html, /Not measured: qemu-riscv32 was not installed/);
  assert.match(html, /<li>10 more guests\.<\/li>/);
  // The page shows 8 backends and names the rest.
  const extra = all.slice(8);
  assert.ok(extra.length > 0);
  assert.ok(
    html.includes(
      `<li>${extra.length} more backends: ${extra.join(", ")}.</li>`,
    ),
  );
  assert.equal(tableRows(html, "bench-table").length, 1 + 60);
  assert.ok(html.length < 400_000, `${html.length} bytes`);
});

Deno.test("bench page: a file that is not results is one line naming it", () => {
  assert.throws(
    () => checkBenchJson({ guests: [{ name: "x" }] }, "r.json"),
    /^Error: r\.json: guests\[0\] needs "name", "insns" and "results"$/,
  );
  assert.throws(
    () => checkBenchJson([], "r.json"),
    /r\.json: expected a JSON object with a "guests" array/,
  );
});

Deno.test("task bench-report: writes the page from the JSON alone; bad input is one line and no file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oplet-bench-report-" });
  try {
    await Deno.writeTextFile(`${dir}/r.json`, JSON.stringify(committed()));
    const ok = await runDeno(
      TASK,
      "--in",
      `${dir}/r.json`,
      "--out",
      `${dir}/p.html`,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      await Deno.readTextFile(`${dir}/p.html`),
      /oplet benchmark results/,
    );

    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    for (
      const [args, re] of [
        [["--in", `${dir}/bad.json`], /bad\.json: not JSON/],
        [
          ["--in", `${dir}/none.json`],
          /Cannot read bench results ".*none\.json": no such file/,
        ],
        [
          ["--in", `${dir}/r.json`, "--out", `${dir}/no/p.html`],
          /Cannot write HTML file ".*no\/p\.html"/,
        ],
        [["--bogus"], /--bogus/],
      ] as const
    ) {
      const r = await runDeno(TASK, ...args);
      assert.notEqual(r.code, 0);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], re);
    }
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      ["bad.json", "p.html", "r.json"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("task bench --sweep: measures switch with a generated set of each size and the page draws it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oplet-bench-sweep-" });
  try {
    const r = await runDeno(
      new URL("tasks/bench.ts", ROOT).pathname,
      "--quick",
      "--no-call",
      "--only",
      "bignum",
      "--sweep",
      "4,16",
      "--out",
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/latest.json`));
    assert.equal(json.sweep.length, 1);
    assert.equal(json.sweep[0].guest, "bignum");
    assert.deepEqual(
      json.sweep[0].points.map((p: { count: number }) => p.count),
      [4, 16],
    );
    const [p4, p16] = json.sweep[0].points;
    assert.ok(p16.perInsn < p4.perInsn, "a larger set dispatches fewer oplets");
    assert.ok(p4.mips > 0 && p16.mips > 0);
    // The sweep is not a backend of the results.
    assert.equal(
      Object.keys(json.guests[0].results).some((k) => k.startsWith("sweep")),
      false,
    );
    const html = await Deno.readTextFile(`${dir}/report.html`);
    assert.match(html, /<svg id="sweep-chart"/);
    assert.equal(tableRows(html, "sweep-table").length, 1 + 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
