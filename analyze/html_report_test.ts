import assert from "node:assert/strict";
import { opletInfo, OPLETS } from "@oplet/emu";
import { analyzeProfiles } from "./analyze.ts";
import { fusedDispatches, htmlReport, seqTable } from "./html_report.ts";
import { profileBytes, syntheticRuns } from "./synthetic.ts";

const ROOT = new URL("../", import.meta.url);
const MOD = new URL("./mod.ts", import.meta.url).pathname;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "oplet-html-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function cli(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "-q", ...args],
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

/** Asserts what every report page must be: self-contained, no script, labelled charts. */
function assertSelfContained(html: string): void {
  assert.match(html, /^<!doctype html>/);
  assert.match(
    html,
    /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/,
  );
  assert.doesNotMatch(html, /<script|<link|<iframe|<img|@import|url\(/i);
  assert.doesNotMatch(html, /\s(src|href)=/i);
  // The only URL is the SVG namespace.
  const urls = html.match(/https?:\/\/[^\s"'<]+/g) ?? [];
  assert.deepEqual(
    [...new Set(urls)],
    urls.length ? ["http://www.w3.org/2000/svg"] : [],
  );
  const svgs = html.match(/<svg [^>]*>/g) ?? [];
  assert.ok(svgs.length >= 2, "charts");
  for (const tag of svgs) {
    const id = tag.match(/ id="([^"]+)"/)?.[1];
    assert.ok(id, tag);
    assert.match(tag, / role="img"/);
    assert.match(tag, new RegExp(`aria-labelledby="${id}-title ${id}-desc"`));
    assert.match(html, new RegExp(`<title id="${id}-title">[^<]+</title>`));
    assert.match(html, new RegExp(`<desc id="${id}-desc">[^<]+</desc>`));
  }
}

Deno.test("html report: curve, tree, hot TBs and runs, each chart with a text alternative and a table", async () => {
  await withDir(async (dir) => {
    const runs = syntheticRuns({
      seed: 3,
      runs: 2,
      tbs: 60,
      executions: 20_000,
    });
    await Deno.writeFile(`${dir}/a.profile`, await profileBytes(runs));
    const a = await analyzeProfiles([`${dir}/a.profile`], { count: 40 });
    const html = await htmlReport(a, { chosen: 8 });
    assertSelfContained(html);
    for (
      const id of [
        "coverage",
        "coverage-table",
        "seq-tree",
        "sequence-table",
        "runs-chart",
        "runs-table",
        "omitted",
        "tb-1",
      ]
    ) {
      assert.match(html, new RegExp(` id="${id}"`), id);
    }
    assert.match(html, /8 chosen: [\d.]+%/);
    // Two runs, one row each.
    const runsTable = html.slice(html.indexOf(`id="runs-table"`));
    assert.equal(
      (runsTable.slice(0, runsTable.indexOf("</table>")).match(/<tr>/g) ?? [])
        .length,
      1 + 2,
    );
    // The synthetic guests have no ELF: the page says so instead of code.
    assert.match(
      html,
      /No guest code: cannot read the guest ELF &quot;synthetic0\.elf&quot;: no such file \(--elf names it\)\./,
    );
    // The fused column of the hottest block names chosen sequences by rank.
    assert.match(html, /<span class="fused">#\d+ /);
  });
});

Deno.test("html report: the chosen set saves what the ranking says, and the runs add up to the table", async () => {
  await withDir(async (dir) => {
    const runs = syntheticRuns({
      seed: 5,
      runs: 3,
      tbs: 70,
      executions: 30_000,
    });
    await Deno.writeFile(`${dir}/a.profile`, await profileBytes(runs));
    const a = await analyzeProfiles([`${dir}/a.profile`], { count: 60 });
    const { table, ranking } = a;
    assert.ok(ranking.sequences.length > 10);
    for (const n of [0, 1, 5, 10, ranking.sequences.length]) {
      const chosen = ranking.sequences.slice(0, n);
      const { total } = fusedDispatches(
        table,
        seqTable(chosen.map((s) => s.ops)),
      );
      assert.equal(
        ranking.totalDispatches - total,
        chosen.reduce((x, s) => x + s.saved, 0),
        `first ${n}`,
      );
    }
    assert.equal(table.runStats.length, 3);
    let execs = 0, dispatches = 0, tbs = 0;
    for (const st of table.runStats) {
      execs += st.executions;
      tbs += st.tbs;
      st.shapes.forEach((
        s,
        j,
      ) => (dispatches += st.counts[j] * table.length[s]));
    }
    assert.equal(execs, table.executions);
    assert.equal(tbs, table.tbDefs);
    assert.equal(dispatches, ranking.totalDispatches);
  });
});

Deno.test("html report: its size is bounded, it says what it left out, and it escapes names", async () => {
  // An oplet table with long names that are HTML, to check escaping and clipping.
  const oplets = opletInfo(OPLETS).map((o, k) =>
    k === 1 ? { ...o, name: `<script>alert("x")</script>${"y".repeat(60)}` } : o
  );
  await withDir(async (dir) => {
    const small = syntheticRuns({
      seed: 7,
      runs: 1,
      tbs: 30,
      executions: 5_000,
      oplets,
    });
    const large = syntheticRuns({
      seed: 8,
      runs: 80,
      tbs: 40,
      executions: 500,
      oplets,
    });
    await Deno.writeFile(
      `${dir}/s.profile`,
      await profileBytes(small, { oplets }),
    );
    await Deno.writeFile(
      `${dir}/l.profile`,
      await profileBytes(large, { oplets }),
    );
    const s = await htmlReport(
      await analyzeProfiles([`${dir}/s.profile`], { count: 256 }),
    );
    const l = await htmlReport(
      await analyzeProfiles([`${dir}/l.profile`], { count: 1000 }),
      { curvePoints: 100, linesPerTb: 4 },
    );
    assertSelfContained(s);
    assertSelfContained(l);
    assert.ok(l.length < 400_000, `large report is ${l.length} bytes`);
    assert.match(l, /40 more runs are counted in the totals but not listed\./);
    assert.match(l, /The 10 hottest of \d+ executed TB shapes are shown/);
    assert.match(
      l,
      /The tree and its table show the top 32 of \d+ ranked sequences\./,
    );
    assert.match(
      l,
      /The coverage curve draws every 10th of the 1000 ranked sequences\./,
    );
    assert.match(l, /columns of the hottest blocks were cut at 4 lines\./);
    assert.match(l, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;y+…/);
    assert.match(s, /Nothing: every run, sequence and block fits\.|hottest of/);
  });
});

Deno.test("cli --html: a training guest's report shows its guest code; a bad path is one line and leaves no file", async () => {
  await withDir(async (dir) => {
    const elf = new URL("tests/guests/bin/hash.elf", ROOT).pathname;
    const p = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("tasks/profile.ts", ROOT).pathname,
        "--out",
        `${dir}/h.profile`,
        elf,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(p.code, 0, new TextDecoder().decode(p.stderr));
    const r = await cli(
      "--top",
      "1",
      "--html",
      `${dir}/r.html`,
      `${dir}/h.profile`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const html = await Deno.readTextFile(`${dir}/r.html`);
    assertSelfContained(html);
    // Guest code: pc, word, disassembly; a symbol in a block heading.
    // Each instruction beside the oplets it gave.
    assert.match(
      html,
      /<table class="asm mono">.*?<tr><td>[0-9a-f]{8} {2}[0-9a-f]{8} {2}[a-z]+[^<]*<\/td><td>mov_/s,
    );
    assert.match(
      html,
      /<h3>#1 <code>0x[0-9a-f]{8}<\/code> <code>[A-Za-z_]\w*(\+0x[0-9a-f]+)?<\/code>/,
    );
    assert.doesNotMatch(html, /No guest code/);
    // The oplets paired with the instructions are all the block's oplets.
    for (const t of html.match(/<table class="asm mono">.*?<\/table>/gs)!) {
      const n = Number(t.match(/oplets, unfused \((\d+)\)/)![1]);
      const cells = [
        ...t.matchAll(/<tr><td>[^<]*<\/td><td>(.*?)<\/td><\/tr>/g),
      ];
      assert.equal(
        cells.reduce((a, c) => a + (c[1] ? c[1].split("<br>").length : 0), 0),
        n,
      );
    }

    // --elf naming a file that is no ELF: the page says so, the report is still written.
    const noElf = await cli(
      "--elf",
      `${dir}/h.profile`,
      "--html",
      `${dir}/r.html`,
      `${dir}/h.profile`,
    );
    assert.equal(noElf.code, 0, noElf.stderr);
    assert.match(
      await Deno.readTextFile(`${dir}/r.html`),
      /No guest code: .*h\.profile.*\./,
    );

    const bad = await cli(
      "--html",
      `${dir}/missing/r.html`,
      `${dir}/h.profile`,
    );
    assert.equal(bad.code, 1);
    const lines = bad.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, bad.stderr);
    assert.match(lines[0], /Cannot write HTML file ".*missing\/r\.html"/);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      ["h.profile", "r.html"],
    );
  });
});
