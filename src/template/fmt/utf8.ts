// UTF-8 views of JavaScript strings, as Go's unicode/utf8 sees them.
// Go strings are UTF-8 bytes and fmt counts widths in runes; our strings are UTF-16,
// so these helpers map between the two. A lone surrogate cannot be encoded in UTF-8:
// it becomes U+FFFD (what TextEncoder writes), one rune wide.

export const RUNE_ERROR = 0xfffd;
export const MAX_RUNE = 0x10ffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of s (lone surrogates become U+FFFD). */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8 bytes, invalid sequences becoming U+FFFD as in Go's string conversion of runes. */
export function fromUtf8(b: Uint8Array): string {
  return decoder.decode(b);
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
 * Lone surrogates decode as U+FFFD, as they would after a UTF-8 round trip.
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
