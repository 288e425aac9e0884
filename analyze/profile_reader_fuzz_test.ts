// Fuzzing the profile reader with mutated profiles: whatever the bytes, it
// yields records and ends (possibly with a "truncated" record) or throws a
// ProfileFormatError with a one-line message; never another exception, never
// a hang.
import assert from "node:assert/strict";
import { ProfileFormatError, readProfile } from "@oplet/emu";
import { profileBytes, rng, syntheticRuns } from "./synthetic.ts";

function stream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(ctl) {
      for (let at = 0; at < bytes.length; at += 977) {
        ctl.enqueue(bytes.slice(at, at + 977));
      }
      ctl.close();
    },
  });
}

/** Reads `bytes` to the end; returns how it ended. */
async function consume(bytes: Uint8Array): Promise<string> {
  let last = "none";
  try {
    for await (const r of readProfile(stream(bytes), "fuzz.profile")) {
      last = r.kind;
    }
    return last;
  } catch (e) {
    if (e instanceof ProfileFormatError) {
      assert.doesNotMatch(e.message, /\n/, "one line");
      assert.match(e.message, /fuzz\.profile/, "names the file");
      return "error";
    }
    throw e;
  }
}

for (const gzip of [false, true]) {
  Deno.test(`mutated ${gzip ? "gzip " : ""}profiles end cleanly, truncated, or with a ProfileFormatError`, async () => {
    const runs = syntheticRuns({ runs: 2, tbs: 40, executions: 3000, seed: 7 });
    const good = await profileBytes(runs, { gzip });
    const rand = rng(gzip ? 99 : 42);
    const endings = new Map<string, number>();
    for (let trial = 0; trial < 300; trial++) {
      const bytes = good.slice();
      const kind = trial % 3;
      if (kind === 0) { // flip a few random bytes
        for (let k = 0; k < 1 + (trial % 4); k++) {
          bytes[Math.floor(rand() * bytes.length)] ^= 1 +
            Math.floor(rand() * 255);
        }
      } else if (kind === 1) { // overwrite a run of bytes with 0xff (huge varints)
        const at = Math.floor(rand() * bytes.length);
        bytes.fill(0xff, at, at + 1 + Math.floor(rand() * 12));
      } else { // splice in random bytes
        const at = Math.floor(rand() * bytes.length);
        for (let k = at; k < Math.min(bytes.length, at + 16); k++) {
          bytes[k] = Math.floor(rand() * 256);
        }
      }
      const how = await consume(bytes);
      endings.set(how, (endings.get(how) ?? 0) + 1);
    }
    // The mutations must actually be noticed some of the time.
    assert.ok(
      (endings.get("error") ?? 0) + (endings.get("truncated") ?? 0) > 0,
      JSON.stringify([...endings]),
    );
  });
}
