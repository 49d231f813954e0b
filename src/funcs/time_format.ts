// Go's time formatting: Time.Format's layout language (nextStdChunk and appendFormat in
// Go's time/format.go) and Time.String, over a GoTime (an instant seen in a zone).

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
  /** Go's Location: UTC, Local (TZ), or undefined for a fixed zone (offset and zone as given). */
  readonly loc?: "UTC" | "Local";
}

export const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export interface Wall {
  year: number;
  month: number; // 1..12
  day: number;
  yday: number; // 1..366
  hour: number;
  min: number;
  sec: number;
  weekday: number; // 0 = Sunday
}

export function wall(t: GoTime): Wall {
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
          if (at(i + 1, "2006")) {
            return [layout.slice(0, i + 1), { kind: "std", code: "2006" }, layout.slice(i + 5)];
          }
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
            return [
              layout.slice(0, i),
              { kind: "frac", digits: j - i - 1, trim: d === "9", sep: c },
              layout.slice(j),
            ];
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
      case "06":
        out += pad(Math.abs(w.year) % 100, 2);
        break;
      case "2006":
        out += pad(w.year, 4);
        break;
      case "Jan":
        out += LONG_MONTHS[w.month - 1].slice(0, 3);
        break;
      case "January":
        out += LONG_MONTHS[w.month - 1];
        break;
      case "1":
        out += w.month;
        break;
      case "01":
        out += pad(w.month, 2);
        break;
      case "Mon":
        out += LONG_DAYS[w.weekday].slice(0, 3);
        break;
      case "Monday":
        out += LONG_DAYS[w.weekday];
        break;
      case "2":
        out += w.day;
        break;
      case "_2":
        out += (w.day < 10 ? " " : "") + w.day;
        break;
      case "02":
        out += pad(w.day, 2);
        break;
      case "__2":
        out += String(w.yday).padStart(3, " ");
        break;
      case "002":
        out += pad(w.yday, 3);
        break;
      case "15":
        out += pad(w.hour, 2);
        break;
      case "3":
        out += h12;
        break;
      case "03":
        out += pad(h12, 2);
        break;
      case "4":
        out += w.min;
        break;
      case "04":
        out += pad(w.min, 2);
        break;
      case "5":
        out += w.sec;
        break;
      case "05":
        out += pad(w.sec, 2);
        break;
      case "PM":
        out += w.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += w.hour >= 12 ? "pm" : "am";
        break;
      case "MST":
        out += t.zone !== "" ? t.zone : formatOffset("-0700", t.offset);
        break;
      default:
        out += formatOffset(std.code, t.offset);
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
