/**
 * The worker side of {@link ProfileThreadWriter} (`profile_thread.ts`):
 * a {@link ProfileWriter} on a thread of its own, so that encoding and
 * writing the profile run beside the guest instead of between its blocks.
 * It takes the messages of `profile_thread.ts` in order and answers each
 * batch once it is encoded (that answer is the backpressure).
 *
 * @module
 */

/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />

import { createProfileWriter, type ProfileWriter } from "./profile.ts";
import type { ProfileRequest, ProfileResponse } from "./profile_thread.ts";

let writer: ProfileWriter | null = null;
let queue: Promise<void> = Promise.resolve();

function reply(r: ProfileResponse): void {
  self.postMessage(r);
}

async function handle(m: ProfileRequest): Promise<void> {
  try {
    if (m.kind === "open") {
      writer = await createProfileWriter(m.path, m.options);
      reply({ kind: "ok" });
      return;
    }
    const w = writer!;
    if (m.kind === "run") {
      w.beginRun(m.guest, m.argv);
    } else if (m.kind === "batch") {
      const d = m.defs;
      for (let k = 0; k < d.length;) {
        const n = d[k + 3];
        w.defineTb(d[k], d[k + 1], d[k + 2], d.slice(k + 4, k + 4 + n));
        k += 4 + n;
      }
      if (m.n > 0) await w.executions(m.ids, m.n);
      // The buffer goes back to be filled again.
      self.postMessage({ kind: "ok", ids: m.ids } as ProfileResponse, [
        m.ids.buffer,
      ]);
      return;
    } else if (m.kind === "close") {
      await w.close();
    } else {
      await w.abort();
    }
    reply({ kind: "ok", stats: m.kind === "close" ? w.stats : undefined });
  } catch (e) {
    reply({
      kind: "error",
      message: (e instanceof Error ? e.message : String(e)).split("\n")[0],
    });
  }
}

self.onmessage = (e: MessageEvent<ProfileRequest>) => {
  const m = e.data;
  queue = queue.then(() => handle(m));
};
