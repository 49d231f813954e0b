// fmt.Sprintf (Go's doPrintf): walks the format, parsing flags, width, precision and
// explicit argument indexes (%[2]d, %*d), and hands each verb and operand to the printer.
// Mistakes are printed inline as Go does: %!d(MISSING), %!(EXTRA ...), %!(NOVERB), ...

import { GoInt, type Value } from "../value.ts";
import { Printer, typeString } from "./print.ts";
import { runeAt } from "./utf8.ts";

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly Value[]): string {
  return new Formatter(format, args).run();
}

/** Widths and precisions beyond this are treated as absent (Go's tooLarge). */
const MAX_NUM = 1e6;

function tooLarge(x: number): boolean {
  return x > MAX_NUM || x < -MAX_NUM;
}

interface Num {
  num: number;
  isnum: boolean;
  newi: number;
}

/** parsenum: the decimal number at format[start:end], if any. */
function parsenum(s: string, start: number, end: number): Num {
  if (start >= end) return { num: 0, isnum: false, newi: end };
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    if (tooLarge(num)) return { num: 0, isnum: false, newi: end }; // crazy long number
    num = num * 10 + (c - 0x30);
    isnum = true;
  }
  return { num, isnum, newi: i };
}

/** intFromArg: an integer operand used as a * width or precision. */
function intFromArg(a: readonly Value[], argNum: number): { num: number; isInt: boolean; newArgNum: number } {
  if (argNum >= a.length) return { num: 0, isInt: false, newArgNum: argNum };
  const v = a[argNum];
  let num = 0;
  let isInt = false;
  if (typeof v === "bigint") {
    num = Number(v);
    isInt = true;
  } else if (v instanceof GoInt && v.value <= 0x7fffffffffffffffn) {
    // Signed kinds always fit; unsigned ones only up to the int range.
    num = Number(v.value);
    isInt = true;
  }
  if (tooLarge(num)) {
    num = 0;
    isInt = false;
  }
  return { num, isInt, newArgNum: argNum + 1 };
}

/** One Sprintf call: Go's pp fields that only doPrintf uses. */
class Formatter {
  private readonly p = new Printer();
  /** Whether the format used an explicit index ([n]); then EXTRA is not reported. */
  private reordered = false;
  /** Whether the last explicit index was valid. */
  private goodArgNum = true;

  constructor(
    private readonly format: string,
    private readonly args: readonly Value[],
  ) {}

  /**
   * argNumber: the operand to use next, either argNum or the bracketed index at format[i],
   * and the new position in the format.
   */
  private argNumber(argNum: number, i: number): { argNum: number; i: number; found: boolean } {
    const format = this.format;
    if (format.length <= i || format[i] !== "[") return { argNum, i, found: false };
    this.reordered = true;
    const { index, wid, ok } = parseArgNumber(format, i);
    if (ok && index >= 0 && index < this.args.length) return { argNum: index, i: i + wid, found: true };
    this.goodArgNum = false;
    return { argNum, i: i + wid, found: ok };
  }

  run(): string {
    const { p, format, args } = this;
    const f = p.fmt;
    const end = format.length;
    let argNum = 0; // one operand per verb, unless indexes say otherwise
    let afterIndex = false; // the previous item in the format was an index like [3]
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format.charCodeAt(i) !== 0x25) i++;
      if (i > lasti) f.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++; // skip %

      f.clearflags();
      simpleFormat: for (; i < end; i++) {
        const c = format[i];
        switch (c) {
          case "#":
            f.sharp = true;
            break;
          case "0":
            f.zero = !f.minus; // only pad with zeros on the left
            break;
          case "+":
            f.plus = true;
            break;
          case "-":
            f.minus = true;
            f.zero = false;
            break;
          case " ":
            f.space = true;
            break;
          default:
            // Fast path: a lower-case ASCII verb with only flags before it.
            if (c >= "a" && c <= "z" && argNum < args.length) {
              if (c === "v") this.setV();
              p.printArg(args[argNum], c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simpleFormat;
        }
      }

      // An explicit argument index?
      ({ argNum, i, found: afterIndex } = this.argNumber(argNum, i));

      // A width?
      if (i < end && format[i] === "*") {
        i++;
        const w = intFromArg(args, argNum);
        f.wid = w.num;
        f.widPresent = w.isInt;
        argNum = w.newArgNum;
        if (!f.widPresent) f.buf += "%!(BADWIDTH)";
        // A negative width means left alignment.
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
          f.zero = false;
        }
        afterIndex = false;
      } else {
        const n = parsenum(format, i, end);
        f.wid = n.num;
        f.widPresent = n.isnum;
        i = n.newi;
        if (afterIndex && f.widPresent) this.goodArgNum = false; // "%[3]2d"
      }

      // A precision?
      if (i + 1 < end && format[i] === ".") {
        i++;
        if (afterIndex) this.goodArgNum = false; // "%[3].2d"
        ({ argNum, i, found: afterIndex } = this.argNumber(argNum, i));
        if (i < end && format[i] === "*") {
          i++;
          const pr = intFromArg(args, argNum);
          f.prec = pr.num;
          f.precPresent = pr.isInt;
          argNum = pr.newArgNum;
          // A negative precision makes no sense.
          if (f.prec < 0) {
            f.prec = 0;
            f.precPresent = false;
          }
          if (!f.precPresent) f.buf += "%!(BADPREC)";
          afterIndex = false;
        } else {
          const n = parsenum(format, i, end);
          f.prec = n.num;
          f.precPresent = n.isnum;
          i = n.newi;
          if (!f.precPresent) {
            f.prec = 0;
            f.precPresent = true;
          }
        }
      }

      if (!afterIndex) ({ argNum, i, found: afterIndex } = this.argNumber(argNum, i));

      if (i >= end) {
        f.buf += "%!(NOVERB)";
        break;
      }

      const [r, units] = runeAt(format, i);
      const verb = String.fromCodePoint(r);
      i += units;

      if (verb === "%") {
        // %% does not use an operand and ignores width and precision.
        f.buf += "%";
      } else if (!this.goodArgNum) {
        f.buf += "%!" + verb + "(BADINDEX)";
      } else if (argNum >= args.length) {
        f.buf += "%!" + verb + "(MISSING)";
      } else {
        if (verb === "v") this.setV();
        p.printArg(args[argNum], verb);
        argNum++;
      }
    }

    // Report unused operands, unless indexes made that too hard to tell.
    if (!this.reordered && argNum < args.length) {
      f.clearflags();
      f.buf += "%!(EXTRA ";
      for (let j = argNum; j < args.length; j++) {
        if (j > argNum) f.buf += ", ";
        const arg = args[j];
        if (arg === null || arg === undefined) {
          f.buf += "<nil>";
        } else {
          f.buf += typeString(arg) + "=";
          p.printArg(arg, "v");
        }
      }
      f.buf += ")";
    }
    return f.buf;
  }

  /** %#v and %+v are their own formats: move # and + to sharpV and plusV. */
  private setV(): void {
    const f = this.p.fmt;
    f.sharpV = f.sharp;
    f.sharp = false;
    f.plusV = f.plus;
    f.plus = false;
  }
}

/**
 * parseArgNumber: the bracketed number at format[start], minus one (indexes are
 * one-based), how many characters it spans, and whether it parsed.
 */
function parseArgNumber(format: string, start: number): { index: number; wid: number; ok: boolean } {
  // At least 3 characters: [n].
  if (format.length - start < 3) return { index: 0, wid: 1, ok: false };
  for (let i = start + 1; i < format.length; i++) {
    if (format[i] === "]") {
      const n = parsenum(format, start + 1, i);
      if (!n.isnum || n.newi !== i) return { index: 0, wid: i - start + 1, ok: false };
      return { index: n.num - 1, wid: i - start + 1, ok: true };
    }
  }
  return { index: 0, wid: 1, ok: false };
}
