/**
 * Disassembly of the F and D instructions, for `--log in_asm`; used by
 * `disas.ts`.
 *
 * @module
 */

import { funct3, immI, immS, OPC, rd, rs1, rs2, rs3 } from "./decode.ts";

/** ABI names of the 32 float registers. */
export const FREG_NAMES: readonly string[] = [
  ..."ft0 ft1 ft2 ft3 ft4 ft5 ft6 ft7 fs0 fs1".split(" "),
  ..."fa0 fa1 fa2 fa3 fa4 fa5 fa6 fa7".split(" "),
  ..."fs2 fs3 fs4 fs5 fs6 fs7 fs8 fs9 fs10 fs11".split(" "),
  ..."ft8 ft9 ft10 ft11".split(" "),
];

const RM = ["rne", "rtz", "rdn", "rup", "rmm", "", "", ""];
const FMA = { 0x43: "fmadd", 0x47: "fmsub", 0x4b: "fnmsub", 0x4f: "fnmadd" };

/**
 * The assembly text of floating-point instruction `w`, or null when it is
 * not one (or is illegal). `x` names the integer registers. A static
 * rounding mode is shown as a last operand, as GNU objdump shows it.
 *
 * @example
 * ```ts
 * import { disassemble } from "@oplet/emu";
 * console.log(disassemble(0x02b57553, 0x10000)); // "fadd.d fa0, fa0, fa1"
 * ```
 */
export function disassembleFp(w: number, x: readonly string[]): string | null {
  const f = FREG_NAMES;
  const op = w & 0x7f, f3 = funct3(w);
  const d = rd(w), a = rs1(w), b = rs2(w);
  const rm = f3 === 7 ? "" : RM[f3] === "" ? null : `, ${RM[f3]}`;
  if (op === OPC.LOAD_FP) {
    if (f3 !== 2 && f3 !== 3) return null;
    return `${f3 === 2 ? "flw" : "fld"} ${f[d]}, ${immI(w)}(${x[a]})`;
  }
  if (op === OPC.STORE_FP) {
    if (f3 !== 2 && f3 !== 3) return null;
    return `${f3 === 2 ? "fsw" : "fsd"} ${f[b]}, ${immS(w)}(${x[a]})`;
  }
  const fmt = (w >>> 25) & 3;
  if (fmt > 1 || rm === null) {
    if (fmt > 1 || (op !== OPC.OP_FP)) return null;
  }
  const sfx = fmt ? ".d" : ".s";
  const fma = FMA[op as keyof typeof FMA];
  if (fma) return `${fma}${sfx} ${f[d]}, ${f[a]}, ${f[b]}, ${f[rs3(w)]}${rm}`;
  if (op !== OPC.OP_FP) return null;
  const f5 = w >>> 27;
  const arith = ["fadd", "fsub", "fmul", "fdiv"][f5];
  if (arith && rm !== null) {
    return `${arith}${sfx} ${f[d]}, ${f[a]}, ${f[b]}${rm}`;
  }
  switch (f5) {
    case 0x0b:
      return b === 0 && rm !== null
        ? `fsqrt${sfx} ${f[d]}, ${f[a]}${rm}`
        : null;
    case 0x04: {
      const n = ["fsgnj", "fsgnjn", "fsgnjx"][f3];
      return n ? `${n}${sfx} ${f[d]}, ${f[a]}, ${f[b]}` : null;
    }
    case 0x05: {
      const n = ["fmin", "fmax"][f3];
      return n ? `${n}${sfx} ${f[d]}, ${f[a]}, ${f[b]}` : null;
    }
    case 0x08:
      return b === 1 - fmt && rm !== null
        ? `fcvt${sfx}${fmt ? ".s" : ".d"} ${f[d]}, ${f[a]}${rm}`
        : null;
    case 0x14: {
      const n = ["fle", "flt", "feq"][f3];
      return n ? `${n}${sfx} ${x[d]}, ${f[a]}, ${f[b]}` : null;
    }
    case 0x18:
      return b < 2 && rm !== null
        ? `fcvt.${b ? "wu" : "w"}${sfx} ${x[d]}, ${f[a]}${rm}`
        : null;
    case 0x1a:
      return b < 2 && rm !== null
        ? `fcvt${sfx}.${b ? "wu" : "w"} ${f[d]}, ${x[a]}${rm}`
        : null;
    case 0x1c:
      if (b !== 0) return null;
      if (f3 === 1) return `fclass${sfx} ${x[d]}, ${f[a]}`;
      return f3 === 0 && fmt === 0 ? `fmv.x.w ${x[d]}, ${f[a]}` : null;
    case 0x1e:
      return b === 0 && f3 === 0 && fmt === 0
        ? `fmv.w.x ${f[d]}, ${x[a]}`
        : null;
    default:
      return null;
  }
}
