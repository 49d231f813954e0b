// The template escaping builtins `html`, `js` and `urlquery` (text/template's HTMLEscaper,
// JSEscaper and URLQueryEscaper). Their operands are joined as fmt.Sprint does, except that
// nil and missing values become the text "<no value>" (text/template's evalArgs).

import { isPrint } from "./fmt/is_print.ts";
import { sprint } from "./fmt/print.ts";
import { runeAt, utf8Bytes } from "./fmt/utf8.ts";
import type { Value } from "./value.ts";

const NO_VALUE = "<no value>";

/** evalArgs: a single string operand as is, otherwise the Sprint of the operands. */
export function evalArgs(args: readonly Value[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? NO_VALUE : a)));
}

/** Template builtin `html`: escapes < > & ' " and replaces NUL with U+FFFD. */
export function htmlEscaper(args: readonly Value[]): string {
  return htmlEscapeString(evalArgs(args));
}

/** Template builtin `js`: escapes text for use inside a JavaScript string literal. */
export function jsEscaper(args: readonly Value[]): string {
  return jsEscapeString(evalArgs(args));
}

/** Template builtin `urlquery`: url.QueryEscape of the text. */
export function urlQueryEscaper(args: readonly Value[]): string {
  return queryEscape(evalArgs(args));
}

const HTML_SPECIAL = /["&'<>\0]/;
const HTML_REPLACEMENTS: Readonly<Record<string, string>> = {
  "\0": "\uFFFD",
  '"': "&#34;",
  "'": "&#39;",
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

/** template.HTMLEscapeString. */
export function htmlEscapeString(s: string): string {
  if (!HTML_SPECIAL.test(s)) return s;
  return s.replace(/["&'<>\0]/g, (c) => HTML_REPLACEMENTS[c]);
}

const UPPER_HEX = "0123456789ABCDEF";

/** jsIsSpecial for one UTF-16 unit: everything non-ASCII needs a closer look. */
function jsIsSpecial(c: number): boolean {
  return c < 0x20 || c >= 0x80 || c === 0x5c || c === 0x27 || c === 0x22 || c === 0x3c || c === 0x3e ||
    c === 0x26 || c === 0x3d;
}

/** template.JSEscapeString. */
export function jsEscapeString(s: string): string {
  let i = 0;
  while (i < s.length && !jsIsSpecial(s.charCodeAt(i))) i++;
  if (i === s.length) return s;
  let out = s.slice(0, i);
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (!jsIsSpecial(c)) {
      out += s[i++];
      continue;
    }
    if (c < 0x80) {
      switch (c) {
        case 0x5c:
          out += "\\\\";
          break;
        case 0x27:
          out += "\\'";
          break;
        case 0x22:
          out += '\\"';
          break;
        case 0x3c:
          out += "\\u003C";
          break;
        case 0x3e:
          out += "\\u003E";
          break;
        case 0x26:
          out += "\\u0026";
          break;
        case 0x3d:
          out += "\\u003D";
          break;
        default:
          out += "\\u00" + UPPER_HEX[c >> 4] + UPPER_HEX[c & 0xf];
      }
      i++;
      continue;
    }
    const [r, units] = runeAt(s, i);
    // An invalid byte decodes as U+FFFD, which is printable, so Go copies the byte through.
    // %04X: at least four upper-case hex digits, more for runes beyond the BMP.
    out += isPrint(r) ? s.slice(i, i + units) : "\\u" + r.toString(16).toUpperCase().padStart(4, "0");
    i += units;
  }
  return out;
}

/** url.QueryEscape: keeps A-Z a-z 0-9 - _ . ~, turns space into +, and %XX-encodes other UTF-8 bytes. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8Bytes(s)) {
    if (
      (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) ||
      b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e
    ) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) {
      out += "+";
    } else {
      out += "%" + UPPER_HEX[b >> 4] + UPPER_HEX[b & 0xf];
    }
  }
  return out;
}
