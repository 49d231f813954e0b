import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoInt, GoStruct, type Value } from "../../../src/template/value.ts";
import { sprint } from "../../../src/template/fmt/print.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { localTime, timeValue } from "../../../src/funcs/time.ts";
import { formatTime, type GoTime, timeString } from "../../../src/funcs/time_format.ts";
import { oracle } from "./testdata/oracle.ts";

// The four instants go_oracle.go formats.
const TIMES: GoTime[] = [
  { unix: Date.UTC(2026, 10, 27, 17, 4, 5) / 1000, nsec: 120034500, offset: 0, zone: "UTC" },
  { unix: Date.UTC(2009, 0, 2, 23, 9, 7) / 1000, nsec: 0, offset: 3600, zone: "CET" },
  { unix: Date.UTC(2026, 2, 9, 17, 30, 0) / 1000, nsec: 5, offset: -19800, zone: "" },
  { unix: -1, nsec: 999000000, offset: 0, zone: "UTC" },
];

function method(v: Value, name: string, ...args: Value[]): Value {
  assert.ok(v instanceof GoStruct);
  const m = v.methods.get(name);
  assert.ok(m, `method ${name}`);
  return m.impl(...args);
}

describe("time.Time", () => {
  describe("Format agrees with Go for every layout element", () => {
    for (const [layout, ...want] of oracle("format")) {
      it(`layout ${JSON.stringify(layout)}`, () => {
        assert.deepEqual(TIMES.map((t) => formatTime(t, layout as string)), want);
      });
    }
  });

  it("String agrees with Go (no monotonic reading)", () => {
    assert.deepEqual(TIMES.map(timeString), oracle("timeString")[0]);
  });

  it("String appends the monotonic reading as m=+s.nnnnnnnnn", () => {
    assert.equal(timeString({ ...TIMES[1], mono: 18743507 }), "2009-01-03 00:09:07 +0100 CET m=+0.018743507");
    assert.equal(
      timeString({ ...TIMES[1], mono: 12e9 + 5 }),
      "2009-01-03 00:09:07 +0100 CET m=+12.000000005",
    );
  });

  it("Unix, UnixMilli, UnixNano and UnixMicro agree with Go (int64)", () => {
    const [u, ms, ns, u4, ms4, us4] = oracle("unix")[0] as string[];
    const a = timeValue(TIMES[0], "UTC");
    const b = timeValue(TIMES[3], "UTC");
    const i64 = (v: Value) => {
      assert.ok(v instanceof GoInt);
      assert.equal(v.type.name, "int64");
      return v.value.toString();
    };
    assert.deepEqual([i64(method(a, "Unix")), i64(method(a, "UnixMilli")), i64(method(a, "UnixNano"))], [
      u,
      ms,
      ns,
    ]);
    assert.deepEqual([i64(method(b, "Unix")), i64(method(b, "UnixMilli")), i64(method(b, "UnixMicro"))], [
      u4,
      ms4,
      us4,
    ]);
  });

  describe("accessors", () => {
    const v = timeValue(TIMES[1], "UTC");
    const cases: [name: string, want: Value][] = [
      ["Year", 2009n],
      ["Day", 3n],
      ["Hour", 0n],
      ["Minute", 9n],
      ["Second", 7n],
      ["Nanosecond", 0n],
      ["YearDay", 3n],
    ];
    for (const [name, want] of cases) it(`${name} is ${want}`, () => assert.equal(method(v, name), want));
    it("Month prints its name", () => assert.equal(sprint([method(v, "Month")]), "January"));
    it("Weekday prints its name", () => assert.equal(sprint([method(v, "Weekday")]), "Saturday"));
    it("UTC converts the zone and drops the monotonic reading", () => {
      const u = method(timeValue({ ...TIMES[1], mono: 5 }, "UTC"), "UTC");
      assert.equal(sprint([u]), "2009-01-02 23:09:07 +0000 UTC");
    });
    it("Format is callable as a method", () => assert.equal(method(v, "Format", "2006"), "2009"));
    it("the value prints with Go's String form", () => assert.equal(sprint([v]), "2009-01-03 00:09:07 +0100 CET"));
  });

  describe("the local zone follows TZ like Go", () => {
    const instant = Date.UTC(2026, 10, 27, 17, 4, 5) / 1000;
    const summer = Date.UTC(2026, 6, 2, 13, 46, 40) / 1000;
    const cases: [name: string, tz: string, unix: number, want: string][] = [
      ["an empty TZ is UTC", "", instant, "2026-11-27 17:04:05 +0000 UTC"],
      ["a named zone in winter", "Europe/Berlin", instant, "2026-11-27 18:04:05 +0100 CET"],
      ["a named zone in summer", "Europe/Berlin", summer, "2026-07-02 15:46:40 +0200 CEST"],
      ["a leading colon is allowed", ":America/New_York", instant, "2026-11-27 12:04:05 -0500 EST"],
      [
        "a zone without an abbreviation prints its offset",
        "America/Sao_Paulo",
        instant,
        "2026-11-27 14:04:05 -0300 -03",
      ],
      ["a half-hour zone", "Asia/Kolkata", instant, "2026-11-27 22:34:05 +0530 IST"],
      ["an unknown zone falls back to UTC", "Nowhere/Atlantis", instant, "2026-11-27 17:04:05 +0000 UTC"],
    ];
    for (const [name, tz, unix, want] of cases) {
      it(name, () => assert.equal(formatTime(localTime(unix, 0, tz), "2006-01-02 15:04:05 -0700 MST"), want));
    }
  });

  describe("datetime", () => {
    const funcs = confdFuncs(new KVStore(), {
      env: { TZ: "UTC" },
      now: () => new Date(Date.UTC(2026, 10, 27, 17, 34, 7, 266)),
    });
    const dt = funcs.get("datetime");
    it("takes no arguments and returns a time.Time", () => {
      assert.deepEqual(dt?.sig.params, []);
      assert.equal(dt?.sig.result.name, "time.Time");
    });
    it("prints the current time with a monotonic suffix", () => {
      assert.match(sprint([dt?.impl()]), /^2026-11-27 17:34:07\.266 \+0000 UTC m=\+\d+\.\d{9}$/);
    });
    it("honours the env's TZ", () => {
      const berlin = confdFuncs(new KVStore(), { env: { TZ: "Europe/Berlin" }, now: () => new Date(0) });
      assert.equal(method(berlin.get("datetime")?.impl(), "Format", "15:04 MST"), "01:00 CET");
    });
    it("without an injected clock reads the system clock", () => {
      const real = confdFuncs(new KVStore(), { env: { TZ: "" } });
      const unix = method(real.get("datetime")?.impl(), "Unix");
      assert.ok(unix instanceof GoInt);
      assert.ok(Math.abs(Number(unix.value) - Date.now() / 1000) < 5);
    });
  });
});
