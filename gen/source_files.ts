/**
 * Reading the oplets' source wherever the emulator was loaded from: a local
 * file (a checkout, or a `file:` import) or a registry (`https:`, as from
 * `jsr:@oplet/emu`). For a remote source, the file and the modules it
 * imports, transitively by relative specifier, are fetched into memory, so
 * that the compiler can resolve every name in the oplets' bodies.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { GenError, quote } from "./gen_error.ts";

/** The oplets' source as the compiler will read it. */
export interface SourceFiles {
  /** The file name the compiler sees for the oplets' source. */
  readonly fileName: string;
  /** What messages and generated headers call it (a path or a URL). */
  readonly displayName: string;
  /**
   * File contents by file name, for sources that are not on disk (empty for
   * a local source, which is read from disk).
   */
  readonly files: ReadonlyMap<string, string>;
}

/** At most this many modules are fetched for a remote source. */
const MAX_MODULES = 64;

/** The relative module specifiers that `text` imports or re-exports. */
export function relativeImports(text: string): string[] {
  const out = new Set<string>();
  const re =
    /(?:^|[;\s])(?:import|export)\s[^;"']*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']|(?:^|[;\s])import\s*["'](\.{1,2}\/[^"']+)["']/g;
  for (const m of text.matchAll(re)) out.add(m[1] ?? m[2]);
  return [...out];
}

/**
 * Resolves the oplets' source at `url`: a `file:` URL is read from disk by
 * the compiler; an `http:` or `https:` URL is fetched with the modules it
 * imports. Throws {@link GenError} when a module cannot be fetched.
 */
export async function readSourceFiles(url: URL): Promise<SourceFiles> {
  if (url.protocol === "file:") {
    const path = fileURLToPath(url);
    return { fileName: path, displayName: path, files: new Map() };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new GenError(
      `Cannot read the oplet source ${
        quote(url.href, 300)
      }: expected a file:, http: or https: URL`,
    );
  }
  const files = new Map<string, string>();
  const pending = [url];
  const seen = new Set<string>([url.href]);
  while (pending.length > 0) {
    const u = pending.shift()!;
    if (seen.size > MAX_MODULES) {
      throw new GenError(
        `The oplet source ${
          quote(url.href, 300)
        } imports more than ${MAX_MODULES} modules`,
      );
    }
    let text: string;
    try {
      const res = await fetch(u);
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      text = await res.text();
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split("\n")[0];
      throw new GenError(
        `Cannot fetch the oplet source ${quote(u.href, 300)}: ${why}`,
      );
    }
    files.set(virtualName(u), text);
    for (const spec of relativeImports(text)) {
      const next = new URL(spec, u);
      if (!seen.has(next.href) && next.origin === url.origin) {
        seen.add(next.href);
        pending.push(next);
      }
    }
  }
  return { fileName: virtualName(url), displayName: url.href, files };
}

/** The file name the compiler sees for a remote module: its URL's path. */
function virtualName(u: URL): string {
  return decodeURIComponent(u.pathname);
}
