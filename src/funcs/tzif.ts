// Zone abbreviations from the system's TZif files (/usr/share/zoneinfo), which is where
// Go gets the `MST` text from (`CET`, `MSK`, `-03`). Intl supplies the offsets; this
// only names them, since Intl's short names are locale-dependent (`GMT+1`).

import { readFileSync } from "node:fs";

interface ZoneData {
  /** Transition instants (unix seconds), ascending, and the type index of each. */
  times: number[];
  types: number[];
  /** Per type: UTC offset (seconds) and abbreviation. */
  offsets: number[];
  names: string[];
}

const cache = new Map<string, ZoneData | null>();

/** Parses a TZif file (v1, or the 64-bit block of v2+); null if unreadable or malformed. */
function load(file: string): ZoneData | null {
  if (cache.has(file)) return cache.get(file) ?? null;
  let data: ZoneData | null = null;
  try {
    data = parse(new Uint8Array(readFileSync(file)));
  } catch {
    data = null;
  }
  cache.set(file, data);
  return data;
}

function parse(b: Uint8Array): ZoneData | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const header = (at: number) => {
    if (String.fromCharCode(...b.subarray(at, at + 4)) !== "TZif") throw new Error("not TZif");
    const n = (k: number) => view.getUint32(at + 20 + 4 * k);
    return { version: b[at + 4], isut: n(0), isstd: n(1), leap: n(2), time: n(3), type: n(4), char: n(5) };
  };
  let h = header(0);
  let at = 44;
  let timeSize = 4;
  if (h.version >= 0x32) {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    at += h.time * 5 + h.type * 6 + h.char + h.leap * 8 + h.isstd + h.isut;
    h = header(at);
    at += 44;
    timeSize = 8;
  }
  const times: number[] = [];
  for (let i = 0; i < h.time; i++) {
    times.push(timeSize === 8 ? Number(view.getBigInt64(at + i * 8)) : view.getInt32(at + i * 4));
  }
  at += h.time * timeSize;
  const types = [...b.subarray(at, at + h.time)];
  at += h.time;
  const offsets: number[] = [];
  const abbrIdx: number[] = [];
  for (let i = 0; i < h.type; i++) {
    offsets.push(view.getInt32(at + i * 6));
    abbrIdx.push(b[at + i * 6 + 5]);
  }
  at += h.type * 6;
  const chars = b.subarray(at, at + h.char);
  const names = abbrIdx.map((i) => {
    const end = chars.indexOf(0, i);
    return String.fromCharCode(...chars.subarray(i, end < 0 ? chars.length : end));
  });
  return { times, types, offsets, names };
}

/**
 * The abbreviation the zone file gives for `offset` at instant `unix`: the type of the
 * latest transition at or before it, or else the most recent type with that offset
 * (instants past the file's last transition follow its rule, whose types those are).
 */
export function tzAbbrev(file: string, unix: number, offset: number): string | undefined {
  const z = load(file);
  if (z === null || z.offsets.length === 0) return undefined;
  let i = z.times.length - 1;
  while (i >= 0 && z.times[i] > unix) i--;
  if (i >= 0 && z.offsets[z.types[i]] === offset) return z.names[z.types[i]];
  for (let j = z.times.length - 1; j >= 0; j--) {
    if (z.offsets[z.types[j]] === offset) return z.names[z.types[j]];
  }
  const t = z.offsets.indexOf(offset);
  return t >= 0 ? z.names[t] : undefined;
}

/** The TZif file Go reads for TZ: /etc/localtime when unset, else the named zone. */
export function zoneFile(tz: string | undefined): string {
  if (tz === undefined) return "/etc/localtime";
  const name = tz.startsWith(":") ? tz.slice(1) : tz;
  return name.startsWith("/") ? name : `/usr/share/zoneinfo/${name}`;
}
