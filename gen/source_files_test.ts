import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { OPLETS, opletTableHash, opNumber, TARGET_NAME } from "@oplet/emu";
import { generateFromAnalysis } from "./generate.ts";
import { GenError } from "./gen_error.ts";
import { readSourceFiles, relativeImports } from "./source_files.ts";

const EMU_DIR = fileURLToPath(new URL("../emu/", import.meta.url));

/** Serves the emu package's files under /@oplet/emu/0.1.0/ on loopback, as a registry does. */
function serveEmu() {
  const ac = new AbortController();
  let requests = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: ac.signal,
    onListen() {},
  }, async (req) => {
    requests++;
    const path = new URL(req.url).pathname;
    const rel = path.match(/^\/@oplet\/emu\/0\.1\.0\/([a-z0-9_/]+\.ts)$/)?.[1];
    if (!rel) return new Response("not found", { status: 404 });
    try {
      return new Response(await Deno.readFile(EMU_DIR + rel));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}/@oplet/emu/0.1.0/`,
    requests: () => requests,
    async close() {
      ac.abort();
      await server.finished;
    },
  };
}

const ANALYSIS = {
  version: 1,
  target: TARGET_NAME,
  opletHash: opletTableHash(OPLETS),
  sequences: [
    { ops: ["mov_T0_r", "addi", "mov_r_T0"].map(opNumber) },
    { ops: ["mov_T0_r", "ld32", "mov_r_T0"].map(opNumber) },
  ],
};

Deno.test("relativeImports finds static imports and re-exports by relative path only", () => {
  const text = `import { a, type B } from "./a.ts";
import {
  c,
} from '../c.ts';
export * from "./d.ts";
import "./side.ts";
import x from "npm:typescript";
const y = await import("./dynamic.ts");
// from "./comment.ts" is not an import
`;
  assert.deepEqual(relativeImports(text), [
    "./a.ts",
    "../c.ts",
    "./d.ts",
    "./side.ts",
  ]);
});

Deno.test("gen reads the oplets' source from an https-style registry URL and generates the same code as from the file", async () => {
  const srv = serveEmu();
  try {
    const url = new URL("targets/riscv32/ops.ts", srv.base);
    const files = await readSourceFiles(url);
    assert.deepEqual([...files.files.keys()].sort(), [
      "/@oplet/emu/0.1.0/fault.ts",
      "/@oplet/emu/0.1.0/oplet.ts",
      "/@oplet/emu/0.1.0/targets/riscv32/cpu.ts",
      "/@oplet/emu/0.1.0/targets/riscv32/fpu.ts",
      "/@oplet/emu/0.1.0/targets/riscv32/ops.ts",
      "/@oplet/emu/0.1.0/targets/riscv32/softfloat.ts",
    ]);
    const opts = { analysis: ANALYSIS, input: "a.json", write: false };
    const remote = await generateFromAnalysis({ ...opts, source: url });
    // The same code; only the name of the source differs.
    const local = await generateFromAnalysis(opts);
    const name = (t: string, from: string) => t.replaceAll(from, "SOURCE");
    const localName = "emu/targets/riscv32/ops.ts";
    assert.equal(name(remote.opSeq, url.href), name(local.opSeq, localName));
    assert.equal(
      name(remote.translateSeq, url.href),
      name(local.translateSeq, localName),
    );
    assert.ok(remote.opSeq.includes(`oplets from ${url.href})`));

    // A module that is missing is one clear error naming it.
    await assert.rejects(
      readSourceFiles(new URL("targets/riscv32/nope.ts", srv.base)),
      (e: unknown) =>
        e instanceof GenError &&
        /^Cannot fetch the oplet source ".*nope\.ts": HTTP 404$/.test(
          e.message,
        ),
    );
  } finally {
    await srv.close();
  }
});
