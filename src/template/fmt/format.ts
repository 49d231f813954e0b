// The raw formatter behind Sprintf (Go's fmt/format.go): flags, width and precision, and
// the padded output of integers, floats, strings, runes and booleans into a string buffer.
// Widths and precisions count runes, as in Go.

import { formatFloat } from "./ftoa.ts";
import { isPrint } from "./is_print.ts";
import { canBackquote, quote, quoteRune, quoteRuneToASCII, quoteToASCII } from "./quote.ts";
import { MAX_RUNE, RUNE_ERROR, runeCount, runeString, truncateRunes, utf8Bytes } from "./utf8.ts";

export const LOWER_DIGITS = "0123456789abcdefx";
export const UPPER_DIGITS = "0123456789ABCDEFX";

const UINT64_MASK = (1n << 64n) - 1n;

/** Go's fmt struct: the per-verb flags and the output buffer. */
export class Fmt {
  buf = "";

  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  // %+v and %#v set these and clear plus/sharp: they are different, flagless formats.
  plusV = false;
  sharpV = false;

  wid = 0;
  prec = 0;

  clearflags(): void {
    this.widPresent = false;
    this.precPresent = false;
    this.minus = false;
    this.plus = false;
    this.sharp = false;
    this.space = false;
    this.zero = false;
    this.plusV = false;
    this.sharpV = false;
    this.wid = 0;
    this.prec = 0;
  }

  /** writePadding: n pad characters (zeros with the 0 flag). */
  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero ? "0" : " ").repeat(n);
  }

  /** pad: s padded on the left, or on the right with the - flag. */
  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? "true" : "false");
  }

  /** fmtUnicode: "U+0078", or with # "U+0078 'x'". u is the value as a uint64. */
  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let s = "U+" + u.toString(16).toUpperCase().padStart(prec, "0");
    if (this.sharp && u <= BigInt(MAX_RUNE) && isPrint(Number(u))) {
      s += " '" + runeString(Number(u)) + "'";
    }
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /**
   * fmtInteger: v formatted in base with sign, precision or zero padding, and prefixes.
   * v is the mathematical value; unsigned callers pass it non-negative.
   */
  fmtInteger(v: bigint, base: 2 | 8 | 10 | 16, verb: string, digits: string): void {
    const negative = v < 0n;
    const u = negative ? -v : v;
    // Two ways to ask for leading zeros: %.3d or %03d. With both, the zero flag is ignored.
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      // Precision 0 and value 0 means "print nothing" but padding.
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--; // leave room for the sign
    }
    let s = u.toString(base);
    if (digits === UPPER_DIGITS) s = s.toUpperCase();
    if (prec > s.length) s = "0".repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = "0b" + s;
      else if (base === 8 && s[0] !== "0") s = "0" + s;
      else if (base === 16) s = "0" + digits[16] + s;
    }
    if (verb === "O") s = "0o" + s;
    if (negative) s = "-" + s;
    else if (this.plus) s = "+" + s;
    else if (this.space) s = " " + s;
    // Zero padding was handled like a precision above (or is ignored because of one).
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /** fmtS: a string cut to the precision (in runes), then padded. */
  fmtS(s: string): void {
    if (this.precPresent) s = truncateRunes(s, this.prec);
    this.pad(s);
  }

  /** fmtSbx: the hex encoding of bytes (a string's UTF-8, or a byte slice); % x spaces them. */
  fmtSbx(b: Uint8Array, digits: string): void {
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    // The width of the encoding, given the # and space flags.
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2; // each byte gets its own 0x
        width += length - 1;
      } else if (this.sharp) {
        width += 2;
      }
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = this.sharp ? "0" + digits[16] : "";
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += " ";
        if (this.sharp) out += "0" + digits[16];
      }
      const c = b[i];
      out += digits[c >> 4] + digits[c & 0xf];
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtSx(s: string, digits: string): void {
    this.fmtSbx(utf8Bytes(s), digits);
  }

  /** fmtQ: a double-quoted Go string, or with # a raw backquoted one when possible. */
  fmtQ(s: string): void {
    if (this.precPresent) s = truncateRunes(s, this.prec);
    if (this.sharp && canBackquote(s)) {
      this.pad("`" + s + "`");
      return;
    }
    this.pad(this.plus ? quoteToASCII(s) : quote(s));
  }

  /** fmtC: the integer as a character; invalid code points print U+FFFD. c is a uint64. */
  fmtC(c: bigint): void {
    this.pad(runeString(c > BigInt(MAX_RUNE) ? RUNE_ERROR : Number(c)));
  }

  /** fmtQc: the integer as a single-quoted Go character literal. c is a uint64. */
  fmtQc(c: bigint): void {
    const r = c > BigInt(MAX_RUNE) ? RUNE_ERROR : Number(c);
    this.pad(this.plus ? quoteRuneToASCII(r) : quoteRune(r));
  }

  /** fmtFloat: verb is a strconv format ('e', 'f', 'g', 'b', 'x', ...); prec -1 means shortest. */
  fmtFloat(v: number, size: 32 | 64, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb, prec, size);
    // Give every number a sign, then decide below whether to show it.
    if (num[0] !== "-" && num[0] !== "+") num = "+" + num;
    // The space flag means a leading space instead of "+", unless + is also given.
    if (this.space && num[0] === "+" && !this.plus) num = " " + num.slice(1);
    // Infinities and NaN are not padded with zeros.
    if (num[1] === "I" || num[1] === "N") {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === "N" && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    // The sharp flag forces a decimal point and keeps trailing zeros for non-binary formats.
    if (this.sharp && verb !== "b") {
      num = sharpFloat(num, verb, prec);
    }
    // Show the sign if asked for or negative.
    if (this.plus || num[0] !== "+") {
      // With zero padding the sign goes before the zeros.
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }
}

/** The # flag on floats: a decimal point always, and %g's trailing zeros restored. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === "v" || verb === "g" || verb === "G" || verb === "x") {
    digits = prec === -1 ? 6 : prec;
  }
  // The exponent ("e+123", "p-1022") is set aside and appended at the end.
  let tail = "";
  let hasDecimalPoint = false;
  let sawNonzeroDigit = false;
  for (let i = 1; i < num.length; i++) {
    const c = num[i];
    if (c === ".") {
      hasDecimalPoint = true;
      continue;
    }
    if (c === "p" || c === "P" || ((c === "e" || c === "E") && verb !== "x" && verb !== "X")) {
      tail = num.slice(i);
      num = num.slice(0, i);
      break;
    }
    if (c !== "0") sawNonzeroDigit = true;
    // Count significant digits after the first non-zero digit.
    if (sawNonzeroDigit) digits--;
  }
  if (!hasDecimalPoint) {
    // A lone leading 0 counts once as a digit.
    if (num.length === 2 && num[1] === "0") digits--;
    num += ".";
  }
  if (digits > 0) num += "0".repeat(digits);
  return num + tail;
}

/** The value as Go's uint64 conversion sees it (two's complement for negatives). */
export function asUint64(v: bigint): bigint {
  return v & UINT64_MASK;
}
