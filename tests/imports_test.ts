// Importing the packages costs no permission, and generating needs none
// but read: @oplet/gen reads oplets with @oplet/emu's own reader.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

Deno.test("importing the root mod.ts, @oplet/gen or @oplet/analyze, and generating, need no env permission", async () => {
  const script = `
    const mods = [
      await import("${ROOT}mod.ts"),
      await import("@oplet/gen"),
      await import("@oplet/analyze"),
    ];
    if (mods.some((m) => Object.keys(m).length === 0)) Deno.exit(3);
    const emu = mods[0];
    const r = await mods[1].generateFromAnalysis({
      analysis: {
        version: 1,
        target: emu.TARGET_NAME,
        opletHash: emu.opletTableHash(emu.OPLETS),
        sequences: [{ ops: ["mov_T0_r", "addi"].map(emu.opNumber) }],
      },
      input: "a.json",
      write: false,
      format: false,
    });
    if (!r.opSeq.includes("function op_seq0(")) Deno.exit(4);
    console.log("ok");
  `;
  const dir = await Deno.makeTempDir({ prefix: "oplet-imports-" });
  let out;
  try {
    await Deno.writeTextFile(`${dir}/imports.ts`, script);
    // No --allow-env, no --allow-run (the output is not formatted).
    out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        `--config=${ROOT}deno.json`,
        "--allow-read",
        `${dir}/imports.ts`,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const err = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, err);
  assert.equal(new TextDecoder().decode(out.stdout), "ok\n");
});
