import assert from "node:assert/strict";
import { OPLETS } from "./targets/riscv32/ops.ts";
import {
  type Expr,
  parseOplet,
  printExpr,
  printStmts,
  stateFieldsOf,
} from "./oplet_source.ts";
import { readOplet } from "./oplet_rules.ts";

/** `e` without the parentheses its source wrote (as a built tree has none). */
function bare(e: Expr): Expr {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === "paren") continue;
    out[k] = Array.isArray(v)
      ? v.map(bare)
      : v && typeof v === "object"
      ? bare(v as Expr)
      : v;
  }
  return out as Expr;
}

const reparse = (text: string) =>
  parseOplet(`function f(s, c, i) {\n${text}\n}`, "f").body;

Deno.test("the minimal style prints every oplet so that it reads back as the same tree", () => {
  for (const o of OPLETS) {
    const body = parseOplet(o.fn.toString(), o.name).body;
    const text = printStmts(body, {}, "minimal");
    assert.equal(printStmts(reparse(text)), printStmts(body), o.name);
  }
});

Deno.test("the minimal style adds the parentheses the grammar needs, and keeps the source's", () => {
  const cases: [string, string][] = [
    ["a - (b - c)", "a - (b - c)"],
    ["(a - b) - c", "a - b - c"],
    ["a * (b + c)", "a * (b + c)"],
    ["(a + b) | 0", "(a + b) | 0"],
    ["((a - b) >>> 0) < c", "((a - b) >>> 0) < c"],
    ["(a & 3) === 0 && b < c", "(a & 3) === 0 && b < c"],
    ["-(-a)", "-(-a)"],
    ["+(+a)", "+(+a)"],
    ["-(a ** b)", "-(a ** b)"],
    ["(-a) ** b", "(-a) ** b"],
    ["a ** (b ** c)", "a ** b ** c"],
    ["(a ** b) ** c", "(a ** b) ** c"],
    ["a ?? (b || c)", "a ?? (b || c)"],
    ["(a && b) ?? c", "(a && b) ?? c"],
    ["(a ? b : c) ? d : e", "(a ? b : c) ? d : e"],
    ["a ? b : c ? d : e", "a ? b : c ? d : e"],
    ["x = y = 1", "x = y = 1"],
    ["(a + b).c", "(a + b).c"],
    ["new (g())()", "new (g())()"],
    ["0xff + 1000", "0xff + 1000"],
  ];
  for (const [src, want] of cases) {
    const [st] = reparse(`${src};`);
    assert.ok(st.k === "expr");
    assert.equal(printExpr(st.e, {}, "minimal"), src, src);
    const text = printExpr(bare(st.e), {}, "minimal");
    assert.equal(text, want, src);
    const [back] = reparse(`${text};`);
    assert.ok(back.k === "expr");
    assert.equal(printExpr(back.e), printExpr(st.e), src);
  }
});

Deno.test("stateFieldsOf finds the fields an oplet reads and writes, as the reader does", () => {
  for (const o of OPLETS) {
    const r = readOplet(o);
    const want = new Set([...r.reads, ...r.writes]);
    const got = stateFieldsOf(o.fn.toString());
    assert.equal(new Set(got).size, got.length, o.name);
    assert.deepEqual(new Set(got), want, o.name);
  }
  const src = `function f(s, c, i) {
    // s.comment
    /* s.block */
    const a = "s.str\\\\" + 's.q' + \`s.tpl\`;
    s . spaced = x.s.notState + s.b[s.c] + t.s + s.b;
    return i + 1;
  }`;
  assert.deepEqual(stateFieldsOf(src), ["spaced", "b", "c"]);
});
