/**
 * A small JSR-compatible registry for tests, on loopback only. It takes
 * what `deno publish` sends (the publish API under `/api/`) and serves what
 * `jsr:` specifiers are resolved from (`meta.json`, `VERSION_meta.json` and
 * the files), from memory. It is bounded: it answers at most `maxRequests`
 * requests and stops by itself after `timeoutMs`, whatever the test does.
 *
 * Deno finds it through the `JSR_URL` environment variable; the publish API
 * is `JSR_URL` with the path `/api/`.
 *
 * @module
 */

/** Options for {@link startRegistry}. */
export interface RegistryOptions {
  /** The token `deno publish --token` must send. */
  token: string;
  /** Most requests answered; later ones get 503 and the server stops. */
  maxRequests?: number;
  /** The server stops by itself after this long (milliseconds). */
  timeoutMs?: number;
}

/** A running registry. */
export interface Registry {
  /** Its base URL, for `JSR_URL` (ends with `/`). */
  readonly url: string;
  /** The packages published so far: `@scope/name@version` → file paths. */
  readonly published: Map<string, string[]>;
  /** Requests answered so far. */
  readonly requests: () => number;
  /** Stops the server (idempotent). */
  close(): Promise<void>;
}

interface Version {
  exports: Record<string, string>;
  files: Map<string, Uint8Array>;
}

const JSON_HEADERS = { "content-type": "application/json" };

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: JSON_HEADERS });
}

function apiError(status: number, code: string, message: string): Response {
  return json({ code, message }, status);
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The regular files of a tar archive (ustar and GNU long names). */
export function untar(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (b: Uint8Array) =>
    new TextDecoder().decode(
      b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0)),
    );
  let at = 0;
  let longName: string | null = null;
  while (at + 512 <= tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(text(h.subarray(124, 136)).trim() || "0", 8);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = text(h.subarray(345, 500));
    let name = text(h.subarray(0, 100));
    if (
      prefix && h[257] === 0x75 /* ustar */ &&
      text(h.subarray(257, 263)) === "ustar"
    ) {
      name = `${prefix}/${name}`;
    }
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = text(body);
      continue;
    }
    if (longName !== null) name = longName, longName = null;
    if (type === "0" || type === "\0") {
      files.set("/" + name.replace(/^\.?\//, ""), body.slice());
    }
  }
  return files;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return "sha256-" +
    [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function contentType(path: string): string {
  if (path.endsWith(".ts")) return "application/typescript";
  if (path.endsWith(".json")) return "application/json";
  if (path.endsWith(".md")) return "text/markdown";
  return "application/octet-stream";
}

/**
 * Starts a registry on 127.0.0.1 (a free port). Publishing needs the
 * token; packages of any scope are taken as existing.
 */
export function startRegistry(options: RegistryOptions): Registry {
  const maxRequests = options.maxRequests ?? 2000;
  const packages = new Map<string, Map<string, Version>>();
  const published = new Map<string, string[]>();
  let count = 0;
  let closed: Promise<void> | null = null;
  const ac = new AbortController();

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const p = url.pathname;
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^\/api\/scopes\/([^/]+)\/packages\/([^/]+)$/))) {
      return json({ scope: m[1], name: m[2] });
    }
    if (
      req.method === "POST" &&
      (m = p.match(
        /^\/api\/scopes\/([^/]+)\/packages\/([^/]+)\/versions\/([^/]+)$/,
      ))
    ) {
      if (req.headers.get("authorization") !== `Bearer ${options.token}`) {
        return apiError(401, "unauthorized", "Bad token");
      }
      const [, scope, name, version] = m;
      let body = new Uint8Array(await req.arrayBuffer());
      if (req.headers.get("content-encoding") === "gzip") {
        body = await gunzip(body) as Uint8Array<ArrayBuffer>;
      }
      const files = untar(body);
      const config = url.searchParams.get("config") ?? "/deno.json";
      const cfgBytes = files.get(config);
      if (!cfgBytes) {
        return apiError(
          400,
          "missingConfigFile",
          `No ${config} in the tarball`,
        );
      }
      const cfg = JSON.parse(new TextDecoder().decode(cfgBytes));
      const exports = typeof cfg.exports === "string"
        ? { ".": cfg.exports }
        : cfg.exports ?? {};
      const key = `@${scope}/${name}`;
      if (!packages.has(key)) packages.set(key, new Map());
      packages.get(key)!.set(version, { exports, files });
      published.set(`${key}@${version}`, [...files.keys()].sort());
      return json({ id: `${key}@${version}`, status: "success" });
    }
    if ((m = p.match(/^\/api\/publish_status\/(.+)$/))) {
      return json({ id: decodeURIComponent(m[1]), status: "success" });
    }
    if ((m = p.match(/^\/(@[^/]+\/[^/]+)\/meta\.json$/))) {
      const versions = packages.get(m[1]);
      if (!versions) return new Response("not found", { status: 404 });
      const list = [...versions.keys()];
      return json({
        scope: m[1].split("/")[0].slice(1),
        name: m[1].split("/")[1],
        latest: list.at(-1),
        versions: Object.fromEntries(list.map((v) => [v, {}])),
      });
    }
    if ((m = p.match(/^\/(@[^/]+\/[^/]+)\/([^/]+)_meta\.json$/))) {
      const v = packages.get(m[1])?.get(m[2]);
      if (!v) return new Response("not found", { status: 404 });
      const manifest: Record<string, { size: number; checksum: string }> = {};
      for (const [path, bytes] of v.files) {
        manifest[path] = {
          size: bytes.length,
          checksum: await sha256(bytes as Uint8Array<ArrayBuffer>),
        };
      }
      return json({ exports: v.exports, manifest });
    }
    if ((m = p.match(/^\/(@[^/]+\/[^/]+)\/([^/]+)(\/.+)$/))) {
      const bytes = packages.get(m[1])?.get(m[2])?.files.get(m[3]);
      if (!bytes) return new Response("not found", { status: 404 });
      return new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": contentType(m[3]) },
      });
    }
    return new Response("not found", { status: 404 });
  }

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: ac.signal,
    onListen: () => {},
  }, async (req) => {
    if (++count > maxRequests) {
      queueMicrotask(() => void close());
      return new Response("request limit reached", { status: 503 });
    }
    try {
      return await handle(req);
    } catch (e) {
      return apiError(500, "internalError", (e as Error).message);
    }
  });
  const timer = setTimeout(() => void close(), options.timeoutMs ?? 600_000);
  Deno.unrefTimer(timer);
  function close(): Promise<void> {
    if (!closed) {
      clearTimeout(timer);
      ac.abort();
      closed = server.finished;
    }
    return closed;
  }
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    published,
    requests: () => count,
    close,
  };
}
