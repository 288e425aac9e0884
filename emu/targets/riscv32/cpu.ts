/**
 * The RV32 CPU state that every oplet works on: the guest registers, the
 * dyngen-style temporaries T0..T2, the guest memory's typed-array views and
 * the profile buffer.
 *
 * @module
 */

import { GuestFault } from "../../fault.ts";

/** Guest memory below this address is never mapped (catches NULL pointers). */
export const MEM_LOW = 0x1000;

/** Where the float registers live in guest memory: the last 256 bytes of the unmapped first page. */
export const FREGS = MEM_LOW - 256;
/** Where `fflags` and `frm` live in guest memory: just below the float registers. */
export const FCS = FREGS - 8;

/**
 * The state of one RV32 hart in user mode.
 *
 * Guest memory is one flat little-endian `ArrayBuffer` that maps guest
 * addresses `[0, size)` one to one; `[MEM_LOW, size)` is accessible. The
 * views are fields so that oplets reach them without a call.
 */
export class RiscvCpu {
  /** The 32 integer registers; `x[0]` is always 0. Kept at offset 0 of {@link memory}, in the unmapped first page. */
  readonly x: Int32Array;
  /**
   * The 32 floating-point registers, 64 bits each, as doubles (F and D).
   * Kept at {@link FREGS} of {@link memory}, in the unmapped first page, so
   * that compiled code reaches them with plain loads and stores.
   */
  readonly f: Float64Array;
  /**
   * The float registers as 32-bit words: `fw[2 * r]` is the low word of
   * `f[r]`, `fw[2 * r + 1]` the high word. A single is NaN-boxed: its bits in
   * the low word, all ones in the high word.
   */
  readonly fw: Int32Array;
  /** The float registers' low words as singles: `fs[2 * r]`. */
  readonly fs: Float32Array;
  /**
   * The FP CSR state in guest memory (at {@link FCS}): `fcs[0]` is
   * {@link fflags}, `fcs[1]` {@link frm}. Oplet bodies use these cells, so
   * that compiled code and helpers share them without copying.
   */
  readonly fcs: Int32Array;
  /** The accrued exception flags (the `fflags` CSR): NV DZ OF UF NX, bits 4..0 (`fcs[0]`). */
  get fflags(): number {
    return this.fcs[0];
  }
  set fflags(v: number) {
    this.fcs[0] = v;
  }
  /** The dynamic rounding mode (the `frm` CSR, 0..7; 5..7 make dynamic-rm instructions illegal; `fcs[1]`). */
  get frm(): number {
    return this.fcs[1];
  }
  set frm(v: number) {
    this.fcs[1] = v;
  }
  /** The guest pc (valid at block boundaries and in faults). */
  pc = 0;
  /** Temporary T0. */
  t0 = 0;
  /** Temporary T1. */
  t1 = 0;
  /** Temporary T2. */
  t2 = 0;
  /** The value an exit oplet leaves for the loop (the word of an illegal instruction). */
  trap = 0;
  /** Signed byte view of guest memory. */
  readonly m8: Int8Array;
  /** Unsigned byte view of guest memory. */
  readonly mu8: Uint8Array;
  /** Signed halfword view of guest memory. */
  readonly m16: Int16Array;
  /** Unsigned halfword view of guest memory. */
  readonly mu16: Uint16Array;
  /** Word view of guest memory. */
  readonly m32: Int32Array;
  /** Doubleword view of guest memory, for aligned `fld` and `fsd`. */
  readonly mf64: Float64Array;
  /** Size of guest memory in bytes. */
  readonly memSize: number;
  /**
   * Guest memory, shared by every backend: the views above and {@link x}
   * are over its buffer (it never grows), and compiled WebAssembly code
   * imports it.
   */
  readonly memory: WebAssembly.Memory;
  /** Where compiled code keeps its own words: after the registers, below {@link MEM_LOW}. */
  readonly scratch: number = 128;
  /** Where compiled code's words must end: the FP state ({@link FCS}) starts there. */
  readonly scratchEnd: number = FCS;
  /** `memSize - MEM_LOW`: an address `a` is mapped when `(a - MEM_LOW) >>> 0 < span`. */
  readonly span: number;
  /**
   * Lowest writable address: stores below it fault, like a store into a
   * program's read-only text on Linux. Starts at {@link MEM_LOW}; the loader
   * raises it above the read-only segments.
   */
  wlow: number = MEM_LOW;
  /** `memSize - wlow`: a store to `a` is allowed when `(a - wlow) >>> 0 < wspan`. */
  wspan: number;
  /**
   * The address `lr.w` reserved, or -1 (as qemu-riscv32 starts). `sc.w`
   * succeeds when its address is this one and the word there still equals
   * {@link resVal}, as under qemu-riscv32; every `sc.w` clears it.
   */
  resAddr: number = -1;
  /** The word `lr.w` loaded. */
  resVal = 0;
  /** Profile buffer: TB ids appended by `op_profile`. */
  prof: Uint32Array<ArrayBuffer> = new Uint32Array(0);
  /** How many ids `prof` holds. */
  profLen = 0;

  /** Creates a hart with `memSize` bytes of zeroed guest memory. */
  constructor(memSize: number) {
    if (memSize % 4096 !== 0 || memSize <= MEM_LOW || memSize > 0x80000000) {
      throw new RangeError(
        `Guest memory size ${memSize} is not a page multiple up to 2 GiB`,
      );
    }
    const pages = Math.ceil(memSize / 65536);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const buf = this.memory.buffer;
    this.x = new Int32Array(buf, 0, 32);
    this.f = new Float64Array(buf, FREGS, 32);
    this.fw = new Int32Array(buf, FREGS, 64);
    this.fs = new Float32Array(buf, FREGS, 64);
    this.fcs = new Int32Array(buf, FCS, 2);
    this.m8 = new Int8Array(buf);
    this.mu8 = new Uint8Array(buf);
    this.m16 = new Int16Array(buf);
    this.mu16 = new Uint16Array(buf);
    this.m32 = new Int32Array(buf);
    this.mf64 = new Float64Array(buf);
    this.memSize = memSize;
    this.span = memSize - MEM_LOW;
    this.wspan = this.span;
  }

  /** Makes `[MEM_LOW, wlow)` read-only (page-aligned up). */
  protectBelow(wlow: number): void {
    const w = Math.min(this.memSize, Math.max(MEM_LOW, (wlow + 4095) & ~4095));
    this.wlow = w;
    this.wspan = this.memSize - w;
  }
}

/** Whether `[addr, addr + len)` is mapped guest memory. */
export function mapped(s: RiscvCpu, addr: number, len: number): boolean {
  const a = addr >>> 0;
  return a >= MEM_LOW && a + len <= s.memSize;
}

/**
 * Loads `size` bytes (1, 2 or 4) the slow way: misaligned or faulting.
 * Misaligned accesses succeed, as they do under qemu-riscv32 in user mode.
 */
export function loadSlow(
  s: RiscvCpu,
  addr: number,
  size: number,
  signed: boolean,
  pc: number,
): number {
  const a = addr >>> 0;
  if (!mapped(s, a, size)) {
    throw new GuestFault("segmentation fault", pc, a, "load");
  }
  const b = s.mu8;
  if (size === 1) return signed ? s.m8[a] : b[a];
  if (size === 2) {
    const v = b[a] | (b[a + 1] << 8);
    return signed ? (v << 16) >> 16 : v;
  }
  return b[a] | (b[a + 1] << 8) | (b[a + 2] << 16) | (b[a + 3] << 24);
}

/** Stores the low `size` bytes (1, 2 or 4) of `v` the slow way: misaligned or faulting. */
export function storeSlow(
  s: RiscvCpu,
  addr: number,
  size: number,
  v: number,
  pc: number,
): void {
  const a = addr >>> 0;
  if (!mapped(s, a, size) || a < s.wlow) {
    throw new GuestFault("segmentation fault", pc, a, "store");
  }
  const b = s.mu8;
  for (let k = 0; k < size; k++) b[a + k] = v >>> (8 * k);
}

/**
 * Throws the fault of an atomic access (`lr.w`, `sc.w`, `amo*.w`) at `addr`
 * that is misaligned (a bus error, SIGBUS, whatever the memory there is, as
 * under qemu-riscv32) or not mapped, or read-only for a `store`.
 */
export function atomicFault(addr: number, store: boolean, pc: number): never {
  if ((addr & 3) !== 0) {
    throw new GuestFault("bus error", pc, addr, "misaligned atomic access");
  }
  throw new GuestFault(
    "segmentation fault",
    pc,
    addr,
    store ? "atomic store" : "atomic load",
  );
}
