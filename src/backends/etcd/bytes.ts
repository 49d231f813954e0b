// etcd keys and values are bytes; reconfd's are strings holding Go's bytes
// (src/template/go_bytes.ts). Conversions both ways, and the end of a prefix range.

import { decodeGoBytes, encodeGoBytes } from "../../template/go_bytes.ts";

/** Bytes from etcd as a string, byte-exact (decodeGoBytes decodes valid UTF-8 natively). */
export function bytesToString(bytes: Uint8Array): string {
  return decodeGoBytes(bytes);
}

/** A key string as the bytes etcd stores. */
export function stringToBytes(s: string): Uint8Array {
  return encodeGoBytes(s);
}

/**
 * The range_end that makes [key, end) every key starting with `key` (clientv3's GetPrefixRangeEnd):
 * the last byte below 0xff incremented, the bytes after it dropped; all 0xff (or empty): "\0", to the end.
 */
export function prefixEnd(key: Uint8Array): Uint8Array {
  for (let i = key.length - 1; i >= 0; i--) {
    if (key[i] < 0xff) {
      const end = key.slice(0, i + 1);
      end[i]++;
      return end;
    }
  }
  return new Uint8Array([0]);
}

/**
 * The range_end covering `key` and everything under `key + "/"` in one range, [key, end): the
 * prefix end of `key + "/"` (or of `key` when it ends in "/"). Siblings that sort after that
 * (`/db/hostname` for `/db/host`) are not even sent; the few before it (`/db/host-2`, `/db/host.x`:
 * bytes below "/") still are, and are filtered out by the caller.
 */
export function subtreeEnd(key: Uint8Array): Uint8Array {
  if (key.length > 0 && key[key.length - 1] === 0x2f) return prefixEnd(key);
  const withSlash = new Uint8Array(key.length + 1);
  withSlash.set(key);
  withSlash[key.length] = 0x2f;
  return prefixEnd(withSlash);
}

/** The smallest key after `key` (for the next page of a range). */
export function keyAfter(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key);
  return out;
}
