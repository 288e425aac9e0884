/**
 * Guest I/O kept in memory, for running a guest from a script: standard
 * input from bytes, standard output and error collected (or dropped), and
 * the emulator's warnings kept.
 *
 * @module
 */

import type { GuestIo } from "./linux_user/syscall.ts";

/** Options for {@link CapturedIo}. */
export interface CapturedIoOptions {
  /** Keep what the guest writes (default true); false drops it. */
  readonly keep?: boolean;
  /** Called with each emulator warning, besides keeping it. */
  readonly onWarning?: (line: string) => void;
}

/**
 * A {@link GuestIo} in memory: the guest reads `input` on fd 0, and what it
 * writes on fd 1 and 2 is collected. No descriptor is a terminal.
 *
 * @example Run a guest and read what it printed
 * ```ts
 * import assert from "node:assert/strict";
 * import { CapturedIo, HELLO_ELF, runElf } from "@oplet/emu";
 *
 * const io = new CapturedIo();
 * const r = await runElf(HELLO_ELF, { argv: ["hello"], io });
 * assert.equal(r.exitCode, 0);
 * assert.equal(io.stdoutText, "hello, world\n");
 * ```
 */
export class CapturedIo implements GuestIo {
  #out: Uint8Array[] = [];
  #err: Uint8Array[] = [];
  #pos = 0;
  readonly #input: Uint8Array;
  readonly #keep: boolean;
  readonly #onWarning?: (line: string) => void;
  /** The emulator's warnings, in order. */
  readonly warnings: string[] = [];

  /** Creates it with the bytes the guest's stdin gives. */
  constructor(
    input: Uint8Array = new Uint8Array(0),
    options: CapturedIoOptions = {},
  ) {
    this.#input = input;
    this.#keep = options.keep ?? true;
    this.#onWarning = options.onWarning;
  }

  /** Collects stdout bytes. */
  stdout(b: Uint8Array): number {
    if (this.#keep) this.#out.push(b.slice());
    return b.length;
  }

  /** Collects stderr bytes. */
  stderr(b: Uint8Array): number {
    if (this.#keep) this.#err.push(b.slice());
    return b.length;
  }

  /** Gives stdin bytes; 0 at the end. */
  stdin(b: Uint8Array): number {
    const n = Math.min(b.length, this.#input.length - this.#pos);
    b.set(this.#input.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return n;
  }

  /** Never a terminal. */
  isTerminal(_fd: number): boolean {
    return false;
  }

  /** Keeps an emulator warning. */
  warn(line: string): void {
    this.warnings.push(line);
    this.#onWarning?.(line);
  }

  /** Everything written to stdout so far. */
  get stdoutBytes(): Uint8Array {
    return concat(this.#out);
  }

  /** Everything written to stderr so far. */
  get stderrBytes(): Uint8Array {
    return concat(this.#err);
  }

  /** Stdout so far, decoded as UTF-8. */
  get stdoutText(): string {
    return new TextDecoder().decode(this.stdoutBytes);
  }

  /** Stderr so far, decoded as UTF-8. */
  get stderrText(): string {
    return new TextDecoder().decode(this.stderrBytes);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}
