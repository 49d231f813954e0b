// Go literal syntax for the template parser: strconv.Quote / Unquote / UnquoteChar,
// ParseInt / ParseUint with base 0, ParseFloat, as text/template's NumberNode needs them.
// Go strings are bytes; here a quoted string's \x and octal escapes are collected as
// UTF-8 bytes and decoded at the end, so "\xc3\xa9" is "é" as it prints in Go.

import { quote } from "./fmt/quote.ts";
import { decodeGoBytes } from "./go_bytes.ts";

const utf8Encoder = new TextEncoder();

/** strconv.ErrSyntax's text, which the parser reports as is. */
export const ERR_SYNTAX = "invalid syntax" as const;

/** A literal that strconv rejects; `message` is strconv's error text. */
export class LiteralError extends Error {
  override name = "LiteralError";
}

/** fmt's `%.Nq`: the first n runes of s, quoted. */
export function quoteTruncated(s: string, n: number): string {
  const runes = Array.from(s);
  return quote(runes.length > n ? runes.slice(0, n).join("") : s);
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** One decoded character: a rune, or a raw byte from \x / octal escapes. */
interface Unquoted {
  value: number;
  isByte: boolean;
  tail: number; // index after the character
}

/** strconv.UnquoteChar on s starting at i; throws LiteralError(ERR_SYNTAX). */
function unquoteCharAt(s: string, i: number, q: number): Unquoted {
  const c = s.codePointAt(i);
  if (c === undefined) throw new LiteralError(ERR_SYNTAX);
  if (c === q && (q === 0x27 || q === 0x22)) throw new LiteralError(ERR_SYNTAX);
  if (c !== 0x5c) return { value: c, isByte: false, tail: i + (c > 0xffff ? 2 : 1) };
  const e = s.charCodeAt(i + 1);
  if (Number.isNaN(e)) throw new LiteralError(ERR_SYNTAX);
  const simple: Record<number, number> = {
    0x61: 7,
    0x62: 8,
    0x66: 12,
    0x6e: 10,
    0x72: 13,
    0x74: 9,
    0x76: 11,
    0x5c: 0x5c,
  };
  if (e in simple) return { value: simple[e] as number, isByte: false, tail: i + 2 };
  if (e === 0x78 || e === 0x75 || e === 0x55) {
    const n = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const d = hexVal(s.charCodeAt(i + 2 + j));
      if (d < 0) throw new LiteralError(ERR_SYNTAX);
      v = v * 16 + d;
    }
    if (e === 0x78) return { value: v, isByte: true, tail: i + 2 + n };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new LiteralError(ERR_SYNTAX);
    return { value: v, isByte: false, tail: i + 2 + n };
  }
  if (e >= 0x30 && e <= 0x37) {
    let v = 0;
    for (let j = 0; j < 3; j++) {
      const d = s.charCodeAt(i + 1 + j) - 0x30;
      if (!(d >= 0 && d <= 7)) throw new LiteralError(ERR_SYNTAX);
      v = v * 8 + d;
    }
    if (v > 255) throw new LiteralError(ERR_SYNTAX);
    return { value: v, isByte: true, tail: i + 4 };
  }
  if ((e === 0x27 || e === 0x22) && e === q) return { value: e, isByte: false, tail: i + 2 };
  throw new LiteralError(ERR_SYNTAX);
}

/** strconv.Unquote for "..." and `...` literals (the lexer guarantees the delimiters). */
export function unquote(lit: string): string {
  const q = lit.charCodeAt(0);
  if (lit.length < 2 || lit.charCodeAt(lit.length - 1) !== q) throw new LiteralError(ERR_SYNTAX);
  const body = lit.slice(1, -1);
  if (q === 0x60) {
    if (body.includes("`")) throw new LiteralError(ERR_SYNTAX);
    return body.includes("\r") ? body.replaceAll("\r", "") : body;
  }
  if (q !== 0x22) throw new LiteralError(ERR_SYNTAX);
  if (body.includes("\n")) throw new LiteralError(ERR_SYNTAX);
  if (!body.includes("\\") && !body.includes('"')) return body;
  const bytes: number[] = [];
  for (let i = 0; i < body.length;) {
    const u = unquoteCharAt(body, i, q);
    if (u.isByte) bytes.push(u.value);
    else for (const b of utf8Encoder.encode(String.fromCodePoint(u.value))) bytes.push(b);
    i = u.tail;
  }
  return decodeGoBytes(bytes);
}

export function unquoteCharConstant(lit: string): number {
  const u = unquoteCharAt(lit, 1, 0x27);
  if (lit.slice(u.tail) !== "'") throw new LiteralError(`malformed character constant: ${lit}`);
  return u.value;
}

function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1] as string)) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= "0" && c <= "9") || (hex && hexVal(c.charCodeAt(0)) >= 0)) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

const MAX_UINT64 = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 0, 64); undefined when it fails (syntax or range). */
export function parseUint(s: string): bigint | undefined {
  if (s === "") return undefined;
  let base = 10n;
  let digits = s;
  if (s[0] === "0") {
    const p = s[1];
    if (s.length >= 3 && (p === "b" || p === "B")) [base, digits] = [2n, s.slice(2)];
    else if (s.length >= 3 && (p === "o" || p === "O")) [base, digits] = [8n, s.slice(2)];
    else if (s.length >= 3 && (p === "x" || p === "X")) [base, digits] = [16n, s.slice(2)];
    else [base, digits] = [8n, s.slice(1)];
  }
  let n = 0n;
  let underscores = false;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c === 0x5f) {
      underscores = true;
      continue;
    }
    const d = hexVal(c);
    if (d < 0 || BigInt(d) >= base) return undefined;
    n = n * base + BigInt(d);
    if (n > MAX_UINT64) return undefined;
  }
  if (underscores && !underscoreOK(s)) return undefined;
  return n;
}

/** strconv.ParseInt(s, 0, 64); undefined when it fails. */
export function parseInt64(s: string): bigint | undefined {
  if (s === "") return undefined;
  const neg = s[0] === "-";
  const body = s[0] === "+" || s[0] === "-" ? s.slice(1) : s;
  const u = parseUint(body);
  if (u === undefined) return undefined;
  if (neg ? u > 1n << 63n : u >= 1n << 63n) return undefined;
  return neg ? -u : u;
}

/** strconv.ParseFloat(s, 64) for the number shapes the lexer produces; undefined on error. */
export function parseFloat64(s: string): number | undefined {
  const f = parseFloatChecked(s);
  return typeof f === "number" ? f : undefined;
}

/** strconv.ParseFloat(s, 64): the value, or the text of strconv's error reason. */
function parseFloatChecked(s: string): number | "invalid syntax" | "value out of range" {
  let i = 0;
  let neg = false;
  if (s[i] === "+" || s[i] === "-") neg = s[i++] === "-";
  const hex = i + 2 < s.length && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X");
  if (hex) i += 2;
  const mantStart = i;
  let sawDot = false;
  let sawDigits = false;
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "_") continue;
    if (c === ".") {
      if (sawDot) break;
      sawDot = true;
      continue;
    }
    if ((c >= "0" && c <= "9") || (hex && hexVal(c.charCodeAt(0)) >= 0)) {
      sawDigits = true;
      continue;
    }
    break;
  }
  if (!sawDigits) return ERR_SYNTAX;
  const mantissa = s.slice(mantStart, i).replaceAll("_", "");
  let exp = 0;
  const expChar = hex ? "p" : "e";
  if (i < s.length && s[i]?.toLowerCase() === expChar) {
    i++;
    let esign = 1;
    if (s[i] === "+") i++;
    else if (s[i] === "-") (i++, esign = -1);
    if (!(i < s.length && s[i]! >= "0" && s[i]! <= "9")) return ERR_SYNTAX;
    let e = 0;
    for (; i < s.length && ((s[i]! >= "0" && s[i]! <= "9") || s[i] === "_"); i++) {
      if (s[i] !== "_" && e < 10000) e = e * 10 + (s.charCodeAt(i) - 0x30);
    }
    exp = e * esign;
  } else if (hex) {
    return ERR_SYNTAX;
  }
  if (i !== s.length) return ERR_SYNTAX;
  if (s.includes("_") && !underscoreOK(s)) return ERR_SYNTAX;
  const f = hex ? hexFloat(mantissa, exp) : Number(`${mantissa}e${exp}`);
  if (!Number.isFinite(f)) return "value out of range";
  return neg ? -f : f;
}

/** Exact hex float: mantissa digits (with optional '.') times 2^exp, rounded half to even. */
function hexFloat(mantissa: string, exp: number): number {
  const dot = mantissa.indexOf(".");
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const fracDigits = dot < 0 ? 0 : mantissa.length - dot - 1;
  let m = BigInt("0x0" + digits);
  let e = exp - 4 * fracDigits;
  if (m === 0n) return 0;
  const bits = m.toString(2).length;
  if (bits > 53) {
    const shift = BigInt(bits - 53);
    const half = 1n << (shift - 1n);
    const rem = m & ((1n << shift) - 1n);
    m >>= shift;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    e += Number(shift);
  }
  // Two steps keep intermediate powers of two finite near the exponent limits.
  const e1 = Math.trunc(e / 2);
  return Number(m) * 2 ** e1 * 2 ** (e - e1);
}

/** The part of s from i that fmt's floatToken accepts (sign, digits, '.', exponent). */
function floatTokenEnd(s: string, i: number): number {
  const accept = (set: string): boolean => {
    if (i < s.length && set.includes(s[i] as string)) {
      i++;
      return true;
    }
    return false;
  };
  accept("+-");
  let digits = "0123456789_";
  let exp = "eEpP";
  if (accept("0") && accept("xX")) {
    digits = "0123456789aAbBcCdDeEfF_";
    exp = "pP";
  }
  while (accept(digits));
  if (accept(".")) { while (accept(digits)); }
  if (accept(exp)) {
    accept("+-");
    while (accept("0123456789_"));
  }
  return i;
}

function scanFloat(token: string): number {
  const f = parseFloatChecked(token);
  if (typeof f !== "number") throw new LiteralError(`strconv.ParseFloat: parsing ${quote(token)}: ${f}`);
  return f;
}

/** fmt.Sscan of a complex literal like "1+2i" (the lexer's itemComplex), with fmt's errors. */
export function parseComplex(s: string): { re: number; im: number } {
  const realEnd = floatTokenEnd(s, 0);
  const sign = s[realEnd];
  if (sign !== "+" && sign !== "-") throw new LiteralError("syntax error scanning complex number");
  const imagEnd = floatTokenEnd(s, realEnd + 1);
  if (s[imagEnd] !== "i") throw new LiteralError("syntax error scanning complex number");
  return { re: scanFloat(s.slice(0, realEnd)), im: scanFloat(sign + s.slice(realEnd + 1, imagEnd)) };
}
