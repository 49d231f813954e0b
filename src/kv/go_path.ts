// Go's `path` package (slash-separated paths): Clean, Join, Base, Dir, Split and Match.
// The store, the function library and the resource pipeline (prefix joins) all depend on
// these exact rules, so they follow Go 1.19 step by step rather than node:path.

import { utf8Bytes } from "../template/fmt/utf8.ts";

/** Go's path.ErrBadPattern; its message is what templates print. */
export class BadPatternError extends Error {
  override name = "BadPatternError";
  constructor(readonly pattern: string) {
    super("syntax error in pattern");
  }
}

/**
 * Go path.Clean: the shortest equivalent path, by purely lexical processing
 * (collapse `//`, drop `.`, resolve `..` against earlier elements, no trailing `/`).
 */
export function clean(path: string): string {
  if (path === "") return ".";
  // Fast path: a rooted path that is already clean (every backend key, usually) comes back as is.
  if (isCleanRooted(path)) return path;
  const rooted = path[0] === "/";
  const n = path.length;
  // `out` plays Go's lazybuf: characters written so far, truncated by `..`.
  let out = rooted ? "/" : "";
  let r = rooted ? 1 : 0;
  let dotdot = rooted ? 1 : 0;
  while (r < n) {
    if (path[r] === "/") {
      r++;
    } else if (path[r] === "." && (r + 1 === n || path[r + 1] === "/")) {
      r++;
    } else if (path[r] === "." && path[r + 1] === "." && (r + 2 === n || path[r + 2] === "/")) {
      r += 2;
      if (out.length > dotdot) {
        let w = out.length - 1;
        while (w > dotdot && out[w] !== "/") w--;
        out = out.slice(0, w);
      } else if (!rooted) {
        out += out.length > 0 ? "/.." : "..";
        dotdot = out.length;
      }
    } else {
      if ((rooted && out.length !== 1) || (!rooted && out.length !== 0)) out += "/";
      const start = r;
      while (r < n && path[r] !== "/") r++;
      out += path.slice(start, r);
    }
  }
  return out === "" ? "." : out;
}

/** Go path.Join: non-empty elements joined by `/`, then cleaned; all empty gives "". */
export function join(...elems: string[]): string {
  let buf = "";
  let started = false;
  for (const e of elems) {
    if (!started && e === "") continue;
    buf = started ? `${buf}/${e}` : e;
    started = true;
  }
  return started ? clean(buf) : "";
}

/** True for "/" and for "/a/b" with no empty, "." or ".." element and no trailing slash. */
function isCleanRooted(path: string): boolean {
  if (path === "/") return true;
  if (path.charCodeAt(0) !== 47 || path.charCodeAt(path.length - 1) === 47) return false;
  return !path.includes("//") && !path.includes("/./") && !path.includes("/../") && !path.endsWith("/.") &&
    !path.endsWith("/..");
}

/** Go path.Split: everything up to and including the last `/`, and the rest. */
export function split(path: string): [dir: string, file: string] {
  const i = path.lastIndexOf("/");
  return [path.slice(0, i + 1), path.slice(i + 1)];
}

/** Go path.Base: the last element; `""` gives `.`, all slashes give `/`. */
export function base(path: string): string {
  if (path === "") return ".";
  let p = path;
  while (p.length > 0 && p[p.length - 1] === "/") p = p.slice(0, -1);
  p = p.slice(p.lastIndexOf("/") + 1);
  return p === "" ? "/" : p;
}

/** Go path.Dir: everything but the last element, cleaned. */
export function dir(path: string): string {
  return clean(split(path)[0]);
}

/** Go path.IsAbs. */
export function isAbs(path: string): boolean {
  return path.startsWith("/");
}

// ---------------------------------------------------------------------------
// Match works on UTF-8 bytes, as Go does: `*` retries at every byte offset, and a
// class or `?` decodes one rune (an invalid byte decodes as U+FFFD, width 1). Invalid
// bytes travel in strings as the engine's escaped lone surrogates (utf8Bytes restores them).

const SLASH = 0x2f;
const RUNE_ERROR = 0xfffd;

/** Go utf8.DecodeRune on b[i:]: [rune, width]; invalid input gives [U+FFFD, 1], empty [U+FFFD, 0]. */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const n = b.length - i;
  if (n <= 0) return [RUNE_ERROR, 0];
  const c0 = b[i];
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number): number => {
    const c = b[i + k];
    return c >= 0x80 && c <= 0xbf ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf && n >= 2) {
    const c1 = cont(1);
    if (c1 >= 0) return [((c0 & 0x1f) << 6) | c1, 2];
  } else if (c0 >= 0xe0 && c0 <= 0xef && n >= 3) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 >= 0 && c2 >= 0) {
      const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
      if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) return [r, 3];
    }
  } else if (c0 >= 0xf0 && c0 <= 0xf4 && n >= 4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
      const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (r >= 0x10000 && r <= 0x10ffff) return [r, 4];
    }
  }
  return [RUNE_ERROR, 1];
}

type Bytes = Uint8Array;

/**
 * Go path.Match: whether name matches the shell pattern. `*` matches any run of
 * non-`/` characters, `?` one non-`/` character, `[...]` a class (`^` negates, `a-z`
 * ranges), `\` escapes. Throws BadPatternError for a malformed pattern, but (as in Go)
 * only when the matcher gets far enough to see the malformed part.
 */
export function match(pattern: string, name: string): boolean {
  let pat: Bytes = utf8Bytes(pattern);
  let nm: Bytes = utf8Bytes(name);
  outer: while (pat.length > 0) {
    const [star, chunk, rest] = scanChunk(pat);
    pat = rest;
    if (star && chunk.length === 0) {
      // Trailing `*` matches the rest unless it contains a `/`.
      return !nm.includes(SLASH);
    }
    const first = matchChunk(chunk, nm, pattern);
    if (first !== undefined && (first.length === 0 || pat.length > 0)) {
      nm = first;
      continue;
    }
    if (star) {
      // Look for a match skipping i+1 bytes; the star may not cross a `/`.
      for (let i = 0; i < nm.length && nm[i] !== SLASH; i++) {
        const t = matchChunk(chunk, nm.subarray(i + 1), pattern);
        if (t !== undefined) {
          if (pat.length === 0 && t.length > 0) continue;
          nm = t;
          continue outer;
        }
      }
    }
    // No match: still report a malformed remainder of the pattern, as Go 1.19 does.
    while (pat.length > 0) {
      const [, c, r] = scanChunk(pat);
      pat = r;
      matchChunk(c, new Uint8Array(0), pattern);
    }
    return false;
  }
  return nm.length === 0;
}

/**
 * A matcher for one pattern, for matching it against many names (a store scan).
 * The shapes confd templates use almost always, a literal key and a literal prefix
 * with one trailing `*` (`/services/web/*`), skip the general matcher: they can
 * never be malformed, and they decide with one string comparison.
 */
export function compileMatch(pattern: string): (name: string) => boolean {
  const meta = /[*?[\\]/;
  if (!meta.test(pattern)) return (name) => name === pattern;
  const literal = pattern.slice(0, -1);
  if (pattern.endsWith("*") && !meta.test(literal)) {
    const n = literal.length;
    return (name) => name.startsWith(literal) && name.indexOf("/", n) === -1;
  }
  return (name) => match(pattern, name);
}

/** Splits off the leading stars and the chunk up to the next unbracketed `*`. */
function scanChunk(pattern: Bytes): [star: boolean, chunk: Bytes, rest: Bytes] {
  let p = pattern;
  let star = false;
  while (p.length > 0 && p[0] === 0x2a) {
    p = p.subarray(1);
    star = true;
  }
  let inrange = false;
  let i = 0;
  scan: for (; i < p.length; i++) {
    switch (p[i]) {
      case 0x5c: // backslash
        if (i + 1 < p.length) i++;
        break;
      case 0x5b: // [
        inrange = true;
        break;
      case 0x5d: // ]
        inrange = false;
        break;
      case 0x2a: // *
        if (!inrange) break scan;
        break;
    }
  }
  return [star, p.subarray(0, i), p.subarray(i)];
}

/**
 * Matches one chunk against the start of s: the rest of s on success, undefined on a
 * mismatch. Keeps scanning after a mismatch so a malformed chunk always throws.
 */
function matchChunk(chunk: Bytes, s: Bytes, pattern: string): Bytes | undefined {
  let c = chunk;
  let failed = false;
  while (c.length > 0) {
    if (!failed && s.length === 0) failed = true;
    switch (c[0]) {
      case 0x5b: { // [
        let r = 0;
        if (!failed) {
          const [rr, n] = decodeRune(s, 0);
          r = rr;
          s = s.subarray(n);
        }
        c = c.subarray(1);
        let negated = false;
        if (c.length > 0 && c[0] === 0x5e) { // ^
          negated = true;
          c = c.subarray(1);
        }
        let matched = false;
        let nrange = 0;
        for (;;) {
          if (c.length > 0 && c[0] === 0x5d && nrange > 0) {
            c = c.subarray(1);
            break;
          }
          const [lo, afterLo] = getEsc(c, pattern);
          c = afterLo;
          let hi = lo;
          if (c[0] === 0x2d) { // -
            const [h, afterHi] = getEsc(c.subarray(1), pattern);
            hi = h;
            c = afterHi;
          }
          if (lo <= r && r <= hi) matched = true;
          nrange++;
        }
        if (matched === negated) failed = true;
        break;
      }
      case 0x3f: // ?
        if (!failed) {
          if (s[0] === SLASH) failed = true;
          s = s.subarray(decodeRune(s, 0)[1]);
        }
        c = c.subarray(1);
        break;
      case 0x5c: // backslash: the next byte is literal
        c = c.subarray(1);
        if (c.length === 0) throw new BadPatternError(pattern);
        if (!failed) {
          if (c[0] !== s[0]) failed = true;
          s = s.subarray(1);
        }
        c = c.subarray(1);
        break;
      default:
        if (!failed) {
          if (c[0] !== s[0]) failed = true;
          s = s.subarray(1);
        }
        c = c.subarray(1);
    }
  }
  return failed ? undefined : s;
}

/** One possibly escaped character of a class, and what follows it. */
function getEsc(chunk: Bytes, pattern: string): [number, Bytes] {
  let c = chunk;
  if (c.length === 0 || c[0] === 0x2d || c[0] === 0x5d) throw new BadPatternError(pattern);
  if (c[0] === 0x5c) {
    c = c.subarray(1);
    if (c.length === 0) throw new BadPatternError(pattern);
  }
  const [r, n] = decodeRune(c, 0);
  if (r === RUNE_ERROR && n === 1) throw new BadPatternError(pattern);
  const next = c.subarray(n);
  if (next.length === 0) throw new BadPatternError(pattern);
  return [r, next];
}
