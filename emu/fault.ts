/**
 * Guest faults: what the emulator raises when the guest does something a
 * real CPU would trap on, reported the way qemu-riscv32 reports it.
 *
 * @module
 */

/** The kinds of fault, with the host signal Linux would deliver. */
export const FAULT_SIGNALS = {
  "segmentation fault": 11,
  "illegal instruction": 4,
  "breakpoint": 5,
  "bus error": 7,
} as const;

/** A kind of guest fault. */
export type FaultKind = keyof typeof FAULT_SIGNALS;

/**
 * A guest fault. Thrown from an oplet (memory faults) or raised by the
 * execution loop (illegal instruction, breakpoint); caught by `cpuExec`,
 * never escaping to the user as a JavaScript exception.
 */
export class GuestFault {
  /** What happened. */
  readonly kind: FaultKind;
  /** The guest pc of the faulting instruction. */
  readonly pc: number;
  /** The faulting address, or the instruction word for an illegal instruction. */
  readonly addr: number;
  /** A short note, e.g. "load" or "store". */
  readonly access: string;

  /** Records a fault; see the fields for the meaning of each argument. */
  constructor(kind: FaultKind, pc: number, addr: number, access: string) {
    this.kind = kind;
    this.pc = pc >>> 0;
    this.addr = addr >>> 0;
    this.access = access;
  }

  /** The signal a Linux process would die of. */
  get signal(): number {
    return FAULT_SIGNALS[this.kind];
  }

  /** The exit code a shell would report, as qemu-riscv32 gives it: 128 + signal. */
  get exitCode(): number {
    return 128 + this.signal;
  }

  /** The one-line message printed on stderr. */
  message(): string {
    const hex = (n: number) => "0x" + n.toString(16).padStart(8, "0");
    if (this.kind === "illegal instruction") {
      // A compressed (16-bit) instruction is shown as its 4 hex digits.
      const word = (this.addr & 3) === 3
        ? hex(this.addr)
        : "0x" + this.addr.toString(16).padStart(4, "0");
      return `oplet-emu: illegal instruction ${word} at pc ${hex(this.pc)}`;
    }
    if (this.kind === "breakpoint") {
      return `oplet-emu: breakpoint (ebreak) at pc ${hex(this.pc)}`;
    }
    return `oplet-emu: ${this.kind} at pc ${
      hex(this.pc)
    }: ${this.access} of address ${hex(this.addr)}`;
  }
}
