import assert from "node:assert/strict";
import { startRegistry, untar } from "./jsr_server.ts";

/** A ustar archive of `files` (names up to 100 bytes), as `deno publish` sends it. */
function tar(files: Record<string, string>): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = enc.encode(text);
    const h = new Uint8Array(512);
    h.set(enc.encode(name), 0);
    h.set(enc.encode(body.length.toString(8).padStart(11, "0")), 124);
    h[156] = 0x30; // a regular file
    h.set(enc.encode("ustar\0"), 257);
    parts.push(h, body, new Uint8Array((512 - body.length % 512) % 512));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), o += p.length;
  return out;
}

Deno.test("untar reads the regular files of an archive by their package paths", () => {
  const files = untar(tar({ "./deno.json": "{}", "./a/b.ts": "export {};\n" }));
  assert.deepEqual([...files.keys()], ["/deno.json", "/a/b.ts"]);
  assert.equal(new TextDecoder().decode(files.get("/a/b.ts")), "export {};\n");
});

Deno.test("the registry takes a publish with the token only, serves it, and stops at its request limit", async () => {
  const reg = startRegistry({ token: "t", maxRequests: 6, timeoutMs: 60_000 });
  try {
    const body = tar({
      "./deno.json": JSON.stringify({ exports: "./mod.ts" }),
      "./mod.ts": "export const A = 1;\n",
    });
    const publish = (token: string) =>
      fetch(
        `${reg.url}api/scopes/x/packages/y/versions/1.0.0?config=/deno.json`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: body as Uint8Array<ArrayBuffer>,
        },
      );
    const refused = await publish("wrong");
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
    const ok = await publish("t");
    assert.deepEqual(await ok.json(), { id: "@x/y@1.0.0", status: "success" });
    const meta = await (await fetch(`${reg.url}@x/y/meta.json`)).json();
    assert.deepEqual(meta.versions, { "1.0.0": {} });
    const v = await (await fetch(`${reg.url}@x/y/1.0.0_meta.json`)).json();
    assert.deepEqual(v.exports, { ".": "./mod.ts" });
    assert.match(v.manifest["/mod.ts"].checksum, /^sha256-[0-9a-f]{64}$/);
    const file = await fetch(`${reg.url}@x/y/1.0.0/mod.ts`);
    assert.equal(await file.text(), "export const A = 1;\n");
    // The sixth request is the last answered; the seventh is refused and
    // the server stops by itself.
    const sixth = await fetch(`${reg.url}@x/y/meta.json`);
    assert.equal(sixth.status, 200);
    await sixth.body?.cancel();
    const seventh = await fetch(`${reg.url}@x/y/meta.json`);
    assert.equal(seventh.status, 503);
    await seventh.body?.cancel();
    await reg.close();
    await assert.rejects(fetch(`${reg.url}@x/y/meta.json`));
  } finally {
    await reg.close();
  }
});
