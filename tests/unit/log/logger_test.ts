// Both log formats, the level filter and the tag, with a fixed clock and host.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { LogFormat, LogLevel } from "../../../src/config/config.ts";
import { createLogger, logTag } from "../../../src/log/create.ts";
import { rfc3339Local } from "../../../src/log/format.ts";

const TIME = new Date(2026, 10, 27, 17, 31, 54, 999);

function capture(level: LogLevel, format: LogFormat = "text", argv0 = "reconfd") {
  const lines: string[] = [];
  const log = createLogger({
    level,
    format,
    write: (l) => lines.push(l),
    argv0,
    hostname: "vm",
    pid: 19251,
    now: () => TIME,
  });
  return { log, lines };
}

const ZONE = rfc3339Local(TIME).slice(19);

describe("text log lines", () => {
  it("follow confd's format", () => {
    const { log, lines } = capture("info");
    log.info("Starting confd");
    assert.deepEqual(lines, [`2026-11-27T17:31:54${ZONE} vm reconfd[19251]: INFO Starting confd\n`]);
    assert.match(
      lines[0],
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) \S+ \S+\[\d+\]: (DEBUG|INFO|WARNING|ERROR|FATAL) .*\n$/,
    );
  });
  const levels: { level: LogLevel; name: string }[] = [
    { level: "debug", name: "DEBUG" },
    { level: "info", name: "INFO" },
    { level: "warning", name: "WARNING" },
    { level: "error", name: "ERROR" },
    { level: "fatal", name: "FATAL" },
  ];
  for (const { level, name } of levels) {
    it(`name level ${level} ${name}`, () => {
      const { log, lines } = capture("debug");
      log[level]("m");
      assert.match(lines[0], new RegExp(`: ${name} m\\n$`));
    });
  }
  it("print % as is (confd mangles it)", () => {
    const { log, lines } = capture("info");
    log.info("Running date +%s > /tmp/out%d.conf");
    assert.ok(lines[0].endsWith("INFO Running date +%s > /tmp/out%d.conf\n"));
  });
  it("append fields as key=value, quoting when needed", () => {
    const { log, lines } = capture("info");
    log.info("done", { resource: "nginx.toml", count: 2, msg: "a b", skipped: undefined, empty: "" });
    assert.ok(lines[0].endsWith(' INFO done resource=nginx.toml count=2 msg="a b" empty=""\n'));
  });
});

describe("level filter", () => {
  const cases: { level: LogLevel; shown: string[] }[] = [
    { level: "debug", shown: ["debug", "info", "warning", "error", "fatal"] },
    { level: "info", shown: ["info", "warning", "error", "fatal"] },
    { level: "warning", shown: ["warning", "error", "fatal"] },
    { level: "error", shown: ["error", "fatal"] },
    { level: "fatal", shown: ["fatal"] },
  ];
  for (const c of cases) {
    it(`at ${c.level} writes ${c.shown.join(", ")}, and debugEnabled says whether debug is among them`, () => {
      const { log, lines } = capture(c.level, "json");
      for (const l of ["debug", "info", "warning", "error", "fatal"] as const) log[l](l);
      assert.deepEqual(lines.map((l) => JSON.parse(l).level), c.shown);
      assert.equal(log.debugEnabled, c.shown.includes("debug"));
    });
  }
  it("defaults to info", () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    log.debug("hidden");
    log.info("shown");
    assert.equal(lines.length, 1);
  });
});

describe("JSON log lines", () => {
  it("are one object per line with time, level, msg and fields", () => {
    const { log, lines } = capture("info", "json");
    log.warning("50% done", { resource: "a.toml", n: 1, ok: true });
    assert.equal(lines.length, 1);
    assert.ok(lines[0].endsWith("}\n") && !lines[0].slice(0, -1).includes("\n"));
    assert.deepEqual(JSON.parse(lines[0]), {
      time: `2026-11-27T17:31:54${ZONE}`,
      level: "warning",
      msg: "50% done",
      resource: "a.toml",
      n: 1,
      ok: true,
    });
  });
  it("keep a field named like a reserved key under fields.<name>", () => {
    const { log, lines } = capture("info", "json");
    log.info("real", { msg: "field", level: "x" });
    const obj = JSON.parse(lines[0]);
    assert.equal(obj.msg, "real");
    assert.equal(obj["fields.msg"], "field");
    assert.equal(obj["fields.level"], "x");
  });
});

describe("log tag and time", () => {
  const tags: { argv0: string | undefined; tag: string }[] = [
    { argv0: "reconfd", tag: "reconfd" },
    { argv0: "/usr/local/bin/reconfd", tag: "reconfd" },
    { argv0: "./dist/reconfd", tag: "reconfd" },
    { argv0: "/usr/bin/confd", tag: "confd" },
    { argv0: undefined, tag: "reconfd" },
    { argv0: "", tag: "reconfd" },
  ];
  for (const c of tags) {
    it(`tags ${JSON.stringify(c.argv0)} as ${c.tag}`, () => assert.equal(logTag(c.argv0), c.tag));
  }
  it("prints the local offset the way Go's RFC3339 does", () => {
    const offset = -TIME.getTimezoneOffset();
    const want = offset === 0 ? "Z" : /^[+-]\d\d:\d\d$/;
    if (typeof want === "string") assert.equal(ZONE, want);
    else assert.match(ZONE, want);
  });
  it("drops sub-second digits", () => assert.equal(rfc3339Local(TIME).length, 19 + ZONE.length));
});
