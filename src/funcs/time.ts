// `datetime` and the Go time.Time value it returns, with Go's String form (including the
// monotonic `m=+…` suffix), Format (time_format.ts) and the common accessor methods.
// Local time follows TZ as Go does (unset: the system zone; empty: UTC): offsets from
// Intl, abbreviations from the zone files (tzif.ts).

import { GoFuncValue, GoInt, GoStruct, type GoType, T, type Value } from "../template/value.ts";
import { goFunc, sig, str } from "./go_func.ts";
import { tzAbbrev, zoneFile } from "./tzif.ts";
import { formatTime, type GoTime, LONG_DAYS, LONG_MONTHS, timeString, wall } from "./time_format.ts";

export const TIME_TYPE: GoType = { name: "time.Time", kind: "struct" };
// time.Month and time.Weekday are named ints whose String method prints the name; they are
// modelled as stringer values so that `{{datetime.Month}}` prints `November` as in Go.
export const MONTH_TYPE: GoType = { name: "time.Month", kind: "struct" };
export const WEEKDAY_TYPE: GoType = { name: "time.Weekday", kind: "struct" };

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
    year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric",
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
function zoneAbbrev(ms: number, tz: string | undefined, timeZone: string | undefined, offset: number): string {
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
  if (zone === "UTC") return { unix, nsec, offset: 0, zone: "UTC", mono };
  const offset = zoneOffset(ms, zone);
  return { unix, nsec, offset, zone: zoneAbbrev(ms, tz, zone, offset), mono };
}

function named(type: GoType, text: string): GoStruct {
  const method = goFunc("String", sig([]), () => text);
  return new GoStruct(type, new Map(), new Map([["String", method]]), () => text);
}

/** Wraps a GoTime as the template value time.Time, with its methods. */
export function timeValue(t: GoTime, tz: string | undefined): GoStruct {
  const w = () => wall(t);
  const i64 = (x: bigint) => new GoInt(T.int64, x);
  const ns = BigInt(t.unix) * 1_000_000_000n + BigInt(t.nsec);
  const methods: GoFuncValue[] = [
    goFunc("Format", sig([T.string]), (layout: Value) => formatTime(t, str(layout))),
    goFunc("String", sig([]), () => timeString(t)),
    goFunc("Unix", sig([], T.int64), () => i64(BigInt(t.unix))),
    goFunc("UnixMilli", sig([], T.int64), () => i64(floorDiv(ns, 1_000_000n))),
    goFunc("UnixMicro", sig([], T.int64), () => i64(floorDiv(ns, 1_000n))),
    goFunc("UnixNano", sig([], T.int64), () => i64(ns)),
    // UTC and Local drop the monotonic reading, as Go's setLoc does.
    goFunc("UTC", sig([], TIME_TYPE), () => timeValue({ unix: t.unix, nsec: t.nsec, offset: 0, zone: "UTC" }, tz)),
    goFunc("Local", sig([], TIME_TYPE), () => timeValue(localTime(t.unix, t.nsec, tz), tz)),
    goFunc("Year", sig([], T.int), () => BigInt(w().year)),
    goFunc("Month", sig([], MONTH_TYPE), () => named(MONTH_TYPE, LONG_MONTHS[w().month - 1])),
    goFunc("Day", sig([], T.int), () => BigInt(w().day)),
    goFunc("Weekday", sig([], WEEKDAY_TYPE), () => named(WEEKDAY_TYPE, LONG_DAYS[w().weekday])),
    goFunc("YearDay", sig([], T.int), () => BigInt(w().yday)),
    goFunc("Hour", sig([], T.int), () => BigInt(w().hour)),
    goFunc("Minute", sig([], T.int), () => BigInt(w().min)),
    goFunc("Second", sig([], T.int), () => BigInt(w().sec)),
    goFunc("Nanosecond", sig([], T.int), () => BigInt(t.nsec)),
    goFunc("IsZero", sig([], T.bool), () => false),
  ];
  return new GoStruct(TIME_TYPE, new Map(), new Map(methods.map((m) => [m.name, m])), () => timeString(t));
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

/** The real clock: performance.timeOrigin + performance.now() gives sub-millisecond wall time. */
export const systemClock: Clock = {
  wall() {
    const ms = performance.timeOrigin + performance.now();
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
