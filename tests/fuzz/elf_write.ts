/**
 * Writing minimal static ELF32 RISC-V executables (ET_EXEC, no section
 * headers): a text segment (R+X) and an optional data segment (R+W, with
 * zeroed bss after its bytes), laid out so that qemu-riscv32 and oplet's
 * loader both accept them (each segment's file offset is congruent to its
 * address modulo the 4 KiB page).
 *
 * @example
 * ```ts
 * import { wordsToBytes, writeElf } from "./elf_write.ts";
 * // li a7, 93; li a0, 3; ecall: exits with code 3
 * const text = wordsToBytes([0x05d00893, 0x00300513, 0x00000073]);
 * const elf = writeElf({ text });
 * console.log(elf.length); // 4108
 * ```
 *
 * @module
 */

/** The page size segments are aligned to. */
export const PAGE = 0x1000;
/** Where the text segment goes unless told otherwise. */
export const DEFAULT_TEXT_ADDR = 0x10000;

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const PF_X = 1, PF_W = 2, PF_R = 4;

/** What to put in an executable. */
export interface ElfImage {
  /** The code. */
  text: Uint8Array;
  /** The text segment's address (page-aligned; default 0x10000). */
  textAddr?: number;
  /** The entry point (default `textAddr`). */
  entry?: number;
  /** Initial bytes of the data segment (default none). */
  data?: Uint8Array;
  /** Zeroed bytes after `data` in the data segment (default 0). */
  bssSize?: number;
  /** The data segment's address (page-aligned; default one page past the end of the text). */
  dataAddr?: number;
}

const roundUp = (n: number) => Math.ceil(n / PAGE) * PAGE;

/** The data segment's address that {@link writeElf} uses for `image`. */
export function dataAddress(
  image: Pick<ElfImage, "text" | "textAddr" | "dataAddr">,
): number {
  return image.dataAddr ??
    roundUp((image.textAddr ?? DEFAULT_TEXT_ADDR) + image.text.length) + PAGE;
}

/** Little-endian bytes of 32-bit instruction words. */
export function wordsToBytes(words: readonly number[]): Uint8Array {
  const b = new Uint8Array(4 * words.length);
  const v = new DataView(b.buffer);
  words.forEach((w, k) => v.setUint32(4 * k, w >>> 0, true));
  return b;
}

/**
 * Builds the executable's bytes: the ELF header and program headers, then
 * the text at file offset 0x1000, then the data at the next page.
 */
export function writeElf(image: ElfImage): Uint8Array {
  const textAddr = image.textAddr ?? DEFAULT_TEXT_ADDR;
  const data = image.data ?? new Uint8Array(0);
  const bss = image.bssSize ?? 0;
  const hasData = data.length + bss > 0;
  const dataAddr = dataAddress(image);
  if (textAddr % PAGE !== 0 || dataAddr % PAGE !== 0) {
    throw new RangeError(
      `Segment addresses 0x${textAddr.toString(16)}, 0x${
        dataAddr.toString(16)
      } are not page-aligned`,
    );
  }
  if (
    hasData && dataAddr < textAddr + image.text.length &&
    dataAddr + data.length + bss > textAddr
  ) {
    throw new RangeError(
      `The data segment at 0x${dataAddr.toString(16)} overlaps the text`,
    );
  }
  const phnum = hasData ? 2 : 1;
  const textOff = PAGE;
  const dataOff = textOff + roundUp(image.text.length);
  const size = hasData ? dataOff + data.length : textOff + image.text.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]); // magic, ELFCLASS32, ELFDATA2LSB, EV_CURRENT, SYSV
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 243, true); // EM_RISCV
  v.setUint32(20, 1, true); // EV_CURRENT
  v.setUint32(24, image.entry ?? textAddr, true);
  v.setUint32(28, EHDR_SIZE, true); // e_phoff
  v.setUint32(32, 0, true); // e_shoff
  v.setUint32(36, 0, true); // e_flags: soft-float ABI, no RVC
  v.setUint16(40, EHDR_SIZE, true);
  v.setUint16(42, PHDR_SIZE, true);
  v.setUint16(44, phnum, true);
  v.setUint16(46, 40, true); // e_shentsize
  v.setUint16(48, 0, true); // e_shnum
  v.setUint16(50, 0, true); // e_shstrndx
  const phdr = (
    k: number,
    off: number,
    addr: number,
    filesz: number,
    memsz: number,
    flags: number,
  ) => {
    const o = EHDR_SIZE + PHDR_SIZE * k;
    v.setUint32(o, 1, true); // PT_LOAD
    v.setUint32(o + 4, off, true);
    v.setUint32(o + 8, addr, true);
    v.setUint32(o + 12, addr, true);
    v.setUint32(o + 16, filesz, true);
    v.setUint32(o + 20, memsz, true);
    v.setUint32(o + 24, flags, true);
    v.setUint32(o + 28, PAGE, true);
  };
  phdr(0, textOff, textAddr, image.text.length, image.text.length, PF_R | PF_X);
  out.set(image.text, textOff);
  if (hasData) {
    phdr(1, dataOff, dataAddr, data.length, data.length + bss, PF_R | PF_W);
    out.set(data, dataOff);
  }
  return out;
}
