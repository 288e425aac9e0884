/**
 * The worker side of {@link ProfileThreadWriter} (`profile_thread.ts`):
 * a {@link ProfileWriter} on a thread of its own, so that encoding and
 * writing the profile run beside the guest instead of between its blocks.
 * It takes the messages of `profile_thread.ts` in order and answers each
 * batch once it is encoded (that answer is the backpressure).
 *
 * @module
 */

import { createProfileWriter, type ProfileWriter } from "./profile.ts";
import type { ProfileRequest, ProfileResponse } from "./profile_thread.ts";

/** The worker's global scope, as far as this module uses it. */
interface WorkerScope {
  postMessage(message: ProfileResponse, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ProfileRequest>) => void) | null;
}

// Typed here rather than with a `/// <reference lib="deno.worker" />`,
// which a published module may not carry (it would change its users'
// globals).
const scope = self as unknown as WorkerScope;

let writer: ProfileWriter | null = null;
let queue: Promise<void> = Promise.resolve();

function reply(r: ProfileResponse): void {
  scope.postMessage(r);
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
      scope.postMessage({ kind: "ok", ids: m.ids }, [
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

scope.onmessage = (e: MessageEvent<ProfileRequest>) => {
  const m = e.data;
  queue = queue.then(() => handle(m));
};
