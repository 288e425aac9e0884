/**
 * The generator's limits and defaults, apart from the modules that fuse and
 * render, so that the command line's help text needs nothing else.
 *
 * @module
 */

/** The most fused oplets one generated set may hold. */
export const MAX_FUSED = 256;

/**
 * How many sequences are fused unless told otherwise: the size that ran
 * fastest on the `switch` backend (see the README's "What it buys": sets of
 * 64 and more made the dispatch function too large for V8's optimiser).
 */
export const DEFAULT_COUNT = 32;

/** The longest sequence that can be fused. */
export const MAX_SEQ_LENGTH = 64;

/** The name of the state type in the generated `op_seq.ts`. */
export const STATE_TYPE_NAME = "FusedState";
