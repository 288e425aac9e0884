/**
 * Which host files a guest may open (`--allow-open`), matched the way Deno
 * matches `--allow-read`: each allowed entry is a file or a folder, relative
 * entries are resolved from the current folder, and a path is allowed when
 * it is an entry or lies inside an entry folder, whichever way it is
 * spelled (`input.txt`, `./input.txt` or its absolute path).
 *
 * @module
 */

import { isAbsolute, normalize, resolve, sep } from "node:path";

/**
 * The files and folders a guest may open read-only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OpenPolicy } from "@oplet/emu";
 * const p = new OpenPolicy(["/data", "/etc/hosts"]);
 * assert.equal(p.allows("/data/in/a.txt"), "/data/in/a.txt");
 * assert.equal(p.allows("/etc/hosts"), "/etc/hosts");
 * assert.equal(p.allows("/etc/passwd"), null);
 * assert.equal(p.allows("/data/../etc/passwd"), null);
 * ```
 */
export class OpenPolicy {
  /** The allowed entries, as absolute normalized paths. */
  readonly entries: readonly string[];

  /** Allows `entries` (files or folders; relative ones from the current folder). */
  constructor(entries: Iterable<string> = []) {
    this.entries = [...entries].map(absolute);
  }

  /**
   * The absolute path to open for the guest's `path`, or null when no
   * entry allows it.
   */
  allows(path: string): string | null {
    if (path === "" || this.entries.length === 0) return null;
    const abs = absolute(path);
    for (const e of this.entries) {
      if (abs === e || abs.startsWith(e.endsWith(sep) ? e : e + sep)) {
        return abs;
      }
    }
    return null;
  }
}

function absolute(path: string): string {
  return normalize(isAbsolute(path) ? path : resolve(path));
}
