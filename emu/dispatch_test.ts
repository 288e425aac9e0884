// deno-lint-ignore-file no-unused-vars
import assert from "node:assert/strict";
import {
  callDispatcher,
  defineOplet,
  DispatchError,
  EXIT_GOTO0,
  EXIT_GOTO1,
  pasteCompiler,
  switchDispatcher,
} from "@oplet/emu";

interface S {
  t0: number;
  t1: number;
  x: Int32Array;
  pc: number;
}

function op_ld(s: S, c: Int32Array, i: number): number {
  s.t0 = s.x[c[i + 1]];
  return i + 2;
}
function op_addi(s: S, c: Int32Array, i: number): number {
  s.t0 = (s.t0 + c[i + 1]) | 0;
  return i + 2;
}
function op_mul(s: S, c: Int32Array, i: number): number {
  const k = c[i + 1];
  s.t1 = Math.imul(s.t0, k);
  s.t0 = s.t1 ^ k;
  return i + 2;
}
function op_st(s: S, c: Int32Array, i: number): number {
  s.x[c[i + 1]] = s.t0;
  return i + 2;
}
function op_br(s: S, c: Int32Array, i: number): number {
  if (s.t0 < 0) {
    s.pc = c[i + 1];
    return EXIT_GOTO0;
  }
  s.pc = c[i + 2];
  return EXIT_GOTO1;
}

const OPS = [
  defineOplet(op_ld, 1),
  defineOplet(op_addi, 1),
  defineOplet(op_mul, 1),
  defineOplet(op_st, 1),
  defineOplet(op_br, 2, true),
];
const HELPERS = { EXIT_GOTO0, EXIT_GOTO1 };

function state(seed: number): S {
  const x = new Int32Array(8);
  for (let k = 0; k < 8; k++) x[k] = Math.imul(seed + k, 0x9e3779b1);
  return { t0: 0, t1: 0, x, pc: 0 };
}

Deno.test("switch, call and paste run random blocks alike", () => {
  const sw = switchDispatcher(OPS, HELPERS, ["x"]);
  const call = callDispatcher(OPS.map((o) => o.fn));
  const paste = pasteCompiler(OPS, HELPERS, ["x"]);
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let trial = 0; trial < 200; trial++) {
    const code: number[] = [];
    for (let k = 0, n = 1 + rnd(12); k < n; k++) {
      const op = rnd(4);
      const p = op === 0 || op === 3 ? rnd(8) : rnd(2000) - 1000;
      code.push(op, p);
    }
    code.push(4, rnd(1 << 30) - (1 << 29), -rnd(100));
    const c = Int32Array.from(code);
    const results = [sw, call, paste(c, `t${trial}`)].map((run) => {
      const s = state(trial);
      const exit = run(s, c);
      return { exit, pc: s.pc, x: Array.from(s.x) };
    });
    assert.deepEqual(results[1], results[0], `call, trial ${trial}`);
    assert.deepEqual(results[2], results[0], `paste, trial ${trial}`);
  }
});

Deno.test("paste patches parameters in as constants, negative ones too", () => {
  const paste = pasteCompiler(OPS, HELPERS);
  const run = paste(new Int32Array([1, -7, 4, 11, 22]), "neg");
  assert.doesNotMatch(run.toString(), /c\[/);
  const s = state(0);
  s.t0 = 3;
  assert.equal(run(s, new Int32Array(0)), EXIT_GOTO0);
  assert.equal(s.pc, 11);
});

Deno.test("paste refuses oplets that read their code other than by parameter", () => {
  function op_peek(s: S, c: Int32Array, i: number): number {
    s.t0 = c[i];
    return i + 1;
  }
  function op_jump(s: S, c: Int32Array, i: number): number {
    s.t0 = i;
    return i + 1;
  }
  for (const [fn, name] of [[op_peek, "c"], [op_jump, "i"]] as const) {
    assert.throws(
      () => pasteCompiler([defineOplet(fn, 0)], {}),
      (e: Error) =>
        e instanceof DispatchError &&
        e.message ===
          `Oplet "${
            fn.name.slice(3)
          }" uses "${name}" other than as "c[i + N]" or "return i + N"`,
    );
  }
});

Deno.test("every backend reads c[(i + 1)] and c[1 + i] as a parameter, as gen does", () => {
  function op_paren(s: S, c: Int32Array, i: number): number {
    // deno-fmt-ignore
    s.t0 = c[(i + 1)] + c[1 + i] | 0;
    return i + 2;
  }
  const ops = [defineOplet(op_paren, 1), OPS[3], OPS[4]];
  const code = new Int32Array([0, 21, 1, 2, 2, 5, 6]);
  for (
    const run of [
      switchDispatcher(ops, HELPERS),
      callDispatcher(ops.map((o) => o.fn)),
      pasteCompiler(ops, HELPERS)(code, "paren"),
    ]
  ) {
    const s = state(0);
    assert.equal(run(s, code), EXIT_GOTO1);
    assert.equal(s.x[2], 42);
  }
});

Deno.test("dispatchers refuse an oplet that writes a hoisted field", () => {
  function op_grow(s: S, c: Int32Array, i: number): number {
    s.x = new Int32Array(c[i + 1]);
    return i + 2;
  }
  for (const build of [switchDispatcher, pasteCompiler]) {
    assert.throws(
      () => build([defineOplet(op_grow, 1)], {}, ["x"]),
      /^DispatchError: Oplet "grow" writes the hoisted field "s.x"$/,
    );
  }
});

Deno.test("dispatchers refuse an oplet that writes its parameter or a name not its own", () => {
  function op_patch(s: S, c: Int32Array, i: number): number {
    c[i + 1] = s.t0;
    return i + 2;
  }
  let counter = 0;
  function op_count(s: S, c: Int32Array, i: number): number {
    counter += c[i + 1];
    s.t0 = counter;
    return i + 2;
  }
  for (const build of [switchDispatcher, pasteCompiler]) {
    assert.throws(
      () => build([defineOplet(op_patch, 1)], {}),
      /^DispatchError: Oplet "patch" writes its parameter c\[i \+ 1\]$/,
    );
    assert.throws(
      () => build([defineOplet(op_count, 1)], {}),
      /^DispatchError: Oplet "count" assigns to "counter", which is not its own local$/,
    );
  }
});

Deno.test("dispatchers refuse a non-exit oplet that returns otherwise", () => {
  function op_early(s: S, c: Int32Array, i: number): number {
    if (s.t0 === 0) return -1;
    return i + 1;
  }
  assert.throws(
    () => switchDispatcher([defineOplet(op_early, 0)], {}),
    /^DispatchError: Oplet "early" returns other than "i \+ 1" but is not an exit oplet$/,
  );
});

Deno.test("dispatchers refuse oplets whose text is not in the pasted form", () => {
  const arrow = defineOplet(
    Object.defineProperty(
      (s: S, c: Int32Array, i: number) => i + 1,
      "name",
      { value: "op_arrow" },
    ),
    0,
  );
  for (const build of [switchDispatcher, pasteCompiler]) {
    assert.throws(
      () => build([arrow], {}),
      /^DispatchError: Oplet "arrow" does not start as "function op_NAME\(s, c, i\) \{"$/,
    );
    assert.throws(
      () => build(OPS, {}, ["x; evil"]),
      /^DispatchError: Field name "x; evil" cannot be hoisted$/,
    );
  }
});

Deno.test("paste names an unknown oplet and its index", () => {
  const paste = pasteCompiler(OPS, HELPERS);
  assert.throws(
    () => paste(new Int32Array([1, 5, 9]), "bad"),
    /^DispatchError: Unknown oplet 9 at index 2$/,
  );
});
