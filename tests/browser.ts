/**
 * Loads a local HTML file in headless Chromium and reports what happened,
 * driving the browser with the Chrome DevTools Protocol over a WebSocket:
 * console errors and uncaught exceptions, every request the page made, the
 * value of a check evaluated in the page, and a PNG screenshot. For the
 * tests of the HTML reports (and the README's screenshot).
 *
 * @module
 */

/** Where Chromium is, or null: `$CHROMIUM`, else Debian's `chromium`. */
export function findChromium(): string | null {
  const candidates = [
    Deno.env.get("CHROMIUM"),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch {
      // not here
    }
  }
  return null;
}

/** Options for {@link loadPages}: one page. */
export interface LoadOptions {
  /** The local HTML file. */
  path: string;
  /** A JavaScript expression evaluated in the page once loaded; its value (JSON) is returned. */
  check?: string;
  /** Viewport width in CSS pixels (default 1200). */
  width?: number;
  /** Viewport height (default 900). */
  height?: number;
  /** Capture the whole page instead of the viewport. */
  fullPage?: boolean;
}

/** What {@link loadPages} saw on one page. */
export interface PageReport {
  /** Console messages of level error, uncaught exceptions and log errors (CSP violations among them). */
  errors: string[];
  /** The URL of every request the page made, the document's own included. */
  requests: string[];
  /** The value of `check`. */
  value: unknown;
  /** The screenshot, PNG bytes. */
  png: Uint8Array;
}

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
};

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-extensions",
  "--hide-scrollbars",
  "--remote-debugging-port=0",
];

/**
 * Starts a fresh headless Chromium with a temporary profile (removed
 * afterwards); opens each page (a local file) in a tab of its own, waits
 * for the load event, evaluates its `check` and takes a screenshot; closes
 * the browser. Gives up after `timeoutMs` in all (default 90 s).
 */
export async function loadPages(
  chromium: string,
  pages: readonly LoadOptions[],
  timeoutMs = 90000,
): Promise<PageReport[]> {
  // Its profile and its temporary files (TMPDIR) in one folder of ours.
  // Directly in /tmp, not in the tests' own temporary folder: Chromium makes
  // Unix sockets inside, and a long path passes their 108-byte limit (it then
  // dies before it listens). The folder is removed afterwards.
  const base = await Deno.makeTempDir({
    dir: "/tmp",
    prefix: "oplet-chromium-",
  });
  await Deno.mkdir(`${base}/tmp`);
  const child = new Deno.Command(chromium, {
    args: [...FLAGS, `--user-data-dir=${base}/profile`, "about:blank"],
    env: { TMPDIR: `${base}/tmp` },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Chromium did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const sockets: WebSocket[] = [];
  try {
    return await Promise.race([timeout, drive()]);
  } finally {
    clearTimeout(timer);
    for (const ws of sockets) {
      try {
        ws.close();
      } catch {
        // already closed
      }
    }
    // After Browser.close Chromium quits and cleans up after itself; kill
    // it only if it has not quit in a few seconds.
    if (!(await settles(child.status, 5000))) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.status;
    }
    await removeSoon(base);
  }

  async function drive(): Promise<PageReport[]> {
    const url = await devtoolsUrl(child.stderr);
    const socket = new WebSocket(url);
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error(`Cannot connect to ${url}`));
    });
    let next = 1;
    const pending = new Map<
      number,
      {
        resolve: (r: Record<string, unknown>) => void;
        reject: (e: Error) => void;
      }
    >();
    const listeners: ((m: Message) => void)[] = [];
    socket.onmessage = (ev) => {
      const m = JSON.parse(ev.data as string) as Message;
      if (m.id !== undefined) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error.message));
        else p?.resolve(m.result ?? {});
      } else {
        for (const l of listeners) l(m);
      }
    };
    const send = (
      method: string,
      params: Record<string, unknown> = {},
      sessionId?: string,
    ) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params, sessionId }));
      });

    const reports: PageReport[] = [];
    for (const page of pages) reports.push(await open(page));
    await send("Browser.close").catch(() => {});
    return reports;

    async function open(options: LoadOptions): Promise<PageReport> {
      const { targetId } = await send("Target.createTarget", {
        url: "about:blank",
      });
      const { sessionId } = await send("Target.attachToTarget", {
        targetId,
        flatten: true,
      }) as { sessionId: string };
      const errors: string[] = [];
      const requests: string[] = [];
      let loaded: () => void;
      const load = new Promise<void>((r) => (loaded = r));
      listeners.push((m) => {
        if (m.sessionId !== sessionId || !m.params) return;
        // deno-lint-ignore no-explicit-any
        const p = m.params as Record<string, any>;
        switch (m.method) {
          case "Runtime.consoleAPICalled":
            if (p.type === "error" || p.type === "assert") {
              errors.push(
                `console.${p.type}: ${
                  (p.args ?? []).map((a: { value?: unknown }) => a.value).join(
                    " ",
                  )
                }`,
              );
            }
            break;
          case "Runtime.exceptionThrown":
            errors.push(`exception: ${p.exceptionDetails?.text}`);
            break;
          case "Log.entryAdded":
            if (p.entry?.level === "error") {
              errors.push(`${p.entry.source}: ${p.entry.text}`);
            }
            break;
          case "Network.requestWillBeSent":
            requests.push(p.request?.url);
            break;
          case "Page.loadEventFired":
            loaded();
            break;
        }
      });
      for (const domain of ["Page", "Runtime", "Log", "Network"]) {
        await send(`${domain}.enable`, {}, sessionId);
      }
      await send("Emulation.setDeviceMetricsOverride", {
        width: options.width ?? 1200,
        height: options.height ?? 900,
        deviceScaleFactor: 1,
        mobile: false,
      }, sessionId);
      const fileUrl = new URL(`file://${await Deno.realPath(options.path)}`)
        .href;
      await send("Page.navigate", { url: fileUrl }, sessionId);
      await load;
      let value: unknown = null;
      if (options.check) {
        const r = await send("Runtime.evaluate", {
          expression: options.check,
          returnByValue: true,
        }, sessionId) as {
          result: { value?: unknown };
          exceptionDetails?: { text: string };
        };
        if (r.exceptionDetails) {
          errors.push(`check threw: ${r.exceptionDetails.text}`);
        }
        value = r.result.value;
      }
      let clip = {};
      if (options.fullPage) {
        const m = await send("Page.getLayoutMetrics", {}, sessionId) as {
          cssContentSize: { width: number; height: number };
        };
        clip = {
          captureBeyondViewport: true,
          clip: {
            x: 0,
            y: 0,
            width: m.cssContentSize.width,
            height: m.cssContentSize.height,
            scale: 1,
          },
        };
      }
      const shot = await send("Page.captureScreenshot", {
        format: "png",
        ...clip,
      }, sessionId) as { data: string };
      const png = Uint8Array.from(atob(shot.data), (c) => c.charCodeAt(0));
      await send("Target.closeTarget", { targetId }).catch(() => {});
      return { errors, requests, value, png };
    }
  }
}

/** Removes a folder, retrying for a few seconds while helper processes still hold files in it. */
async function removeSoon(path: string): Promise<void> {
  for (let k = 0;; k++) {
    try {
      return await Deno.remove(path, { recursive: true });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      if (k === 50) throw e;
      await settles(new Promise(() => {}), 100);
    }
  }
}

/** Whether `p` settles within `ms` milliseconds (the timer is cleared either way). */
async function settles(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((
    r,
  ) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads Chromium's stderr until it names its DevTools WebSocket, and goes on
 * draining it in the background (a full pipe would stall the browser).
 */
function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  return new Promise((resolve, reject) => {
    const dec = new TextDecoder();
    let text = "", found = false;
    (async () => {
      for await (const chunk of stderr) {
        if (found) continue;
        text += dec.decode(chunk, { stream: true });
        const m = text.match(/DevTools listening on (ws:\/\/\S+)/);
        if (m) {
          found = true;
          resolve(m[1]);
        }
      }
      if (!found) {
        reject(
          new Error(
            `Chromium exited before it listened: ${
              text.trim().split("\n").pop()
            }`,
          ),
        );
      }
    })().catch(reject);
  });
}
