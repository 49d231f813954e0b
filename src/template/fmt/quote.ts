// Go string and rune literals: strconv.Quote, QuoteToASCII, QuoteRune, QuoteRuneToASCII and
// CanBackquote, used by %q and %#v and by log lines that quote rendered output.

import { isPrint } from "./is_print.ts";
import { escapedByte, RUNE_ERROR, runeAt, validRune } from "./utf8.ts";

const LOWER_HEX = "0123456789abcdef";

/** strconv.Quote: a double-quoted Go string literal; non-printable runes are escaped. */
export function quote(s: string): string {
  return quoteWith(s, '"', false);
}

/** strconv.QuoteToASCII: like quote, but every non-ASCII rune is escaped too. */
export function quoteToASCII(s: string): string {
  return quoteWith(s, '"', true);
}

/** strconv.QuoteRune: a single-quoted Go rune literal; invalid runes become U+FFFD. */
export function quoteRune(r: number): string {
  return quoteRuneWith(r, false);
}

/** strconv.QuoteRuneToASCII. */
export function quoteRuneToASCII(r: number): string {
  return quoteRuneWith(r, true);
}

/**
 * strconv.CanBackquote: whether s can be a raw string literal (no backquote, no control
 * characters other than tab, no BOM, valid UTF-8).
 */
export function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length;) {
    const [r, units] = runeAt(s, i);
    if (r === 0xfeff) return false;
    if (r === RUNE_ERROR && units === 1 && escapedByte(s, i) !== undefined) return false; // not UTF-8
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f) return false;
    i += units;
  }
  return true;
}

function quoteWith(s: string, q: string, asciiOnly: boolean): string {
  // Fast path: printable ASCII without the quote or backslash needs no escapes.
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return q + s + q;
  let out = q;
  for (let i = 0; i < s.length;) {
    const [r, units] = runeAt(s, i);
    const b = r === RUNE_ERROR && units === 1 ? escapedByte(s, i) : undefined;
    // An invalid byte prints as \xNN.
    out += b !== undefined ? "\\x" + LOWER_HEX[b >> 4] + LOWER_HEX[b & 0xf] : escapedRune(r, q, asciiOnly);
    i += units;
  }
  return out + q;
}

function quoteRuneWith(r: number, asciiOnly: boolean): string {
  return "'" + escapedRune(validRune(r) ? r : RUNE_ERROR, "'", asciiOnly) + "'";
}

/** strconv.appendEscapedRune. */
function escapedRune(r: number, q: string, asciiOnly: boolean): string {
  if (r === q.charCodeAt(0) || r === 0x5c) return "\\" + String.fromCharCode(r);
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCharCode(r);
  } else if (isPrint(r)) {
    return String.fromCodePoint(r);
  }
  switch (r) {
    case 0x07:
      return "\\a";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x0b:
      return "\\v";
  }
  if (r < 0x20 || r === 0x7f) return "\\x" + LOWER_HEX[r >> 4] + LOWER_HEX[r & 0xf];
  if (!validRune(r)) r = RUNE_ERROR;
  if (r < 0x10000) return "\\u" + r.toString(16).padStart(4, "0");
  return "\\U" + r.toString(16).padStart(8, "0");
}
