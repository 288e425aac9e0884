// ns per operation of the softfloat module: the round-to-nearest-even fast
// path against the exact path (directed rounding), next to bare host
// arithmetic. Run: deno bench emu/targets/riscv32/softfloat_bench.ts
import * as sf from "./softfloat.ts";

const N = 1024;
const xs = new Float64Array(N),
  ys = new Float64Array(N),
  zs = new Float64Array(N);
const fs = new Float64Array(N),
  gs = new Float64Array(N),
  hs = new Float64Array(N);
let seed = 12345;
function rnd(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
  return (seed >>> 0) / 4294967296;
}
for (let i = 0; i < N; i++) {
  xs[i] = (rnd() - 0.5) * 2 ** (rnd() * 40 - 20);
  ys[i] = (rnd() - 0.5) * 2 ** (rnd() * 40 - 20);
  zs[i] = (rnd() - 0.5) * 2 ** (rnd() * 40 - 20);
  fs[i] = Math.fround(xs[i]);
  gs[i] = Math.fround(ys[i]);
  hs[i] = Math.fround(zs[i]);
}
const e = { fflags: 0 };
let sink = 0;

function bench2(
  name: string,
  group: string,
  f: (a: number, b: number) => number,
  s: boolean,
) {
  const a = s ? fs : xs, b = s ? gs : ys;
  Deno.bench(name, { group }, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += f(a[i], b[i]);
    sink += acc;
  });
}

bench2("host a + b", "add64", (a, b) => a + b, false);
bench2(
  "add64 RNE (fast path, NX already set)",
  "add64",
  (a, b) => sf.add64(e, a, b, sf.RNE, 0),
  false,
);
bench2(
  "add64 RNE (fast path, flags cleared: TwoSum)",
  "add64",
  (a, b) => {
    e.fflags = 0;
    return sf.add64(e, a, b, sf.RNE, 0);
  },
  false,
);
bench2(
  "add64 RTZ (exact path)",
  "add64",
  (a, b) => sf.add64(e, a, b, sf.RTZ, 0),
  false,
);
bench2("host a * b", "mul64", (a, b) => a * b, false);
bench2(
  "mul64 RNE (fast path, NX already set)",
  "mul64",
  (a, b) => sf.mul64(e, a, b, sf.RNE, 0),
  false,
);
bench2(
  "mul64 RNE (fast path, flags cleared: Dekker)",
  "mul64",
  (a, b) => {
    e.fflags = 0;
    return sf.mul64(e, a, b, sf.RNE, 0);
  },
  false,
);
bench2(
  "mul64 RUP (exact path)",
  "mul64",
  (a, b) => sf.mul64(e, a, b, sf.RUP, 0),
  false,
);
bench2("host a / b", "div64", (a, b) => a / b, false);
bench2(
  "div64 RNE (fast path, NX already set)",
  "div64",
  (a, b) => sf.div64(e, a, b, sf.RNE, 0),
  false,
);
bench2(
  "div64 RNE (fast path, flags cleared: residual)",
  "div64",
  (a, b) => {
    e.fflags = 0;
    return sf.div64(e, a, b, sf.RNE, 0);
  },
  false,
);
bench2(
  "div64 RDN (exact path)",
  "div64",
  (a, b) => sf.div64(e, a, b, sf.RDN, 0),
  false,
);
bench2(
  "sqrt64 RNE (fast path)",
  "sqrt64",
  (a) => sf.sqrt64(e, Math.abs(a), sf.RNE, 0),
  false,
);
bench2(
  "sqrt64 RTZ (exact path)",
  "sqrt64",
  (a) => sf.sqrt64(e, Math.abs(a), sf.RTZ, 0),
  false,
);
bench2(
  "add32 RNE (fast path)",
  "single",
  (a, b) => sf.add32(e, a, b, sf.RNE, 0),
  true,
);
bench2(
  "add32 RTZ (exact path)",
  "single",
  (a, b) => sf.add32(e, a, b, sf.RTZ, 0),
  true,
);
bench2(
  "mul32 RNE (fast path)",
  "single",
  (a, b) => sf.mul32(e, a, b, sf.RNE, 0),
  true,
);
bench2(
  "div32 RNE (fast path)",
  "single",
  (a, b) => sf.div32(e, a, b, sf.RNE, 0),
  true,
);
bench2("cvtW RTZ", "convert", (a) => sf.cvtW(e, a * 1000, sf.RTZ), false);
bench2(
  "cvtSD RNE (fast path)",
  "convert",
  (a) => sf.cvtSD(e, a, sf.RNE, 0),
  false,
);
Deno.bench("fma32 RNE (double + TwoSum path)", { group: "fma" }, () => {
  let acc = 0;
  for (let i = 0; i < N; i++) {
    acc += sf.fma32(e, fs[i], gs[i], hs[i], sf.RNE, 0);
  }
  sink += acc;
});
Deno.bench(
  "fma64 RNE (Dekker, TwoSum, round-to-odd path)",
  { group: "fma" },
  () => {
    let acc = 0;
    for (let i = 0; i < N; i++) {
      acc += sf.fma64(e, xs[i], ys[i], zs[i], sf.RNE, 0);
    }
    sink += acc;
  },
);
globalThis.addEventListener("unload", () => {
  if (sink === 42) console.log(sink);
});
