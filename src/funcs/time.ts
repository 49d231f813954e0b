// `datetime` and the Go time.Time value it returns: Go's String form (with the
// monotonic `m=+…` suffix), the Format layout language, and the common accessor methods.
// Local time follows TZ as Go does (unset: the system zone; empty: UTC), via Intl.

import { GoFuncValue, GoInt, GoStruct, type GoType, T, type Value } from "../template/value.ts";
import { goFunc, sig, str } from "./go_func.ts";
import { tzAbbrev, zoneFile } from "./tzif.ts";

/** A Go time.Time: an instant (unix seconds + nanoseconds) seen in a zone. */
export interface GoTime {
  /** Seconds since the Unix epoch (may be negative). */
  readonly unix: number;
  /** Nanoseconds within the second, 0..999999999. */
  readonly nsec: number;
  /** Zone offset east of UTC, in seconds. */
  readonly offset: number;
  /** Zone abbreviation as Go prints it for MST: `UTC`, `CET`, `+03`. */
  readonly zone: string;
  /** Monotonic clock reading in nanoseconds since process start, if any (time.Now has one). */
  readonly mono?: number;
}

export const TIME_TYPE: GoType = { name: "time.Time", kind: "struct" };
// time.Month and time.Weekday are named ints whose String method prints the name; they are
// modelled as stringer values so that `{{datetime.Month}}` prints `November` as in Go.
export const MONTH_TYPE: GoType = { name: "time.Month", kind: "struct" };
export const WEEKDAY_TYPE: GoType = { name: "time.Weekday", kind: "struct" };

const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const LONG_MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

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

interface Wall {
  year: number;
  month: number; // 1..12
  day: number;
  yday: number; // 1..366
  hour: number;
  min: number;
  sec: number;
  weekday: number; // 0 = Sunday
}

function wall(t: GoTime): Wall {
  const d = new Date((t.unix + t.offset) * 1000);
  const year = d.getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const jan1 = new Date(start);
  jan1.setUTCFullYear(year); // Date.UTC maps years 0..99 to 1900..1999
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    yday: Math.floor((d.getTime() - jan1.getTime()) / 86400000) + 1,
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Go's appendInt: decimal with zero padding to width (the sign does not count). */
function pad(x: number, width: number): string {
  const s = String(Math.abs(x)).padStart(width, "0");
  return x < 0 ? "-" + s : s;
}

type Std =
  | { kind: "text" }
  | { kind: "std"; code: string }
  | { kind: "frac"; digits: number; trim: boolean; sep: string };

/** Go's nextStdChunk: the text before the first layout element, the element, the rest. */
function nextStdChunk(layout: string): [string, Std, string] {
  const at = (i: number, s: string) => layout.startsWith(s, i);
  const std = (i: number, code: string, len: number): [string, Std, string] => [
    layout.slice(0, i),
    { kind: "std", code },
    layout.slice(i + len),
  ];
  const lowerAt = (i: number) => i < layout.length && layout[i] >= "a" && layout[i] <= "z";
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    switch (c) {
      case "J":
        if (at(i, "Jan")) {
          if (at(i, "January")) return std(i, "January", 7);
          if (!lowerAt(i + 3)) return std(i, "Jan", 3);
        }
        break;
      case "M":
        if (at(i, "Mon")) {
          if (at(i, "Monday")) return std(i, "Monday", 6);
          if (!lowerAt(i + 3)) return std(i, "Mon", 3);
        }
        if (at(i, "MST")) return std(i, "MST", 3);
        break;
      case "0": {
        const n = layout[i + 1];
        if (n >= "1" && n <= "6") return std(i, "0" + n, 2);
        if (at(i, "002")) return std(i, "002", 3);
        break;
      }
      case "1":
        if (layout[i + 1] === "5") return std(i, "15", 2);
        return std(i, "1", 1);
      case "2":
        if (at(i, "2006")) return std(i, "2006", 4);
        return std(i, "2", 1);
      case "_":
        if (layout[i + 1] === "2") {
          // `_2006` is a literal `_` followed by the year.
          if (at(i + 1, "2006")) return [layout.slice(0, i + 1), { kind: "std", code: "2006" }, layout.slice(i + 5)];
          return std(i, "_2", 2);
        }
        if (at(i, "__2")) return std(i, "__2", 3);
        break;
      case "3":
      case "4":
      case "5":
        return std(i, c, 1);
      case "P":
        if (layout[i + 1] === "M") return std(i, "PM", 2);
        break;
      case "p":
        if (layout[i + 1] === "m") return std(i, "pm", 2);
        break;
      case "-":
      case "Z":
        for (const tz of ["070000", "07:00:00", "0700", "07:00", "07"]) {
          if (at(i + 1, tz)) return std(i, c + tz, tz.length + 1);
        }
        break;
      case ".":
      case ",": {
        const d = layout[i + 1];
        if (d === "0" || d === "9") {
          let j = i + 1;
          while (j < layout.length && layout[j] === d) j++;
          const next = layout[j];
          if (!(next >= "0" && next <= "9")) {
            return [layout.slice(0, i), { kind: "frac", digits: j - i - 1, trim: d === "9", sep: c }, layout.slice(j)];
          }
        }
        break;
      }
    }
  }
  return [layout, { kind: "text" }, ""];
}

function formatOffset(code: string, offset: number): string {
  if (offset === 0 && code[0] === "Z") return "Z";
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const zone = Math.floor(abs / 60);
  let out = sign + pad(Math.floor(zone / 60), 2);
  const colon = code.includes(":");
  const body = code.slice(1);
  if (body !== "07") out += (colon ? ":" : "") + pad(zone % 60, 2);
  if (body === "070000" || body === "07:00:00") out += (colon ? ":" : "") + pad(abs % 60, 2);
  return out;
}

/** Go's Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const w = wall(t);
  let out = "";
  let rest = layout;
  while (rest !== "") {
    const [prefix, std, suffix] = nextStdChunk(rest);
    out += prefix;
    if (std.kind === "text") break;
    rest = suffix;
    if (std.kind === "frac") {
      let digits = String(t.nsec).padStart(9, "0").slice(0, Math.min(std.digits, 9));
      if (std.trim) digits = digits.replace(/0+$/, "");
      if (digits !== "") out += std.sep + digits;
      continue;
    }
    const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
    switch (std.code) {
      case "06": out += pad(Math.abs(w.year) % 100, 2); break;
      case "2006": out += pad(w.year, 4); break;
      case "Jan": out += LONG_MONTHS[w.month - 1].slice(0, 3); break;
      case "January": out += LONG_MONTHS[w.month - 1]; break;
      case "1": out += w.month; break;
      case "01": out += pad(w.month, 2); break;
      case "Mon": out += LONG_DAYS[w.weekday].slice(0, 3); break;
      case "Monday": out += LONG_DAYS[w.weekday]; break;
      case "2": out += w.day; break;
      case "_2": out += (w.day < 10 ? " " : "") + w.day; break;
      case "02": out += pad(w.day, 2); break;
      case "__2": out += String(w.yday).padStart(3, " "); break;
      case "002": out += pad(w.yday, 3); break;
      case "15": out += pad(w.hour, 2); break;
      case "3": out += h12; break;
      case "03": out += pad(h12, 2); break;
      case "4": out += w.min; break;
      case "04": out += pad(w.min, 2); break;
      case "5": out += w.sec; break;
      case "05": out += pad(w.sec, 2); break;
      case "PM": out += w.hour >= 12 ? "PM" : "AM"; break;
      case "pm": out += w.hour >= 12 ? "pm" : "am"; break;
      case "MST": out += t.zone !== "" ? t.zone : formatOffset("-0700", t.offset); break;
      default: out += formatOffset(std.code, t.offset);
    }
  }
  return out;
}

/** Go's Time.String: the fixed layout plus ` m=±s.nnnnnnnnn` when a monotonic reading is present. */
export function timeString(t: GoTime): string {
  let s = formatTime(t, "2006-01-02 15:04:05.999999999 -0700 MST");
  if (t.mono !== undefined) {
    const ns = BigInt(Math.round(t.mono));
    const abs = ns < 0n ? -ns : ns;
    s += ` m=${ns < 0n ? "-" : "+"}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, "0")}`;
  }
  return s;
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
