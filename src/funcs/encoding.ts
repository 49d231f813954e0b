// base64Encode / base64Decode: Go's encoding/base64 StdEncoding (padded, standard
// alphabet). Decoding is strict about padding and reports Go's error offsets; CR and
// LF anywhere are skipped, as Go does.

import { GoError, GoFuncValue } from "../template/value.ts";
import { goFunc, sig, str } from "./go_func.ts";
import { fromUtf8, utf8Bytes } from "../template/fmt/utf8.ts";
import { T } from "../template/value.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d;
const CR = 0x0d;
const LF = 0x0a;

export function goBase64Encode(s: string): string {
  const bytes = utf8Bytes(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function corrupt(offset: number): never {
  throw new GoError(`illegal base64 data at input byte ${offset}`);
}

/** Go's decodeQuantum: decodes one 4-character group starting at si; returns [next si, bytes]. */
function decodeQuantum(src: Uint8Array, start: number, out: number[]): number {
  const dbuf = [0, 0, 0, 0];
  let si = start;
  let dlen = 4;
  let trailing = -1;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return si;
      corrupt(si - j); // StdEncoding pads, so a short final group is always an error
    }
    const c = src[si++];
    if (DECODE[c] >= 0) {
      dbuf[j] = DECODE[c];
      continue;
    }
    if (c === LF || c === CR) {
      j--;
      continue;
    }
    if (c !== PAD) corrupt(si - 1);
    // Padding: only after 2 or 3 characters, and "==" after 2.
    if (j < 2) corrupt(si - 1);
    if (j === 2) {
      while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
      if (si === src.length) corrupt(src.length);
      if (src[si] !== PAD) corrupt(si - 1);
      si++;
    }
    while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
    if (si < src.length) trailing = si;
    dlen = j;
    break;
  }
  const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
  const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
  out.push(...bytes.slice(0, dlen - 1));
  if (trailing >= 0) corrupt(trailing);
  return si;
}

/** Go's StdEncoding.DecodeString, as bytes. Throws GoError with Go's offset. */
export function decodeBase64Bytes(s: string): Uint8Array {
  const src = utf8Bytes(s);
  const out: number[] = [];
  let si = 0;
  while (si < src.length) si = decodeQuantum(src, si, out);
  return new Uint8Array(out);
}

/** base64Decode: the decoded bytes as a Go string (non-UTF-8 bytes travel escaped, see utf8.ts). */
export function goBase64Decode(s: string): string {
  return fromUtf8(decodeBase64Bytes(s));
}

export function encodingFuncs(): Map<string, GoFuncValue> {
  const fns = [
    goFunc("base64Encode", sig([T.string]), (s) => goBase64Encode(str(s))),
    goFunc("base64Decode", sig([T.string], T.string, { returnsError: true }), (s) => goBase64Decode(str(s))),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}
