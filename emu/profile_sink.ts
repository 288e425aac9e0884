/**
 * What the emulator hands a profile to; `ProfileWriter` in `profile.ts` is
 * the implementation that streams to a file.
 *
 * @module
 */

/** Receives a profiling run's records. */
export interface ProfileSink {
  /** A block was translated: its id, guest pc, guest instruction count and oplet numbers (without `op_profile`). */
  defineTb(
    id: number,
    pc: number,
    icount: number,
    ops: readonly number[],
  ): void;
  /** Block executions: the ids in `ids[0..n)`, in order. The buffer is reused after the promise settles. */
  executions(ids: Uint32Array, n: number): Promise<void>;
  /**
   * Optional, instead of {@link executions}: takes the buffer itself (the
   * caller must not touch it again; it may be transferred to another
   * thread) and resolves to an empty buffer of the same length to fill
   * next. Saves copying the ids.
   */
  handOver?(
    ids: Uint32Array<ArrayBuffer>,
    n: number,
  ): Promise<Uint32Array<ArrayBuffer>>;
  /** The run ended; flush and close. `complete` is false when the run was interrupted. */
  close(): Promise<void>;
}
