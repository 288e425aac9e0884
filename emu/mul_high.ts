/**
 * The high 32 bits of a 32×32-bit product, as oplets use them.
 *
 * JavaScript has no 64-bit integer multiply on numbers, so these compute in
 * doubles and are exact for every pair of int32 operands. The `jit`
 * backend does not call them: it compiles a call of any of them to one
 * 64-bit WebAssembly multiply (see `JIT_INTRINSICS` in
 * `backends/jit_compile.ts`), as qemu uses one host multiply.
 *
 * @example
 * ```ts
 * import { mulHighU } from "@oplet/emu";
 * console.log(mulHighU(-1, -1)); // -2 (0xfffffffe)
 * ```
 *
 * @module
 */

/**
 * High 32 bits of `a * b`, both signed, as an int32.
 *
 * @example
 * ```ts
 * import { mulHigh } from "@oplet/emu";
 * console.log(mulHigh(-1, 1)); // -1
 * ```
 */
export function mulHigh(a: number, b: number): number {
  return Math.round((a * b - (Math.imul(a, b) >>> 0)) / 4294967296) | 0;
}

/**
 * High 32 bits of `a * b`, `a` signed and `b` unsigned, as an int32.
 *
 * @example
 * ```ts
 * import { mulHighSU } from "@oplet/emu";
 * console.log(mulHighSU(-1, -1)); // -1
 * ```
 */
export function mulHighSU(a: number, b: number): number {
  return Math.round(
    (a * (b >>> 0) - (Math.imul(a, b) >>> 0)) / 4294967296,
  ) | 0;
}

/**
 * High 32 bits of `a * b`, both unsigned, as an int32.
 *
 * @example
 * ```ts
 * import { mulHighU } from "@oplet/emu";
 * console.log(mulHighU(-1, 2) >>> 0); // 1
 * ```
 */
export function mulHighU(a: number, b: number): number {
  return Math.round(
    ((a >>> 0) * (b >>> 0) - (Math.imul(a, b) >>> 0)) / 4294967296,
  ) | 0;
}
