// The HTML reports in a real browser: headless Chromium (Debian's
// `chromium`) loads the analyzer's report of the training profile and the
// bench page, with no console error, no request but the page itself, the key
// elements present, and a screenshot. Skips, saying so, where Chromium is
// missing. With OPLET_SCREENSHOTS=DIR it keeps the screenshots there (the
// README's docs/report.png comes from it).
import assert from "node:assert/strict";
import { findChromium, loadPages, type PageReport } from "./browser.ts";
import { runDeno } from "./guest_io.ts";
import type { BenchJson } from "../tasks/bench_html.ts";

const ROOT = new URL("../", import.meta.url);
const chromium = findChromium();
if (!chromium) {
  console.log(
    "report_browser_test: skipped, no Chromium (apt-get install chromium, or set CHROMIUM)",
  );
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function assertClean(r: PageReport, path: string): void {
  assert.deepEqual(r.errors, [], "console errors");
  const self = new URL(`file://${Deno.realPathSync(path)}`).href;
  assert.deepEqual(r.requests, [self], "requests other than the page");
  assert.deepEqual([...r.png.subarray(0, 8)], PNG);
  // Width and height from the IHDR chunk.
  const v = new DataView(r.png.buffer, r.png.byteOffset);
  assert.equal(v.getUint32(16), 1200);
  assert.ok(v.getUint32(20) >= 900);
}

async function keep(r: PageReport, name: string): Promise<void> {
  const dir = Deno.env.get("OPLET_SCREENSHOTS");
  if (dir) await Deno.writeFile(`${dir}/${name}`, r.png);
}

/** Writes the training profile's report into `dir`; returns its path. */
async function trainingReport(dir: string): Promise<string> {
  const prof = await runDeno(
    new URL("tasks/profile.ts", ROOT).pathname,
    "--out",
    `${dir}/qemu.profile`,
  );
  assert.equal(prof.code, 0, prof.stderr);
  // Run from the profile's folder, so that the page names it "qemu.profile".
  const an = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("analyze/mod.ts", ROOT).pathname,
      "-q",
      "--top",
      "1",
      "--html",
      "report.html",
      "qemu.profile",
    ],
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(an.code, 0, new TextDecoder().decode(an.stderr));
  return `${dir}/report.html`;
}

/** The committed bench results plus a made-up "jit" backend and a size sweep, as a page in `dir`. */
async function benchPage(
  dir: string,
): Promise<{ path: string; json: BenchJson }> {
  const json: BenchJson = JSON.parse(
    await Deno.readTextFile(
      new URL("bench/results/latest.json", ROOT).pathname,
    ),
  );
  for (const g of json.guests) {
    const s = g.results["paste/unfused"];
    g.results["jit/unfused"] = { ...s, ms: s.ms / 2, mips: s.mips * 2 };
    g.results["jit/fused"] = { ...s, ms: s.ms / 2, mips: s.mips * 2 };
  }
  json.sweep = [{
    guest: "graph",
    backend: "switch",
    points: [32, 64, 128, 256].map((count, k) => ({
      count,
      mips: 290 - 30 * k,
      perInsn: 1 - 0.05 * k,
    })),
  }];
  await Deno.writeTextFile(`${dir}/latest.json`, JSON.stringify(json));
  const w = await runDeno(
    new URL("tasks/bench_html.ts", ROOT).pathname,
    "--in",
    `${dir}/latest.json`,
  );
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stderr, /wrote .*report\.html/);
  return { path: `${dir}/report.html`, json };
}

const REPORT_CHECK = `(() => {
  const q = (s) => document.querySelectorAll(s).length;
  const box = (s) => {
    const e = document.querySelector(s);
    if (!e) return null;
    const b = e.getBoundingClientRect();
    return [Math.round(b.width), Math.round(b.height)];
  };
  return {
    title: document.title,
    curve: q("svg#coverage path"),
    curveTitle: document.querySelector("svg#coverage")?.getAttribute("aria-labelledby"),
    curveBox: box("svg#coverage"),
    treeBoxes: q("svg#seq-tree rect"),
    treeBox: box("svg#seq-tree"),
    hot: q("section.tb"),
    asm: q("section.tb table.asm"),
    fused: q("section.tb .fused"),
    runs: q("#runs-table tbody tr"),
    tables: q("table"),
    omitted: q("#omitted li"),
    cards: q("#summary .card"),
  };
})()`;

const BENCH_CHECK = `(() => {
  const text = (s) => document.querySelector(s)?.textContent ?? "";
  return {
    charts: [...document.querySelectorAll("svg[role=img]")].map((e) => e.id),
    mipsLegend: text("#mips-chart"),
    head: [...document.querySelectorAll("#bench-table th")].map((e) => e.textContent),
    rows: document.querySelectorAll("#bench-table tbody tr").length,
    sweepRows: document.querySelectorAll("#sweep-table tbody tr").length,
  };
})()`;

Deno.test({
  name:
    "browser: the training profile's report and the bench page load offline with their charts, tables and hot TBs",
  ignore: !chromium,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "oplet-report-" });
    try {
      const report = await trainingReport(dir);
      await Deno.mkdir(`${dir}/bench`);
      const bench = await benchPage(`${dir}/bench`);
      // A control page that logs an error and fetches: the checks see both.
      await Deno.writeTextFile(
        `${dir}/control.html`,
        `<!doctype html><title>control</title><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>`,
      );
      // One browser, a tab per page.
      const [r, b, c] = await loadPages(chromium!, [
        { path: report, width: 1200, height: 1400, check: REPORT_CHECK },
        { path: bench.path, check: BENCH_CHECK },
        { path: `${dir}/control.html` },
      ]);
      assert.ok(c.errors.includes("console.error: boom"), c.errors.join("; "));
      assert.ok(
        c.requests.includes("http://127.0.0.1:9/x.png"),
        c.requests.join("; "),
      );

      // The analyzer's report of the training profile.
      assertClean(r, report);
      const v = r.value as Record<string, unknown>;
      assert.equal(v.title, "oplet profile report");
      assert.ok((v.curve as number) >= 1, "the curve is drawn");
      assert.equal(v.curveTitle, "coverage-title coverage-desc");
      assert.ok((v.curveBox as number[])[0] > 500, "the curve has a width");
      assert.ok((v.treeBoxes as number) > 20, "the tree has boxes");
      assert.ok((v.treeBox as number[])[1] > 100, "the tree has a height");
      assert.equal(v.hot, 10);
      assert.equal(v.asm, 10, "every hot TB shows its guest code");
      assert.ok((v.fused as number) > 0);
      const training = (JSON.parse(
        await Deno.readTextFile(
          new URL("./guests/guests.json", import.meta.url),
        ),
      ) as { set: string }[]).filter((g) => g.set === "train").length;
      assert.equal(v.runs, training, "one row per training run");
      assert.ok((v.tables as number) >= 3);
      assert.ok((v.omitted as number) >= 1);
      assert.equal(v.cards, 6);
      await keep(r, "report.png");

      // The bench page, with a backend it has never seen.
      assertClean(b, bench.path);
      const w = b.value as {
        charts: string[];
        mipsLegend: string;
        head: string[];
        rows: number;
        sweepRows: number;
      };
      assert.deepEqual(w.charts, [
        "mips-chart",
        "speedup-chart",
        ...(bench.json.guests[0].results.qemu ? ["qemu-chart"] : []),
        "dispatch-chart",
        "sweep-chart",
      ]);
      assert.match(w.mipsLegend, /jit unfused/);
      assert.ok(w.head.includes("jit speed-up"), w.head.join(","));
      assert.equal(w.rows, bench.json.guests.length);
      assert.equal(w.sweepRows, 4);
      await keep(b, "bench.png");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
