/**
 * A one-line progress bar on standard error for long inputs: bytes read,
 * rate and time left, redrawn at most ten times a second.
 *
 * @module
 */

/** Inputs smaller than this get no progress bar. */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;

const MIB = 1024 * 1024;

/** A progress bar over a known number of bytes. */
export class Progress {
  /** The total number of bytes. */
  readonly total: number;
  #label: string;
  #write: (text: string) => void;
  #t0 = performance.now();
  #last = 0;
  #shown = false;

  /** Creates a bar for `total` bytes; `write` gets the raw text (default: standard error). */
  constructor(
    total: number,
    label: string,
    write: (text: string) => void = (t) =>
      Deno.stderr.writeSync(new TextEncoder().encode(t)),
  ) {
    this.total = total;
    this.#label = label;
    this.#write = write;
  }

  /** Whether a bar is wanted: standard error is a terminal, not quiet, and the input is large. */
  static wanted(total: number, quiet: boolean): boolean {
    return !quiet && total >= PROGRESS_MIN_BYTES && Deno.stderr.isTerminal();
  }

  /** Reports `done` bytes read so far. */
  update(done: number): void {
    const now = performance.now();
    if (now - this.#last < 100) return;
    this.#last = now;
    const secs = (now - this.#t0) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const left = rate > 0 ? (this.total - done) / rate : 0;
    const pct = this.total > 0 ? Math.min(100, (100 * done) / this.total) : 100;
    const width = 24, fill = Math.round((pct / 100) * width);
    const bar = "#".repeat(fill) + "-".repeat(width - fill);
    this.#write(
      `\r${this.#label} [${bar}] ${(done / MIB).toFixed(1)}/${
        (this.total / MIB).toFixed(1)
      } MiB ${(rate / MIB).toFixed(1)} MiB/s ${clock(left)} left \x1b[K`,
    );
    this.#shown = true;
  }

  /** Clears the bar. */
  done(): void {
    if (this.#shown) this.#write("\r\x1b[K");
    this.#shown = false;
  }
}

function clock(secs: number): string {
  const s = Math.max(0, Math.round(secs));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
