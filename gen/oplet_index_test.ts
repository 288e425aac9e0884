import assert from "node:assert/strict";
import { OP_HELPERS, type OpletDef, OPLETS } from "@oplet/emu";
import { GenError } from "./gen_error.ts";
import { indexOplets } from "./oplet_index.ts";

/** An oplet `a` whose function is `body` in `function op_a(s, c, i)` (JavaScript). */
function oplet(body: string, params = 1, exit = false, head = "s, c, i") {
  const fn = new Function(`return function op_a(${head}) {\n${body}\n}`)();
  return { name: "a", fn, params, exit } as OpletDef<unknown>;
}

/** Indexes a one-oplet table whose oplet `a` has `params` and `body`. */
function indexOne(body: string, params = 1, exit = false) {
  return indexOplets([oplet(body, params, exit)], [{
    name: "a",
    params,
    exit,
  }], { helpers: ["EXIT_GOTO0", "helperFn"] });
}

/** Asserts that indexing fails with one line naming oplet "a". */
function refuses(body: string, pattern: RegExp, params = 1, exit = false) {
  assert.throws(
    () => indexOne(body, params, exit),
    (e: unknown) => {
      assert.ok(e instanceof GenError, String(e));
      assert.match(e.message, pattern);
      assert.ok(e.message.startsWith(`Oplet "a" `), e.message);
      assert.ok(!e.message.includes("\n"));
      return true;
    },
  );
}

Deno.test("the emulator's oplets follow the conventions", () => {
  const index = indexOplets(OPLETS, OPLETS, {
    helpers: Object.keys(OP_HELPERS),
  });
  assert.equal(index.oplets.length, OPLETS.length);
  const ld32 = index.oplets.find((o) => o.name === "ld32")!;
  assert.deepEqual([...ld32.helpers].sort(), ["MEM_LOW", "loadSlow"]);
  assert.deepEqual([...ld32.locals], ["a"]);
  assert.ok(ld32.stateFields.has("m32"));
  assert.deepEqual([...index.globals], ["Math"]);
});

Deno.test("a conforming oplet is indexed with its locals, helpers and fields", () => {
  const index = indexOne(`  const v = s.x[c[i + 1]];
  let w = v + 1;
  if (w) {
    const u = 2;
    w = helperFn(s, w + u);
  }
  s.t0 = Math.abs(w);
  return i + 2;`);
  const a = index.oplets[0];
  assert.deepEqual([...a.locals].sort(), ["u", "v", "w"]);
  assert.deepEqual([...a.helpers], ["helperFn"]);
  assert.deepEqual([...a.stateFields].sort(), ["t0", "x"]);
  assert.deepEqual([...index.globals], ["Math"]);
});

Deno.test("oplets that break the conventions are refused with their name", () => {
  refuses(
    "  if (s.t0) return i + 2;\n  return i + 2;",
    /returns before its end; only an exit oplet may/,
  );
  refuses(
    "  s.t0 = c[i + 2];\n  return i + 2;",
    /reads parameter c\[i \+ 2\] but has 1$/,
  );
  refuses(
    "  s.t0 = c[i];\n  return i + 2;",
    /uses "c" other than as "c\[i \+ N\]"/,
  );
  refuses(
    "  s.t0 = c[i * 2];\n  return i + 2;",
    /uses "c" other than as "c\[i \+ N\]"/,
  );
  refuses(
    "  c[i + 1] = 0;\n  return i + 2;",
    /writes its parameter c\[i \+ 1\]/,
  );
  refuses(
    "  s.t0 = K;\n  return i + 2;",
    /uses "K", which is not one of the helpers fused oplets get \(EXIT_GOTO0, helperFn\)/,
  );
  refuses("  s.t0 = 1;\n  return i + 3;", /does not end with "return i \+ 2;"/);
  refuses(
    "  const f = () => 1;\n  s.t0 = f();\n  return i + 2;",
    /at offset \d+: expected /,
  );
  refuses(
    "  const t = s;\n  t.t0 = 1;\n  return i + 2;",
    /uses "s" other than as "s.FIELD" or a helper's argument/,
  );
  refuses(
    "  s.t0 = i;\n  return i + 2;",
    /uses "i" other than as "c\[i \+ N\]" or "return i \+ N"/,
  );
  refuses("  s.t0 = 1;", /does not end with "return i \+ 2;"/);
  refuses(
    "  s.pc = c[i + 1];\n  return s.t0 = EXIT_GOTO0;",
    /assigns inside its return expression/,
    1,
    true,
  );
  refuses(
    "  s.pc = c[i + 1];\n  return i + 3;",
    /returns "i \+ 3"; expected "i \+ 2"/,
    1,
    true,
  );
  refuses(
    "  s.t0 = EXIT_GOTO0;\n  EXIT_GOTO0 = 1;\n  return i + 2;",
    /assigns to "EXIT_GOTO0", which is not its own local/,
  );
  refuses(
    "  const helperFn = 1;\n  s.t0 = helperFn;\n  return i + 2;",
    /declares "helperFn", the name of a helper or global/,
  );
  refuses(
    "  s.t0 = this.x;\n  return i + 2;",
    /at offset \d+: expected an expression/,
  );
});

Deno.test("helpers must be ones the emulator passes", () => {
  assert.throws(
    () =>
      indexOplets([oplet("  s.t0 = helperFn(s, 1);\n  return i + 1;", 0)], [{
        name: "a",
        params: 0,
        exit: false,
      }], { helpers: [] }),
    /^GenError: Oplet "a" uses "helperFn", which is not one of the helpers fused oplets get \(none\)$/,
  );
});

Deno.test("a table oplet without a function or with a bad signature is refused", () => {
  assert.throws(
    () =>
      indexOplets([oplet("  return i + 1;", 0)], [{
        name: "b",
        params: 0,
        exit: false,
      }], { helpers: [], sourceName: "ops.ts" }),
    /Oplet "b" has no function op_b in ops.ts/,
  );
  assert.throws(
    () =>
      indexOplets([oplet("  return i + 1;", 0, false, "st, c, i")], [{
        name: "a",
        params: 0,
        exit: false,
      }], { helpers: [] }),
    /Oplet "a" does not start as "function op_NAME\(s, c, i\) \{"/,
  );
});
