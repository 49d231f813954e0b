// String functions: Go's strings.Split, Join, ToUpper, ToLower, Contains, Replace,
// TrimSuffix, and path.Base / path.Dir, with Go's edge cases (see each function).

import { GoFuncValue, GoSlice, SLICE_STRING, T, type Value } from "../template/value.ts";
import { base, dir } from "../kv/go_path.ts";
import { goFunc, int, sig, sliceItems, str } from "./go_func.ts";
import { ALT, CASE_RANGES } from "./unicode_case_table.ts";

/**
 * Go strings.Split with n = -1: `split "" ","` is [""]; an empty sep splits into runes,
 * an invalid byte (a lone surrogate here) becoming U+FFFD as Go's explode does.
 */
export function goSplit(s: string, sep: string): string[] {
  if (sep === "") return Array.from(s, (ch) => (isLoneSurrogate(ch) ? "\ufffd" : ch));
  return s.split(sep);
}

function isLoneSurrogate(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return ch.length === 1 && c >= 0xd800 && c <= 0xdfff;
}

/** Go strings.Replace: n < 0 replaces all; an empty `old` inserts at every rune boundary. */
export function goReplace(s: string, old: string, repl: string, n: number): string {
  if (old === repl || n === 0) return s;
  const runes = old === "" ? Array.from(s) : [];
  const count = old === "" ? runes.length + 1 : s.split(old).length - 1;
  if (count === 0) return s;
  const limit = n < 0 || count < n ? count : n;
  if (old === "") {
    // Go writes `new` before each of the first `limit` runes (and at the end when all).
    let out = "";
    for (let i = 0; i < runes.length; i++) out += (i < limit ? repl : "") + runes[i];
    return limit > runes.length ? out + repl : out;
  }
  let out = "";
  let start = 0;
  for (let i = 0; i < limit; i++) {
    const j = s.indexOf(old, start);
    out += s.slice(start, j) + repl;
    start = j + old.length;
  }
  return out + s.slice(start);
}

/** Go unicode.ToUpper / ToLower for one rune, from Go 1.19's case table. */
function mapRune(r: number, upper: boolean): number {
  let lo = 0;
  let hi = CASE_RANGES.length / 4;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    const base = m * 4;
    if (r < CASE_RANGES[base]) hi = m;
    else if (r > CASE_RANGES[base + 1]) lo = m + 1;
    else {
      const du = CASE_RANGES[base + 2];
      if (du === ALT) {
        const isUpper = (r - CASE_RANGES[base]) % 2 === 0;
        if (upper) return isUpper ? r : r - 1;
        return isUpper ? r + 1 : r;
      }
      return r + (upper ? du : CASE_RANGES[base + 3]);
    }
  }
  return r;
}

function mapRunes(s: string, upper: boolean): string {
  let out = "";
  for (const ch of s) {
    const r = ch.codePointAt(0) as number;
    // strings.Map writes an invalid byte (a lone surrogate here) as U+FFFD.
    out += r >= 0xd800 && r <= 0xdfff ? "\ufffd" : String.fromCodePoint(mapRune(r, upper));
  }
  return out;
}

/** Go strings.ToUpper: simple per-rune mapping (`ß` stays `ß`, unlike JS's `SS`). */
export function goToUpper(s: string): string {
  return mapRunes(s, true);
}

/** Go strings.ToLower: simple per-rune mapping (`İ` becomes `i`, not `i̇`). */
export function goToLower(s: string): string {
  return mapRunes(s, false);
}

function strs(items: string[]): GoSlice {
  return new GoSlice(SLICE_STRING, items);
}

export function stringFuncs(): Map<string, GoFuncValue> {
  const S = T.string;
  const fns = [
    goFunc("base", sig([S]), (p) => base(str(p))),
    goFunc("dir", sig([S]), (p) => dir(str(p))),
    goFunc("split", sig([S, S], SLICE_STRING), (s, sep) => strs(goSplit(str(s), str(sep)))),
    goFunc("join", sig([SLICE_STRING, S]), (a, sep) => sliceItems(a).map(str).join(str(sep))),
    goFunc("toUpper", sig([S]), (s) => goToUpper(str(s))),
    goFunc("toLower", sig([S]), (s) => goToLower(str(s))),
    goFunc("contains", sig([S, S], T.bool), (s, sub) => str(s).includes(str(sub))),
    goFunc("replace", sig([S, S, S, T.int]), (s, o, r, n: Value) => {
      const count = int(n);
      // Beyond ±2^53 only the sign matters: no string has that many matches.
      const limit = count > 2n ** 53n ? Number.MAX_SAFE_INTEGER : Number(count < -1n ? -1n : count);
      return goReplace(str(s), str(o), str(r), limit);
    }),
    goFunc("trimSuffix", sig([S, S]), (s, suf) => {
      const v = str(s);
      const x = str(suf);
      return x !== "" && v.endsWith(x) ? v.slice(0, v.length - x.length) : v;
    }),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}
