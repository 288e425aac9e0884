/**
 * oplet: profile-guided fused oplets for a dyngen-style RV32IMAC translator.
 *
 * This module gathers the public API of the three packages for scripts:
 * `@oplet/emu` (the translator: load, translate, run, profile),
 * `@oplet/analyze` (read profiles, build the capped sequence tree, rank) and
 * `@oplet/gen` (paste oplet bodies into fused oplets and write the two
 * generated modules). Each package is also usable on its own.
 *
 * @example Run a guest and read its counters
 * ```ts
 * import { runElf } from "./mod.ts";
 * import { CapturedIo } from "./tests/guest_io.ts";
 *
 * const io = new CapturedIo();
 * const elf = await Deno.readFile("tests/guests/bin/exitcode.elf");
 * const r = await runElf(elf, { argv: ["exitcode"], io });
 * console.log(r.exitCode, r.stats.insns > 0);
 * ```
 *
 * @module
 */

export * from "@oplet/emu";
export * as analyze from "@oplet/analyze";
export * as gen from "@oplet/gen";
