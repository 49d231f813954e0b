// Go strings are bytes; ours are UTF-16. Bytes that are not valid UTF-8 ("\xff")
// travel through JS strings as lone surrogates U+DC80..U+DCFF (Python's
// "surrogateescape"), so that index, len, slice, printing and sorting can give back
// Go's original bytes. This module is that convention, in one place.

const utf8Encoder = new TextEncoder();

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes bytes as UTF-8, mapping each invalid byte b to the lone surrogate U+DC00+b. */
export function decodeGoBytes(bytes: ArrayLike<number>): string {
  // Valid UTF-8 (nearly always) decodes natively, to the same code points; a BOM is kept as Go keeps it.
  if (bytes instanceof Uint8Array) {
    try {
      return STRICT_UTF8.decode(bytes);
    } catch {
      // Not UTF-8: each invalid byte becomes its own lone surrogate, below.
    }
  }
  let out = "";
  for (let i = 0; i < bytes.length;) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    const n = b0 >= 0xf0 && b0 <= 0xf4 ? 4 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xc2 && b0 <= 0xdf ? 2 : 0;
    let r = n === 2 ? b0 & 0x1f : n === 3 ? b0 & 0x0f : b0 & 0x07;
    let ok = n > 0 && i + n <= bytes.length;
    for (let k = 1; ok && k < n; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) ok = false;
      r = (r << 6) | (c & 0x3f);
    }
    const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
    if (ok && r >= min && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff)) {
      out += String.fromCodePoint(r);
      i += n;
    } else {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
    }
  }
  return out;
}

/** The Go bytes of a string: UTF-8, with escaped lone surrogates U+DC80..U+DCFF as raw bytes. */
export function encodeGoBytes(s: string): Uint8Array {
  if (!/[\uDC80-\uDCFF]/.test(s)) return utf8Encoder.encode(s);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
    if (c >= 0xdc80 && c <= 0xdcff && !(prev >= 0xd800 && prev <= 0xdbff)) {
      out.push(c - 0xdc00);
      continue;
    }
    const cp = s.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    for (const b of utf8Encoder.encode(String.fromCodePoint(cp))) out.push(b);
  }
  return new Uint8Array(out);
}

/** A character constant 'x' as its rune value; Go's NumberNode error texts. */

/** UTF-8 byte length of a JS string (for Go byte offsets and lengths). */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
