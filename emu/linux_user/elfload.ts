/**
 * Loading static ELF32 little-endian executables into guest memory and
 * building the Linux initial stack, as QEMU's `linux-user/elfload.c` does.
 *
 * @module
 */

import type { LinuxCpu } from "./abi.ts";

/** A malformed or unsupported ELF file; the message names the file and the offset. */
export class ElfError extends Error {
  /** Creates the error; `message` is the whole one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "ElfError";
  }
}

/** A loadable segment. */
export interface ElfSegment {
  /** Guest address. */
  vaddr: number;
  /** Bytes in memory (the rest after `filesz` is zeroed). */
  memsz: number;
  /** Bytes in the file. */
  filesz: number;
  /** Offset in the file. */
  offset: number;
  /** PF_R | PF_W | PF_X flags. */
  flags: number;
  /** Offset of its program header in the file. */
  header: number;
}

/** What {@link parseElf} finds in an executable. */
export interface ElfInfo {
  /** The entry point. */
  entry: number;
  /** Offset of the program headers in the file. */
  phoff: number;
  /** Number of program headers. */
  phnum: number;
  /** The PT_LOAD segments. */
  segments: ElfSegment[];
}

/** A symbol from the ELF symbol table. */
export interface ElfSymbol {
  /** Its name. */
  name: string;
  /** Its address. */
  value: number;
  /** Its size in bytes (0 when unknown). */
  size: number;
}

const hex = (n: number) => "0x" + (n >>> 0).toString(16);

/** What the target says about executables it cannot run. */
export interface ElfChecks {
  /** Why an executable with these `e_flags` cannot run, or null when it can. */
  flags(flags: number): string | null;
  /** The message for a 64-bit executable of the same machine. */
  elf64: string;
}

/**
 * Parses and checks the ELF header and program headers of a static ELF32
 * little-endian executable for `machine`. Throws {@link ElfError} naming `file`, the offset and what was
 * expected; with `checks`, also for a 64-bit executable of `machine` and for
 * header flags the target refuses ("FILE: built for ...; this emulator runs
 * ...").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ElfError, parseElf } from "@oplet/emu";
 * assert.throws(
 *   () => parseElf(new Uint8Array(8), "empty.elf", 243),
 *   (e) => e instanceof ElfError && e.message.startsWith("empty.elf"),
 * );
 * ```
 */
export function parseElf(
  bytes: Uint8Array,
  file: string,
  machine: number,
  checks?: ElfChecks,
): ElfInfo {
  const fail = (off: number, what: string): never => {
    throw new ElfError(`${file}: offset ${hex(off)}: ${what}`);
  };
  if (bytes.length < 52) {
    fail(
      0,
      `expected an ELF header of 52 bytes, found a file of ${bytes.length}`,
    );
  }
  if (
    bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c ||
    bytes[3] !== 0x46
  ) {
    fail(0, "expected the ELF magic \\x7fELF");
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    checks && bytes[4] === 2 && bytes[5] === 1 &&
    v.getUint16(18, true) === machine
  ) {
    throw new ElfError(`${file}: ${checks.elf64}`);
  }
  if (bytes[4] !== 1) {
    fail(4, `expected ELF class 1 (32-bit), found ${bytes[4]}`);
  }
  if (bytes[5] !== 1) {
    fail(5, `expected data encoding 1 (little-endian), found ${bytes[5]}`);
  }
  const type = v.getUint16(16, true);
  if (type !== 2) {
    fail(16, `expected type 2 (ET_EXEC, a static executable), found ${type}`);
  }
  const mach = v.getUint16(18, true);
  if (mach !== machine) fail(18, `expected machine ${machine}, found ${mach}`);
  const problem = checks?.flags(v.getUint32(36, true));
  if (problem) throw new ElfError(`${file}: ${problem}`);
  const entry = v.getUint32(24, true);
  const phoff = v.getUint32(28, true);
  const phentsize = v.getUint16(42, true);
  const phnum = v.getUint16(44, true);
  if (phnum === 0) fail(44, "expected at least one program header, found none");
  if (phentsize !== 32) {
    fail(42, `expected program header size 32, found ${phentsize}`);
  }
  if (phoff + phnum * 32 > bytes.length) {
    fail(
      28,
      `program headers at ${
        hex(phoff)
      } run past the end of the file (${bytes.length} bytes)`,
    );
  }
  const segments: ElfSegment[] = [];
  for (let k = 0; k < phnum; k++) {
    const o = phoff + 32 * k;
    const ptype = v.getUint32(o, true);
    if (ptype === 3) {
      fail(
        o,
        "expected a static executable, found a PT_INTERP (dynamic) header",
      );
    }
    if (ptype !== 1) continue;
    const seg: ElfSegment = {
      offset: v.getUint32(o + 4, true),
      vaddr: v.getUint32(o + 8, true),
      filesz: v.getUint32(o + 16, true),
      memsz: v.getUint32(o + 20, true),
      flags: v.getUint32(o + 24, true),
      header: o,
    };
    if (seg.filesz > seg.memsz) {
      fail(
        o + 16,
        `segment file size ${seg.filesz} exceeds its memory size ${seg.memsz}`,
      );
    }
    if (seg.offset + seg.filesz > bytes.length) {
      fail(
        o + 4,
        `segment data ${
          hex(seg.offset)
        }+${seg.filesz} runs past the end of the file`,
      );
    }
    segments.push(seg);
  }
  if (segments.length === 0) {
    fail(phoff, "expected a PT_LOAD segment, found none");
  }
  return { entry, phoff, phnum, segments };
}

/** Where a loaded program's pieces ended up. */
export interface LoadedImage {
  /** The entry point. */
  entry: number;
  /** The initial program break (end of the highest segment, page-aligned). */
  brk: number;
  /** The initial stack pointer. */
  sp: number;
}

/** Where a program may lie in guest memory (the target's `LinuxAbi.memLow`). */
export interface ElfLayout {
  /** The lowest address a segment may use. */
  memLow: number;
  /** The stack's size at the top of memory (default 8 MiB). */
  stackSize?: number;
}

/**
 * Copies the segments into guest memory (zeroing bss), then builds the Linux
 * initial stack at the top of memory, in 32-bit words: argc, argv, envp and
 * the auxiliary vector (AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY,
 * AT_RANDOM). Throws {@link ElfError} if a segment does not fit in
 * `[layout.memLow, memSize - stackSize)`.
 */
export function loadElf(
  cpu: LinuxCpu,
  bytes: Uint8Array,
  info: ElfInfo,
  file: string,
  argv: readonly string[],
  envp: readonly string[],
  layout: ElfLayout,
): LoadedImage {
  const MEM_LOW = layout.memLow;
  const stackLow = cpu.memSize - (layout.stackSize ?? 8 * 1024 * 1024);
  let brk = 0;
  let phdr = 0;
  for (const s of info.segments) {
    if (s.vaddr < MEM_LOW || s.vaddr + s.memsz > stackLow) {
      throw new ElfError(
        `${file}: offset ${hex(s.header)}: segment at ${
          hex(s.vaddr)
        } of ${s.memsz} bytes lies outside guest memory ${hex(MEM_LOW)}..${
          hex(stackLow)
        }; expected a program linked for user space`,
      );
    }
    cpu.mu8.set(bytes.subarray(s.offset, s.offset + s.filesz), s.vaddr);
    cpu.mu8.fill(0, s.vaddr + s.filesz, s.vaddr + s.memsz);
    brk = Math.max(brk, s.vaddr + s.memsz);
    if (
      info.phoff >= s.offset &&
      info.phoff + info.phnum * 32 <= s.offset + s.filesz
    ) {
      phdr = s.vaddr + info.phoff - s.offset;
    }
  }
  brk = (brk + 4095) & ~4095;
  if (info.entry < MEM_LOW || info.entry >= cpu.memSize) {
    throw new ElfError(
      `${file}: offset 0x18: entry point ${
        hex(info.entry)
      } is outside guest memory`,
    );
  }
  // Strings first, at the very top: argv then envp, contiguous and in
  // order, as Linux lays them out.
  const enc = new TextEncoder();
  const strings = [...argv, ...envp].map((a) => enc.encode(a));
  const total = strings.reduce((n, b) => n + b.length + 1, 0);
  let sp = (cpu.memSize - 16 - total) & ~3;
  const ptrs: number[] = [];
  let at = sp;
  for (const b of strings) {
    ptrs.push(at);
    cpu.mu8.set(b, at);
    cpu.mu8[at + b.length] = 0;
    at += b.length + 1;
  }
  const argvPtrs = ptrs.slice(0, argv.length);
  const envPtrs = ptrs.slice(argv.length);
  sp -= 16;
  const random = sp;
  crypto.getRandomValues(cpu.mu8.subarray(random, random + 16));
  const auxv = [
    [3, phdr], // AT_PHDR
    [4, 32], // AT_PHENT
    [5, info.phnum], // AT_PHNUM
    [6, 4096], // AT_PAGESZ
    [9, info.entry], // AT_ENTRY
    [11, 0], // AT_UID
    [12, 0], // AT_EUID
    [13, 0], // AT_GID
    [14, 0], // AT_EGID
    [25, random], // AT_RANDOM
    [0, 0], // AT_NULL
  ];
  const words = [argv.length, ...argvPtrs, 0, ...envPtrs, 0, ...auxv.flat()];
  sp = (sp - 4 * words.length) & ~15;
  words.forEach((w, k) => (cpu.m32[(sp >>> 2) + k] = w));
  return { entry: info.entry, brk, sp };
}

/**
 * Reads the function and object symbols of an ELF32 file (empty when it has
 * no symbol table), sorted by address.
 */
export function readElfSymbols(bytes: Uint8Array): ElfSymbol[] {
  const out: ElfSymbol[] = [];
  if (bytes.length < 52) return out;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = v.getUint32(32, true), shnum = v.getUint16(48, true);
  if (v.getUint16(46, true) !== 40 || shoff + shnum * 40 > bytes.length) {
    return out;
  }
  const dec = new TextDecoder();
  for (let k = 0; k < shnum; k++) {
    const sh = shoff + 40 * k;
    if (v.getUint32(sh + 4, true) !== 2) continue; // SHT_SYMTAB
    const off = v.getUint32(sh + 16, true), size = v.getUint32(sh + 20, true);
    const link = v.getUint32(sh + 24, true);
    const strSh = shoff + 40 * link;
    if (link >= shnum || off + size > bytes.length) continue;
    const strOff = v.getUint32(strSh + 16, true),
      strSize = v.getUint32(strSh + 20, true);
    for (let e = off; e + 16 <= off + size; e += 16) {
      const type = bytes[e + 12] & 15;
      if (type !== 1 && type !== 2) continue; // STT_OBJECT, STT_FUNC
      const nameOff = v.getUint32(e, true);
      if (nameOff >= strSize) continue;
      let end = strOff + nameOff;
      while (end < bytes.length && bytes[end] !== 0) end++;
      out.push({
        name: dec.decode(bytes.subarray(strOff + nameOff, end)),
        value: v.getUint32(e + 4, true),
        size: v.getUint32(e + 8, true),
      });
    }
  }
  return out.sort((a, b) => a.value - b.value);
}
