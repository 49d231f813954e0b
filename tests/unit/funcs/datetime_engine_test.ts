import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Template } from "../../../src/template/template.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import type { FuncMap } from "../../../src/template/value.ts";

// datetime through the real template engine. Expectations are what Go 1.19's text/template
// printed with `datetime` returning the same fixed local time, under TZ=UTC and
// TZ=Europe/Berlin (Go's fixed time has no monotonic reading, so the ` m=+…` suffix is
// removed from our output before comparing).
function funcsAt(tz: string, utcMs: number): FuncMap {
  return confdFuncs(new KVStore(), { env: { TZ: tz }, now: () => new Date(utcMs) });
}

function render(funcs: FuncMap, src: string): { ok: string } | { error: string } {
  try {
    return { ok: Template.parse("t", src, { funcs }).execute(null).replace(/ m=[+-]\d+\.\d{9}/g, "") };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

type Case = [template: string, outcome: "ok" | "error", text: string];

const UTC_CASES: Case[] = [
  ["{{datetime}}", "ok", "2026-11-27 17:34:07.266 +0000 UTC"],
  ['{{datetime.Format "2006-01-02T15:04:05Z07:00"}}', "ok", "2026-11-27T17:34:07Z"],
  ["{{(datetime).Unix}}", "ok", "1795800847"],
  ["{{datetime.Month}}", "ok", "November"],
  ["{{datetime.Weekday}}", "ok", "Friday"],
  ['{{printf "%T" datetime}}', "ok", "time.Time"],
  ['{{printf "%T" datetime.Month}}', "ok", "time.Month"],
  ["{{datetime.Year}}", "ok", "2026"],
  ['{{printf "%d" datetime.Month}}', "ok", "11"],
  ['{{printf "%v" datetime}}', "ok", "2026-11-27 17:34:07.266 +0000 UTC"],
  ["{{datetime.UTC}}", "ok", "2026-11-27 17:34:07.266 +0000 UTC"],
  [
    "{{datetime.Format}}",
    "error",
    'template: t:1:2: executing "t" at <datetime>: wrong number of args for Format: want 1 got 0',
  ],
  [
    "{{datetime.Nope}}",
    "error",
    'template: t:1:2: executing "t" at <datetime>: can\'t evaluate field Nope in type time.Time',
  ],
  ["{{datetime.Format 1}}", "error", 'template: t:1:18: executing "t" at <1>: expected string; found 1'],
  ["{{datetime.YearDay}}", "ok", "331"],
  ['{{printf "%T" datetime.Unix}}', "ok", "int64"],
  ["{{datetime.Month.String}}", "ok", "November"],
  ["{{print datetime.Month}}", "ok", "November"],
  ["{{datetime.String}}", "ok", "2026-11-27 17:34:07.266 +0000 UTC"],
  ["{{if datetime}}t{{end}}", "ok", "t"],
  ["{{with datetime}}{{.Hour}}:{{.Minute}}{{end}}", "ok", "17:34"],
  ['{{printf "%s" datetime}}', "ok", "2026-11-27 17:34:07.266 +0000 UTC"],
  ["{{datetime.Local.Hour}}", "ok", "17"],
  ["{{datetime.UnixNano}}", "ok", "1795800847266000000"],
  [
    "{{datetime.Key}}",
    "error",
    'template: t:1:2: executing "t" at <datetime>: can\'t evaluate field Key in type time.Time',
  ],
  ["{{datetime.Add 3600000000000}}", "ok", "2026-11-27 18:34:07.266 +0000 UTC"],
  ["{{datetime.Add -90000000000}}", "ok", "2026-11-27 17:32:37.266 +0000 UTC"],
  ["{{(datetime.Add 1).UnixNano}}", "ok", "1795800847266000001"],
  ["{{datetime.AddDate 0 1 4}}", "ok", "2026-12-31 17:34:07.266 +0000 UTC"],
  ["{{datetime.AddDate -1 -11 0}}", "ok", "2024-12-27 17:34:07.266 +0000 UTC"],
  ["{{datetime.AddDate 0 0 400}}", "ok", "2028-01-01 17:34:07.266 +0000 UTC"],
  ["{{datetime.Truncate 3600000000000}}", "ok", "2026-11-27 17:00:00 +0000 UTC"],
  ["{{datetime.Round 3600000000000}}", "ok", "2026-11-27 18:00:00 +0000 UTC"],
  ["{{datetime.Truncate 604800000000000}}", "ok", "2026-11-23 00:00:00 +0000 UTC"],
  ["{{datetime.Round 1000000000}}", "ok", "2026-11-27 17:34:07 +0000 UTC"],
  ["{{datetime.Truncate 0}}", "ok", "2026-11-27 17:34:07.266 +0000 UTC"],
  ["{{datetime.Round -5}}", "ok", "2026-11-27 17:34:07.266 +0000 UTC"],
  ["{{datetime.Truncate 86400000000000}}", "ok", "2026-11-27 00:00:00 +0000 UTC"],
  ["{{datetime.Before (datetime.Add 1)}}", "ok", "true"],
  ["{{datetime.After (datetime.Add 1)}}", "ok", "false"],
  ["{{datetime.Equal datetime.UTC}}", "ok", "true"],
  ["{{datetime.IsZero}}", "ok", "false"],
  ['{{datetime.Add "x"}}', "error", 'template: t:1:15: executing "t" at <"x">: expected integer; found "x"'],
  [
    "{{datetime.Before 1}}",
    "error",
    'template: t:1:18: executing "t" at <1>: can\'t handle 1 for arg of type time.Time',
  ],
  ["{{datetime.Add 1.5}}", "error", 'template: t:1:15: executing "t" at <1.5>: expected integer; found 1.5'],
  ['{{(datetime.AddDate 0 5 0).Format "Jan 2 15:04 MST"}}', "ok", "Apr 27 17:34 UTC"],
  ['{{(datetime.Add 20000000000000000).Format "2006-01-02 15:04 MST"}}', "ok", "2027-07-17 05:07 UTC"],
];

const BERLIN_CASES: Case[] = [
  ["{{datetime}}", "ok", "2026-11-27 17:34:07.266 +0100 CET"],
  ['{{datetime.Format "2006-01-02T15:04:05Z07:00"}}', "ok", "2026-11-27T17:34:07+01:00"],
  ["{{(datetime).Unix}}", "ok", "1795797247"],
  ["{{datetime.Month}}", "ok", "November"],
  ["{{datetime.Weekday}}", "ok", "Friday"],
  ['{{printf "%T" datetime}}', "ok", "time.Time"],
  ['{{printf "%T" datetime.Month}}', "ok", "time.Month"],
  ["{{datetime.Year}}", "ok", "2026"],
  ['{{printf "%d" datetime.Month}}', "ok", "11"],
  ['{{printf "%v" datetime}}', "ok", "2026-11-27 17:34:07.266 +0100 CET"],
  ["{{datetime.UTC}}", "ok", "2026-11-27 16:34:07.266 +0000 UTC"],
  [
    "{{datetime.Format}}",
    "error",
    'template: t:1:2: executing "t" at <datetime>: wrong number of args for Format: want 1 got 0',
  ],
  [
    "{{datetime.Nope}}",
    "error",
    'template: t:1:2: executing "t" at <datetime>: can\'t evaluate field Nope in type time.Time',
  ],
  ["{{datetime.Format 1}}", "error", 'template: t:1:18: executing "t" at <1>: expected string; found 1'],
  ["{{datetime.YearDay}}", "ok", "331"],
  ['{{printf "%T" datetime.Unix}}', "ok", "int64"],
  ["{{datetime.Month.String}}", "ok", "November"],
  ["{{print datetime.Month}}", "ok", "November"],
  ["{{datetime.String}}", "ok", "2026-11-27 17:34:07.266 +0100 CET"],
  ["{{if datetime}}t{{end}}", "ok", "t"],
  ["{{with datetime}}{{.Hour}}:{{.Minute}}{{end}}", "ok", "17:34"],
  ['{{printf "%s" datetime}}', "ok", "2026-11-27 17:34:07.266 +0100 CET"],
  ["{{datetime.Local.Hour}}", "ok", "17"],
  ["{{datetime.UnixNano}}", "ok", "1795797247266000000"],
  [
    "{{datetime.Key}}",
    "error",
    'template: t:1:2: executing "t" at <datetime>: can\'t evaluate field Key in type time.Time',
  ],
  ["{{datetime.Add 3600000000000}}", "ok", "2026-11-27 18:34:07.266 +0100 CET"],
  ["{{datetime.Add -90000000000}}", "ok", "2026-11-27 17:32:37.266 +0100 CET"],
  ["{{(datetime.Add 1).UnixNano}}", "ok", "1795797247266000001"],
  ["{{datetime.AddDate 0 1 4}}", "ok", "2026-12-31 17:34:07.266 +0100 CET"],
  ["{{datetime.AddDate -1 -11 0}}", "ok", "2024-12-27 17:34:07.266 +0100 CET"],
  ["{{datetime.AddDate 0 0 400}}", "ok", "2028-01-01 17:34:07.266 +0100 CET"],
  ["{{datetime.Truncate 3600000000000}}", "ok", "2026-11-27 17:00:00 +0100 CET"],
  ["{{datetime.Round 3600000000000}}", "ok", "2026-11-27 18:00:00 +0100 CET"],
  ["{{datetime.Truncate 604800000000000}}", "ok", "2026-11-23 01:00:00 +0100 CET"],
  ["{{datetime.Round 1000000000}}", "ok", "2026-11-27 17:34:07 +0100 CET"],
  ["{{datetime.Truncate 0}}", "ok", "2026-11-27 17:34:07.266 +0100 CET"],
  ["{{datetime.Round -5}}", "ok", "2026-11-27 17:34:07.266 +0100 CET"],
  ["{{datetime.Truncate 86400000000000}}", "ok", "2026-11-27 01:00:00 +0100 CET"],
  ["{{datetime.Before (datetime.Add 1)}}", "ok", "true"],
  ["{{datetime.After (datetime.Add 1)}}", "ok", "false"],
  ["{{datetime.Equal datetime.UTC}}", "ok", "true"],
  ["{{datetime.IsZero}}", "ok", "false"],
  ['{{datetime.Add "x"}}', "error", 'template: t:1:15: executing "t" at <"x">: expected integer; found "x"'],
  [
    "{{datetime.Before 1}}",
    "error",
    'template: t:1:18: executing "t" at <1>: can\'t handle 1 for arg of type time.Time',
  ],
  ["{{datetime.Add 1.5}}", "error", 'template: t:1:15: executing "t" at <1.5>: expected integer; found 1.5'],
  ['{{(datetime.AddDate 0 5 0).Format "Jan 2 15:04 MST"}}', "ok", "Apr 27 17:34 CEST"],
  ['{{(datetime.Add 20000000000000000).Format "2006-01-02 15:04 MST"}}', "ok", "2027-07-17 06:07 CEST"],
];

// time.Month and time.Weekday are named ints with a String method: the name for %v/%s/%q/%x,
// the integer for %d and the other integer verbs, the int's basic kind in comparisons.
const NAMED_INT_CASES: Case[] = [
  ["{{datetime.Month}}", "ok", "November"],
  [
    '{{printf "%v|%s|%q|%x|%X|%T|%#v|%5d|%-10v|%t" datetime.Month datetime.Month datetime.Month datetime.Month datetime.Month datetime.Month datetime.Month datetime.Month datetime.Month datetime.Month}}',
    "ok",
    'November|November|"November"|4e6f76656d626572|4E6F76656D626572|time.Month|11|   11|November  |%!t(time.Month=11)',
  ],
  ["{{eq datetime.Month 11}}", "ok", "true"],
  ["{{eq datetime.Month 12}}", "ok", "false"],
  ["{{lt datetime.Weekday 6}}", "ok", "true"],
  ["{{ne datetime.Weekday 5}}", "ok", "false"],
  ["{{datetime.Weekday}}", "ok", "Friday"],
  ['{{printf "%d %v" datetime.Weekday datetime.Weekday}}', "ok", "5 Friday"],
  ["{{datetime.Month.String}}", "ok", "November"],
  ["{{datetime.Weekday.String}}", "ok", "Friday"],
  ["{{if datetime.Month}}y{{end}}", "ok", "y"],
  [
    "{{add datetime.Month 1}}",
    "error",
    'template: t:1:6: executing "t" at <datetime>: wrong type for value; expected int; got time.Month',
  ],
  [
    "{{len datetime.Month}}",
    "error",
    'template: t:1:2: executing "t" at <len datetime.Month>: error calling len: len of type time.Month',
  ],
  ["{{print datetime.Month 1}}", "ok", "November 1"],
  ["{{println datetime.Month datetime.Weekday}}", "ok", "November Friday\n"],
  [
    "{{datetime.Month.Foo}}",
    "error",
    'template: t:1:2: executing "t" at <datetime>: can\'t evaluate field Foo in type time.Month',
  ],
  [
    "{{index datetime.Month 0}}",
    "error",
    'template: t:1:2: executing "t" at <index datetime.Month 0>: error calling index: can\'t index item of type time.Month',
  ],
  ["{{html datetime.Month}}", "ok", "November"],
  ["{{eq datetime.Month datetime.Weekday}}", "ok", "false"],
  ["{{eq datetime.Month datetime.Month}}", "ok", "true"],
  [
    '{{printf "%c|%U|%o|%b|%08d|%+d" datetime.Month datetime.Month datetime.Month datetime.Month datetime.Month datetime.Month}}',
    "ok",
    "\u000b|U+000B|13|1011|00000011|+11",
  ],
  ['{{printf "%.2s|%10s|%-10q" datetime.Month datetime.Month datetime.Month}}', "ok", 'No|  November|"November"'],
  ["{{eq 5 datetime.Weekday}}", "ok", "true"],
  [
    "{{lt datetime.Month 1.5}}",
    "error",
    'template: t:1:2: executing "t" at <lt datetime.Month 1.5>: error calling lt: incompatible types for comparison',
  ],
  [
    '{{eq datetime.Month "November"}}',
    "error",
    'template: t:1:2: executing "t" at <eq datetime.Month "November">: error calling eq: incompatible types for comparison',
  ],
  [
    "{{slice datetime.Month}}",
    "error",
    'template: t:1:2: executing "t" at <slice datetime.Month>: error calling slice: can\'t slice item of type time.Month',
  ],
  ["{{urlquery datetime.Weekday}}", "ok", "Friday"],
  ["{{js datetime.Weekday}}", "ok", "Friday"],
  ["{{and datetime.Month 0}}", "ok", "0"],
  ['{{printf "%v" (datetime.AddDate 0 1 1).Weekday}}', "ok", "Monday"],
  [
    "{{datetime.Month.String 1}}",
    "error",
    'template: t:1:2: executing "t" at <datetime>: wrong number of args for String: want 0 got 1',
  ],
  ["{{with $m := datetime.Month}}{{$m}}{{end}}", "ok", "November"],
];

const RUNS: [zone: string, funcs: FuncMap, cases: Case[]][] = [
  ["UTC", funcsAt("UTC", Date.UTC(2026, 10, 27, 17, 34, 7, 266)), [...UTC_CASES, ...NAMED_INT_CASES]],
  ["Europe/Berlin", funcsAt("Europe/Berlin", Date.UTC(2026, 10, 27, 16, 34, 7, 266)), BERLIN_CASES],
];

for (const [zone, funcs, cases] of RUNS) {
  describe(`datetime through the template engine matches Go (TZ=${zone})`, () => {
    for (const [template, outcome, text] of cases) {
      it(`${template} ${outcome === "ok" ? "renders" : "fails"} as in Go`, () => {
        assert.deepEqual(render(funcs, template), outcome === "ok" ? { ok: text } : { error: text });
      });
    }
  });
}

describe("datetime's monotonic reading", () => {
  const funcs = funcsAt("UTC", Date.UTC(2026, 10, 27, 17, 34, 7, 266));
  const cases: [template: string, pattern: RegExp][] = [
    ["{{datetime}}", /^2026-11-27 17:34:07\.266 \+0000 UTC m=\+\d+\.\d{9}$/],
    ["{{datetime.Add 1000000000}}", /^2026-11-27 17:34:08\.266 \+0000 UTC m=\+\d+\.\d{9}$/],
    ["{{datetime.UTC}}", /^2026-11-27 17:34:07\.266 \+0000 UTC$/],
    ["{{datetime.Round 0}}", /^2026-11-27 17:34:07\.266 \+0000 UTC$/],
  ];
  for (const [template, pattern] of cases) {
    it(`${template} ${pattern.source.endsWith("UTC$") ? "drops" : "keeps"} the m=+… suffix`, () => {
      assert.match(Template.parse("t", template, { funcs }).execute(null), pattern);
    });
  }
});
