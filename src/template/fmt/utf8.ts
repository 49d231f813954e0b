// UTF-8 views of JavaScript strings, as Go's unicode/utf8 sees them.
// Go strings are UTF-8 bytes and fmt counts widths in runes; our strings are UTF-16,
// so these helpers map between the two. Bytes that are not valid UTF-8 travel as lone
// surrogates U+DC80..U+DCFF (the engine's "surrogateescape", see ../go_bytes.ts): each is one
// invalid byte, one rune wide, written back as that byte. Any other lone surrogate cannot be
// encoded and becomes U+FFFD, as TextEncoder writes it.

import { decodeGoBytes, encodeGoBytes } from "../go_bytes.ts";

export const RUNE_ERROR = 0xfffd;
export const MAX_RUNE = 0x10ffff;

/** The Go bytes of s: UTF-8, with escaped invalid bytes restored. */
export function utf8Bytes(s: string): Uint8Array {
  return encodeGoBytes(s);
}

/** Go bytes as a string, invalid bytes escaped as lone surrogates. */
export function fromUtf8(b: Uint8Array): string {
  return decodeGoBytes(b);
}

/**
 * The invalid byte a lone surrogate at s[i] stands for, if it is one (U+DC80..U+DCFF);
 * callers check it only where runeAt reported a lone surrogate.
 */
export function escapedByte(s: string, i: number): number | undefined {
  const c = s.charCodeAt(i);
  return c >= 0xdc80 && c <= 0xdcff ? c - 0xdc00 : undefined;
}

/** utf8.RuneCountInString: code points, with each lone surrogate counting as one. */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * The rune starting at UTF-16 index i and how many code units it spans.
 * Lone surrogates decode as U+FFFD in one unit, as utf8.DecodeRune reports an invalid byte.
 */
export function runeAt(s: string, i: number): [rune: number, units: number] {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return [c, 1];
  if (c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return [((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000, 2];
  }
  return [RUNE_ERROR, 1];
}

/** utf8.ValidRune: in range and not a surrogate. */
export function validRune(r: number): boolean {
  return (r >= 0 && r < 0xd800) || (r > 0xdfff && r <= MAX_RUNE);
}

/** The text of one rune; invalid runes encode as U+FFFD, as utf8.EncodeRune does. */
export function runeString(r: number): string {
  return String.fromCodePoint(validRune(r) ? r : RUNE_ERROR);
}

/** s cut to its first n runes (fmt's truncateString). */
export function truncateRunes(s: string, n: number): string {
  let i = 0;
  while (i < s.length) {
    if (n-- <= 0) return s.slice(0, i);
    i += runeAt(s, i)[1];
  }
  return s;
}
