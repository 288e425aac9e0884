import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { OP_HELPERS, OPLETS, opletTableHash, OPS_SOURCE_URL } from "@oplet/emu";
import { GenError } from "./gen_error.ts";
import { indexOplets, readSourceTable } from "./oplet_index.ts";
import { loadOpletSource } from "./oplet_source.ts";

const HEAD = `import { EXIT_GOTO0, helperFn } from "./helpers.ts";
interface Cpu { x: Int32Array; t0: number; t1: number; pc: number }
const K = 3;
`;

/** Indexes a one-oplet source whose oplet `a` has `params` and `body`. */
function indexOne(body: string, params = 1, exit = false) {
  const text =
    `${HEAD}export function op_a(s: Cpu, c: Int32Array, i: number): number {
${body}
}
`;
  const src = loadOpletSource("/nonexistent/ops.ts", text);
  return indexOplets(src, [{ name: "a", params, exit }], {
    helpers: ["EXIT_GOTO0", "helperFn"],
  });
}

/** Asserts that indexing fails with a message naming oplet "a", line 4 + `line`. */
function refuses(
  body: string,
  pattern: RegExp,
  line: number,
  params = 1,
  exit = false,
) {
  assert.throws(
    () => indexOne(body, params, exit),
    (e: unknown) => {
      assert.ok(e instanceof GenError, String(e));
      assert.match(e.message, pattern);
      assert.ok(
        e.message.startsWith(`Oplet "a" (ops.ts:${4 + line}) `),
        e.message,
      );
      assert.ok(!e.message.includes("\n"));
      return true;
    },
  );
}

Deno.test("the emulator's oplets follow the conventions", () => {
  const src = loadOpletSource(fileURLToPath(OPS_SOURCE_URL));
  const index = indexOplets(src, OPLETS, { helpers: Object.keys(OP_HELPERS) });
  assert.equal(index.oplets.length, OPLETS.length);
  const ld32 = index.oplets.find((o) => o.name === "ld32")!;
  assert.deepEqual([...ld32.helpers].sort(), ["MEM_LOW", "loadSlow"]);
  assert.deepEqual([...ld32.locals.values()], ["a"]);
  assert.ok(ld32.stateFields.has("m32"));
  assert.deepEqual([...index.globals], ["Math"]);
  const own = readSourceTable(src);
  assert.ok(own);
  assert.equal(opletTableHash(own), opletTableHash(OPLETS));
});

Deno.test("a conforming oplet is indexed with its locals, helpers and fields", () => {
  const index = indexOne(`  const v = s.x[c[i + 1]];
  let w = v + K0();
  w = helperFn(s, w);
  s.t0 = w;
  return i + 2;`.replace("K0()", "1"));
  const a = index.oplets[0];
  assert.deepEqual([...a.locals.values()].sort(), ["v", "w"]);
  assert.deepEqual([...a.helpers], ["helperFn"]);
  assert.deepEqual([...a.stateFields].sort(), ["t0", "x"]);
});

Deno.test("oplets that break the conventions are refused with their name and line", () => {
  refuses(
    "  if (s.t0) return i + 2;\n  return i + 2;",
    /returns before its end; only an exit oplet may/,
    1,
  );
  refuses(
    "  s.t0 = c[i + 2];\n  return i + 2;",
    /reads "c\[i \+ 2\]", but it has 1 parameter$/,
    1,
  );
  refuses(
    "  s.t0 = c[i];\n  return i + 2;",
    /reads "c\[i\]", but it has 1 parameter/,
    1,
  );
  refuses(
    "  s.t0 = c[i * 2];\n  return i + 2;",
    /parameters are read as c\[i \+ N\]/,
    1,
  );
  refuses("  c[i + 1] = 0;\n  return i + 2;", /writes to its code array/, 1);
  refuses(
    "  s.t0 = K;\n  return i + 2;",
    /uses "K", which is declared outside the oplet/,
    1,
  );
  refuses("  s.t0 = 1;\n  return i + 3;", /must end with "return i \+ 2;"/, 2);
  refuses("  s.t0 = 1;\n  return 2 + i;", /must end with "return i \+ 2;"/, 2);
  refuses(
    "  const f = () => 1;\n  s.t0 = f();\n  return i + 2;",
    /declares a nested function or class/,
    1,
  );
  refuses(
    "  const t = s;\n  t.t0 = 1;\n  return i + 2;",
    /uses s other than as s.NAME or a helper's argument/,
    1,
  );
  refuses(
    "  s.t0 = i;\n  return i + 2;",
    /uses i other than in c\[i \+ N\] or return i \+ N/,
    1,
  );
  refuses('  s["t0"] = 1;\n  return i + 2;', /reads s with brackets/, 1);
  refuses("  s.t0 = 1;", /does not end with a return statement/, 1);
  refuses(
    "  s.t0 = undefinedName;\n  return i + 2;",
    /uses "undefinedName", which does not resolve/,
    1,
  );
  refuses(
    "  s.pc = c[i + 1];\n  return (s.t0 = 1, EXIT_GOTO0);",
    /assigns inside its return expression/,
    2,
    1,
    true,
  );
  refuses(
    "  s.pc = c[i + 1];\n  return i + 3;",
    /returns "i \+ 3"; expected i \+ 2/,
    2,
    1,
    true,
  );
  refuses("  const v: Cpu = s;\n  return i + 2;", /names the type "Cpu"/, 1);
  refuses(
    "  s.t0 = EXIT_GOTO0;\n  EXIT_GOTO0 = 1;\n  return i + 2;",
    /assigns to the helper "EXIT_GOTO0"/,
    2,
  );
  refuses("  s.t0 = this.x;\n  return i + 2;", /uses "this"/, 1);
});

Deno.test("helpers must be ones the emulator passes", () => {
  const text =
    `${HEAD}export function op_a(s: Cpu, c: Int32Array, i: number): number {
  s.t0 = helperFn(s, 1);
  return i + 1;
}
`;
  const src = loadOpletSource("/nonexistent/ops.ts", text);
  assert.throws(
    () =>
      indexOplets(src, [{ name: "a", params: 0, exit: false }], {
        helpers: [],
      }),
    /Oplet "a" \(ops.ts:5\) uses "helperFn", which is not one of the helpers fused oplets get \(none\)/,
  );
});

Deno.test("a table oplet without a function, a bad signature or bad syntax is refused", () => {
  const src = loadOpletSource("/nonexistent/ops.ts", HEAD);
  assert.throws(
    () =>
      indexOplets(src, [{ name: "b", params: 0, exit: false }], {
        helpers: [],
      }),
    /Oplet "b" has no function op_b in ops.ts/,
  );
  const bad = loadOpletSource(
    "/nonexistent/ops.ts",
    `${HEAD}export function op_a(st: Cpu, c: Int32Array, i: number): number {\n  return i + 1;\n}\n`,
  );
  assert.throws(
    () =>
      indexOplets(bad, [{ name: "a", params: 0, exit: false }], {
        helpers: [],
      }),
    /Oplet "a" \(ops.ts:4\) must take exactly the parameters \(s, c, i\)/,
  );
  assert.throws(
    () => loadOpletSource("/nonexistent/ops.ts", "export function op_a( {"),
    /^GenError: Oplet source ops.ts:1 does not parse: /,
  );
  assert.throws(
    () => loadOpletSource("/nonexistent/ops.ts"),
    /Cannot read the oplet source "\/nonexistent\/ops.ts": /,
  );
});
