// The key/value snapshot a template renders from, with confd's memkv semantics:
// exact-string lookups, path.Match globs sorted by key, and the ls/lsdir listing
// rules (quirks included, except the two deliberate fixes noted on ls and lsdir).

import { base, clean, compileMatch, dir, join } from "./go_path.ts";
import { sortByString, sortStrings } from "../template/value.ts";

export interface KVPair {
  key: string;
  value: string;
}

/** Thrown by get/getv for a missing key; the message is memkv's KeyError text. */
export class KeyNotFoundError extends Error {
  override name = "KeyNotFoundError";
  constructor(readonly key: string) {
    super(`key does not exist: ${key}`);
  }
}

export class KVStore {
  readonly #m = new Map<string, KVPair>();

  /** Stores each pair under its key exactly as given (no cleaning); later pairs win. */
  constructor(pairs?: Iterable<readonly [string, string]>) {
    if (pairs) { for (const [k, v] of pairs) this.set(k, v); }
  }

  /**
   * confd's populate step (§5.1 step 3): each backend key k is stored under
   * path.Join("/", strings.TrimPrefix(k, prefix)). When several backend keys clean to
   * the same store key, confd's winner is random (Go map order); here the backend key
   * that sorts last (bytewise) wins, so the same data always renders the same bytes.
   */
  static fromBackend(values: ReadonlyMap<string, string>, prefix: string): KVStore {
    const store = new KVStore();
    const keys = sortStrings([...values.keys()]);
    for (const k of keys) {
      const trimmed = prefix !== "" && k.startsWith(prefix) ? k.slice(prefix.length) : k;
      store.set(join("/", trimmed), values.get(k) as string);
    }
    return store;
  }

  get size(): number {
    return this.#m.size;
  }

  set(key: string, value: string): void {
    this.#m.set(key, { key, value });
  }

  /** All pairs, sorted by key. */
  entries(): KVPair[] {
    return sortByString([...this.#m.values()], (kv) => kv.key);
  }

  /** The pair stored under exactly `key` (no cleaning: `/a/` is not `/a`). */
  get(key: string): KVPair | undefined {
    return this.#m.get(key);
  }

  /** memkv Exists: true only for a stored key, never for a "directory". */
  exists(key: string): boolean {
    return this.#m.has(key);
  }

  /** memkv GetValue: the value; a missing key gives the first default, else throws KeyNotFoundError. */
  getv(key: string, ...defaults: string[]): string {
    const kv = this.#m.get(key);
    if (kv !== undefined) return kv.value;
    if (defaults.length > 0) return defaults[0];
    throw new KeyNotFoundError(key);
  }

  /**
   * memkv GetAll: pairs whose key matches the path.Match pattern, sorted by key.
   * A malformed pattern throws BadPatternError, but only if some stored key makes the
   * matcher reach the bad part (an empty store never throws), as in memkv.
   */
  gets(pattern: string): KVPair[] {
    const matches = compileMatch(pattern);
    const out: KVPair[] = [];
    for (const kv of this.#m.values()) if (matches(kv.key)) out.push(kv);
    return sortByString(out, (kv) => kv.key);
  }

  /** memkv GetAllValues: the matching values, sorted by value (not by key). */
  getvs(pattern: string): string[] {
    // No need to order by key first: equal values are indistinguishable once sorted.
    const matches = compileMatch(pattern);
    const out: string[] = [];
    for (const kv of this.#m.values()) if (matches(kv.key)) out.push(kv.value);
    return sortStrings(out);
  }

  /**
   * memkv List: sorted unique names of PATH's immediate children. Quirks kept: a PATH
   * that is itself a stored key lists its own base name; the listed segment comes
   * from stripping the literal PATH string, so a PATH without a leading slash lists
   * nothing. Deliberate fix: `ls "/"` lists the top-level entries (memkv splits "/"
   * into two empty terms and so only ever saw top-level leaves).
   */
  ls(path: string): string[] {
    const names = new Set<string>();
    const prefix = pathToTerms(path);
    for (const kv of this.#m.values()) {
      if (kv.key === path) {
        names.add(base(kv.key));
        continue;
      }
      if (samePrefixTerms(prefix, pathToTerms(dir(kv.key)))) {
        names.add(stripKey(kv.key, path).split("/")[0]);
      }
    }
    return sortStrings([...names]);
  }

  /**
   * memkv ListDir: sorted unique names of PATH's immediate children that have
   * descendants. Deliberate fix: `lsdir "/"` lists top-level directories (memkv
   * always returned [] there).
   */
  lsdir(path: string): string[] {
    const names = new Set<string>();
    const prefix = pathToTerms(path);
    for (const kv of this.#m.values()) {
      if (!kv.key.startsWith(path)) continue;
      const items = pathToTerms(dir(kv.key));
      if (samePrefixTerms(prefix, items) && items.length - prefix.length >= 1) {
        names.add(items[prefix.length]);
      }
    }
    return sortStrings([...names]);
  }
}

function stripKey(key: string, prefix: string): string {
  const k = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  return k.startsWith("/") ? k.slice(1) : k;
}

/**
 * memkv splits the cleaned path on "/", so "/a/b" is ["", "a", "b"] and "/" is ["", ""].
 * The fix for the root: "/" becomes [""], the same shape as any other rooted path, so
 * its children are found like anyone else's.
 */
function pathToTerms(path: string): string[] {
  const c = clean(path);
  return c === "/" ? [""] : c.split("/");
}

function samePrefixTerms(prefix: string[], test: string[]): boolean {
  if (test.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== test[i]) return false;
  return true;
}
