// `datetime` and the Go time.Time value it returns, with Go's String form (including the
// monotonic `m=+…` suffix), Format (time_format.ts) and the common accessor methods.
// Local time follows TZ as Go does (unset: the system zone; empty: UTC): offsets from
// Intl, abbreviations from the zone files (tzif.ts).

import { GoFuncValue, GoInt, GoStruct, type GoType, type Receiver, T, type Value } from "../template/value.ts";
import { goFunc, int, sig, str } from "./go_func.ts";
import { tzAbbrev, zoneFile } from "./tzif.ts";
import { formatTime, type GoTime, LONG_DAYS, LONG_MONTHS, timeString, wall } from "./time_format.ts";

export const TIME_TYPE: GoType = { name: "time.Time", kind: "struct" };
// time.Month and time.Weekday are named ints whose String method prints the name:
// `{{datetime.Month}}` prints `November`, `printf "%d"` prints 11, `eq` compares the int.
export const MONTH_TYPE: GoType = namedInt("time.Month", (n) => LONG_MONTHS[n - 1]);
export const WEEKDAY_TYPE: GoType = namedInt("time.Weekday", (n) => LONG_DAYS[n]);

/** A named int type whose String method names its value (Go prints `%!Month(13)` out of range). */
function namedInt(name: string, nameOf: (n: number) => string | undefined): GoType {
  const short = name.slice(name.indexOf(".") + 1);
  const string = (v: Receiver) =>
    goFunc("String", sig([]), () => {
      const n = v instanceof GoInt ? v.value : 0n;
      return nameOf(Number(n)) ?? `%!${short}(${n})`;
    });
  return { name, kind: "int", methods: new Map([["String", string]]) };
}

/** The zone named by TZ (Go's rules): undefined = system zone, "" = UTC, `:Area/City` allowed. */
function intlZone(tz: string | undefined): string | undefined {
  if (tz === undefined) return undefined;
  const name = tz.startsWith(":") ? tz.slice(1) : tz;
  if (name === "") return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return name;
  } catch {
    return "UTC"; // Go falls back to UTC for a zone it cannot load
  }
}

/** Offset (seconds) of the zone at an instant, from Intl's wall-clock reading. */
function zoneOffset(ms: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    era: "short",
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  let year = get("year");
  if (parts.find((p) => p.type === "era")?.value.startsWith("B")) year = 1 - year;
  const wall = Date.UTC(year, get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
}

/**
 * The zone abbreviation Go would print: from the zone's TZif file when there is one,
 * else Intl's short name if it is alphabetic, else numeric (`+03`, `+0530`), as tzdata
 * writes zones that have no abbreviation.
 */
function zoneAbbrev(
  ms: number,
  tz: string | undefined,
  timeZone: string | undefined,
  offset: number,
): string {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return "UTC";
  const fromFile = tzAbbrev(zoneFile(tz), Math.floor(ms / 1000), offset);
  if (fromFile !== undefined) return fromFile;
  for (const locale of ["en-US", "en-GB"]) {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" })
      .formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value;
    if (name && /^[A-Z]{2,5}$/.test(name) && name !== "GMT") return name;
    if (name === "GMT" && offset === 0) return locale === "en-GB" ? "GMT" : "UTC";
  }
  const sign = offset < 0 ? "-" : "+";
  const m = Math.floor(Math.abs(offset) / 60);
  const hh = String(Math.floor(m / 60)).padStart(2, "0");
  return m % 60 === 0 ? sign + hh : sign + hh + String(m % 60).padStart(2, "0");
}

/** The time in the local zone (TZ from env), as Go's time.Now().Local() would show it. */
export function localTime(unix: number, nsec: number, tz: string | undefined, mono?: number): GoTime {
  const zone = intlZone(tz);
  const ms = unix * 1000;
  if (zone === "UTC") return { unix, nsec, offset: 0, zone: "UTC", mono, loc: "Local" };
  const offset = zoneOffset(ms, zone);
  return { unix, nsec, offset, zone: zoneAbbrev(ms, tz, zone, offset), mono, loc: "Local" };
}

/** time.Duration: an int64 count of nanoseconds (literals convert to it). */
export const DURATION_TYPE: GoType = { name: "time.Duration", kind: "int64" };

const NS = 1_000_000_000n;
/** Seconds from Go's zero time (January 1, year 1) to the Unix epoch; Truncate and Round count from there. */
const UNIX_TO_ABSOLUTE = 62135596800n;

/** The GoTime behind each time.Time value, so methods taking a time.Time can read it. */
const goTimes = new WeakMap<GoStruct, GoTime>();

function timeArg(v: Value): GoTime {
  const t = v instanceof GoStruct ? goTimes.get(v) : undefined;
  if (t === undefined) throw new TypeError(`expected time.Time, got ${String(v)}`);
  return t;
}

function durationArg(v: Value): bigint {
  if (v instanceof GoInt) return v.value;
  if (typeof v === "bigint") return v;
  throw new TypeError(`expected time.Duration, got ${String(v)}`);
}

function totalNs(t: GoTime): bigint {
  return BigInt(t.unix) * NS + BigInt(t.nsec);
}

/** The instant at total ns since the epoch, in t's location (offsets re-evaluated for Local). */
function relocate(t: GoTime, ns: bigint, tz: string | undefined, mono?: number): GoTime {
  const unix = Number(floorDiv(ns, NS));
  const nsec = Number(ns - BigInt(unix) * NS);
  if (t.loc === "UTC") return { unix, nsec, offset: 0, zone: "UTC", loc: "UTC", mono };
  if (t.loc === "Local") return { ...localTime(unix, nsec, tz), mono };
  return { unix, nsec, offset: t.offset, zone: t.zone, mono };
}

/** Go's Date(...) in t's location: normalizes out-of-range fields, as Date.UTC does. */
function fromWall(
  t: GoTime,
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  nsec: number,
  tz: string | undefined,
): GoTime {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  const wallSec = Math.floor(date.getTime() / 1000);
  const offsetAt = (unix: number) => relocate(t, BigInt(unix) * NS, tz).offset;
  // Go guesses the offset at the wall time read as UTC, then takes the offset in force
  // at the instant that guess gives.
  const offset = offsetAt(wallSec - offsetAt(wallSec));
  return relocate(t, BigInt(wallSec - offset) * NS + BigInt(nsec), tz);
}

/** Wraps a GoTime as the template value time.Time, with its methods. */
export function timeValue(t: GoTime, tz: string | undefined): GoStruct {
  const w = () => wall(t);
  const i64 = (x: bigint) => new GoInt(T.int64, x);
  const ns = totalNs(t);
  const wrap = (x: GoTime) => timeValue(x, tz);
  const intArg = (v: Value) => Number(int(v));
  const methods: GoFuncValue[] = [
    goFunc("Format", sig([T.string]), (layout: Value) => formatTime(t, str(layout))),
    goFunc("String", sig([]), () => timeString(t)),
    goFunc("Unix", sig([], T.int64), () => i64(BigInt(t.unix))),
    goFunc("UnixMilli", sig([], T.int64), () => i64(floorDiv(ns, 1_000_000n))),
    goFunc("UnixMicro", sig([], T.int64), () => i64(floorDiv(ns, 1_000n))),
    goFunc("UnixNano", sig([], T.int64), () => i64(ns)),
    // UTC and Local drop the monotonic reading, as Go's setLoc does.
    goFunc(
      "UTC",
      sig([], TIME_TYPE),
      () => wrap({ unix: t.unix, nsec: t.nsec, offset: 0, zone: "UTC", loc: "UTC" }),
    ),
    goFunc("Local", sig([], TIME_TYPE), () => wrap(localTime(t.unix, t.nsec, tz))),
    goFunc("Year", sig([], T.int), () => BigInt(w().year)),
    goFunc("Month", sig([], MONTH_TYPE), () => new GoInt(MONTH_TYPE, BigInt(w().month))),
    goFunc("Day", sig([], T.int), () => BigInt(w().day)),
    goFunc("Weekday", sig([], WEEKDAY_TYPE), () => new GoInt(WEEKDAY_TYPE, BigInt(w().weekday))),
    goFunc("YearDay", sig([], T.int), () => BigInt(w().yday)),
    goFunc("Hour", sig([], T.int), () => BigInt(w().hour)),
    goFunc("Minute", sig([], T.int), () => BigInt(w().min)),
    goFunc("Second", sig([], T.int), () => BigInt(w().sec)),
    goFunc("Nanosecond", sig([], T.int), () => BigInt(t.nsec)),
    goFunc("IsZero", sig([], T.bool), () => ns === -UNIX_TO_ABSOLUTE * NS),
    goFunc("Equal", sig([TIME_TYPE], T.bool), (u) => totalNs(timeArg(u)) === ns),
    goFunc("Before", sig([TIME_TYPE], T.bool), (u) => ns < totalNs(timeArg(u))),
    goFunc("After", sig([TIME_TYPE], T.bool), (u) => ns > totalNs(timeArg(u))),
    // Add keeps the monotonic reading, shifted by d; AddDate, Truncate and Round drop it.
    goFunc("Add", sig([DURATION_TYPE], TIME_TYPE), (d) => {
      const dn = durationArg(d);
      return wrap(relocate(t, ns + dn, tz, t.mono === undefined ? undefined : t.mono + Number(dn)));
    }),
    goFunc("AddDate", sig([T.int, T.int, T.int], TIME_TYPE), (y, m, d) => {
      const x = w();
      return wrap(
        fromWall(
          t,
          x.year + intArg(y),
          x.month + intArg(m),
          x.day + intArg(d),
          x.hour,
          x.min,
          x.sec,
          t.nsec,
          tz,
        ),
      );
    }),
    goFunc("Truncate", sig([DURATION_TYPE], TIME_TYPE), (d) => wrap(roundTo(t, durationArg(d), false, tz))),
    goFunc("Round", sig([DURATION_TYPE], TIME_TYPE), (d) => wrap(roundTo(t, durationArg(d), true, tz))),
  ];
  const value = new GoStruct(
    TIME_TYPE,
    new Map(),
    new Map(methods.map((m) => [m.name, m])),
    () => timeString(t),
  );
  goTimes.set(value, t);
  return value;
}

/** Go's Truncate / Round: multiples of d counted from the zero time; d <= 0 only drops the monotonic reading. */
function roundTo(t: GoTime, d: bigint, round: boolean, tz: string | undefined): GoTime {
  const ns = totalNs(t);
  if (d <= 0n) return relocate(t, ns, tz);
  const r = (((ns + UNIX_TO_ABSOLUTE * NS) % d) + d) % d;
  if (!round || r + r < d) return relocate(t, ns - r, tz);
  return relocate(t, ns + (d - r), tz);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/** What `datetime` reads: wall clock and monotonic clock, injectable for tests. */
export interface Clock {
  /** Wall time now: unix seconds and nanoseconds. */
  wall(): { unix: number; nsec: number };
  /** Monotonic nanoseconds since process start. */
  mono(): number;
}

/**
 * The real clock. Date.now() is the wall clock but only to the millisecond; the high
 * resolution timer adds sub-millisecond digits while it agrees with Date.now() (it is
 * monotonic, so it drifts from the wall clock over days, e.g. after NTP corrections).
 */
export const systemClock: Clock = {
  wall() {
    const coarse = Date.now();
    const fine = performance.timeOrigin + performance.now();
    const ms = Math.abs(fine - coarse) < 1 ? fine : coarse;
    const unix = Math.floor(ms / 1000);
    return { unix, nsec: Math.min(999_999_999, Math.round((ms - unix * 1000) * 1e6)) };
  },
  mono: () => performance.now() * 1e6,
};

/** A clock reading a Date source (FuncOptions.now), with the monotonic reading from uptime. */
export function dateClock(now: () => Date): Clock {
  return {
    wall() {
      const ms = now().getTime();
      const unix = Math.floor(ms / 1000);
      return { unix, nsec: (ms - unix * 1000) * 1_000_000 };
    },
    mono: () => performance.now() * 1e6,
  };
}

export function timeFuncs(clock: Clock, tz: string | undefined): Map<string, GoFuncValue> {
  const datetime = goFunc("datetime", sig([], TIME_TYPE), () => {
    const { unix, nsec } = clock.wall();
    return timeValue(localTime(unix, nsec, tz, clock.mono()), tz);
  });
  return new Map([[datetime.name, datetime]]);
}
