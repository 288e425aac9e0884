// Importing the packages costs no permission and no TypeScript compiler:
// @oplet/gen loads the compiler only when it generates.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

Deno.test("importing the root mod.ts, @oplet/gen or @oplet/analyze needs no env permission and loads no compiler", async () => {
  const script = `
    const mods = [
      await import("${ROOT}mod.ts"),
      await import("@oplet/gen"),
      await import("@oplet/analyze"),
    ];
    if (mods.some((m) => Object.keys(m).length === 0)) Deno.exit(3);
    console.log("ok");
  `;
  const dir = await Deno.makeTempDir({ prefix: "oplet-imports-" });
  let out;
  try {
    await Deno.writeTextFile(`${dir}/imports.ts`, script);
    // No --allow-env: the compiler reads TSC_* variables as it loads, which
    // would fail here.
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
