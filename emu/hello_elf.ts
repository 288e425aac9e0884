/**
 * A complete guest program small enough to read: 133 bytes of static
 * RV32I Linux executable that writes "hello, world\n" to standard output
 * and exits with status 0. Examples and smoke tests run it without any
 * file. Its layout: the ELF header, one loadable R+X segment at 0x10000
 * holding the headers, nine instructions (`write(1, msg, 13)`, `exit(0)`)
 * at 0x10054, and the message after them.
 *
 * @module
 */

const BASE64 =
  "f0VMRgEBAQAAAAAAAAAAAAIA8wABAAAAVAABADQAAAAAAAAAAAAAADQAIAABACgAAAAAAAEAAAAAAAAAAAABAAAAAQCFAAAAhQAAAAUAAAAAEAAAkwgABBMFEACXBQAAk4XFARMG0ABzAAAAkwjQBRMFAABzAAAAaGVsbG8sIHdvcmxkCg==";

/**
 * The bytes of a static RV32I executable that prints "hello, world\n" and
 * exits with 0, as `qemu-riscv32` runs it too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ELF_MACHINE, HELLO_ELF, parseElf } from "@oplet/emu";
 * assert.equal(HELLO_ELF.length, 133);
 * assert.equal(parseElf(HELLO_ELF, "hello", ELF_MACHINE).entry, 0x10054);
 * ```
 */
export const HELLO_ELF: Uint8Array = Uint8Array.from(
  atob(BASE64),
  (c) => c.charCodeAt(0),
);
