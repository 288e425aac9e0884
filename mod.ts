/**
 * oplet: profile-guided fused oplets for a dyngen-style RV32IMAC translator.
 *
 * This module gathers the public API of the three packages for scripts:
 * `@oplet/emu` (the translator: load, translate, run, profile),
 * `@oplet/analyze` (read profiles, build the capped sequence tree, rank) and
 * `@oplet/gen` (paste oplet bodies into fused oplets and write the two
 * generated modules). Each package is also usable on its own.
 *
 * @example Run a guest, capture its output, and see what the other packages offer
 * ```ts
 * import assert from "node:assert/strict";
 * import { CapturedIo, HELLO_ELF, runElf } from "@oplet/emu";
 * import { analyzeProfiles } from "@oplet/analyze";
 * import { DEFAULT_COUNT } from "@oplet/gen";
 *
 * const io = new CapturedIo();
 * const r = await runElf(HELLO_ELF, { argv: ["hello"], io });
 * assert.equal(r.exitCode, 0);
 * assert.equal(io.stdoutText, "hello, world\n");
 * assert.equal(typeof analyzeProfiles, "function");
 * assert.equal(DEFAULT_COUNT, 32);
 * ```
 *
 * @module
 */

export * from "@oplet/emu";
export * as analyze from "@oplet/analyze";
export * as gen from "@oplet/gen";
