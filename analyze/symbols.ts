/**
 * Naming guest pcs by the ELF symbols of the profiled guest.
 *
 * @module
 */

import { type ElfSymbol, readElfSymbols } from "@oplet/emu";

/** Function and object symbols of one ELF file, for looking up pcs. */
export class SymbolTable {
  /** The symbols, sorted by address. */
  readonly symbols: readonly ElfSymbol[];

  /** Wraps symbols sorted by address (as `readElfSymbols` returns them). */
  constructor(symbols: readonly ElfSymbol[]) {
    this.symbols = symbols;
  }

  /** Reads an ELF file's symbols; null when the file cannot be read. */
  static async load(path: string): Promise<SymbolTable | null> {
    try {
      return new SymbolTable(readElfSymbols(await Deno.readFile(path)));
    } catch {
      return null;
    }
  }

  /**
   * Names `pc` as `symbol` or `symbol+0xOFF` by the symbol that contains it
   * (or the nearest one below it when its size is unknown); null if none.
   */
  lookup(pc: number): string | null {
    const s = this.symbols;
    let lo = 0, hi = s.length - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].value <= pc) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // The nearest symbol below pc, or an alias of it at the same address.
    for (let k = at; k >= 0 && s[k].value === s[at].value; k--) {
      const sym = s[k];
      if (sym.size === 0 || pc < sym.value + sym.size) {
        const off = pc - sym.value;
        return off === 0 ? sym.name : `${sym.name}+0x${off.toString(16)}`;
      }
    }
    return null;
  }
}
