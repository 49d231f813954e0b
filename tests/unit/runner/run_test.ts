// runConfd in-process: onetime exit codes, watch and interval loops and their
// clean stop on abort, -noop -diff output, unsupported backends.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import type { Config } from "../../../src/config/config.ts";
import { defaultConfig } from "../../../src/config/settings.ts";
import { runConfd } from "../../../src/runner/run.ts";
import { Mutex } from "../../../src/runner/mutex.ts";
import { RunEvents } from "../../../src/runner/events.ts";
import { CaptureLogger } from "./capture_logger.ts";

/** A confdir with one resource per entry (template text), data.yaml, and an out/ directory. */
function sandbox(templates: Record<string, string>, data = "app:\n  value: v1\n") {
  const dir = mkdtempSync(join(tmpdir(), "reconfd-run-"));
  mkdirSync(join(dir, "confdir", "conf.d"), { recursive: true });
  mkdirSync(join(dir, "confdir", "templates"));
  mkdirSync(join(dir, "out"));
  writeFileSync(join(dir, "data.yaml"), data);
  for (const [name, tmpl] of Object.entries(templates)) {
    writeFileSync(join(dir, "confdir", "templates", `${name}.tmpl`), tmpl);
    writeFileSync(
      join(dir, "confdir", "conf.d", `${name}.toml`),
      `[template]\nsrc = "${name}.tmpl"\ndest = "${join(dir, "out", name)}"\nkeys = ["/app"]\n`,
    );
  }
  const config = (extra: Partial<Config> = {}): Config => ({
    ...defaultConfig(),
    backend: "file",
    file: [join(dir, "data.yaml")],
    confdir: join(dir, "confdir"),
    ...extra,
  });
  return { dir, config, out: (name: string) => join(dir, "out", name) };
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("runConfd", () => {
  it("onetime: 0 when every resource is processed, each result emitted as an event", async () => {
    const sb = sandbox({ a: '{{getv "/app/value"}}\n', b: "static\n" });
    const log = new CaptureLogger();
    const results: string[] = [];
    const events = new RunEvents();
    events.on((e) => {
      if (e.type === "result") {
        results.push(`${e.result.resource.dest.slice(-1)} ${e.result.outcome} ${e.result.trigger}`);
      }
      if (e.type === "pass-done") results.push(`pass ${e.total} ${e.failed}`);
    });
    assert.equal(await runConfd(sb.config({ onetime: true }), log, new AbortController().signal, { events }), 0);
    assert.deepEqual(results, ["a updated initial", "b updated initial", "pass 2 0"]);
    assert.equal(readFileSync(sb.out("a"), "utf8"), "v1\n");
    assert.equal(readFileSync(sb.out("b"), "utf8"), "static\n");
  });

  it("onetime: a failing resource does not stop the others; every error is logged; exit 1", async () => {
    const sb = sandbox({ a: '{{getv "/app/nokey"}}', b: "ok\n", c: "{{getv}}" });
    const log = new CaptureLogger();
    assert.equal(await runConfd(sb.config({ onetime: true }), log, new AbortController().signal), 1);
    assert.equal(readFileSync(sb.out("b"), "utf8"), "ok\n");
    const errors = log.lines.filter((l) => l.startsWith("ERROR"));
    assert.equal(errors.length, 2, log.text());
    assert.match(errors[0], /key does not exist: \/app\/nokey/);
    assert.match(errors[1], /wrong number of args for getv/);
    assert.equal(log.lines.at(-1), "FATAL 2 template resource errors, see above");
  });

  it("onetime: a check that fails after an abort is still reported (exit 1), only the abort itself is quiet", async () => {
    const sb = sandbox({ a: "a\n" });
    const toml = join(sb.dir, "confdir", "conf.d", "a.toml");
    const marker = join(sb.dir, "checking");
    writeFileSync(toml, readFileSync(toml, "utf8") + `check_cmd = "touch ${marker}; sleep 0.3; exit 3"\n`);
    const ac = new AbortController();
    const log = new CaptureLogger();
    const run = runConfd(sb.config({ onetime: true }), log, ac.signal);
    await until(() => existsSync(marker));
    ac.abort("terminated");
    assert.equal(await run, 1);
    assert.ok(log.lines.includes("ERROR Config check failed: exit status 3"), log.text());
    assert.equal(existsSync(sb.out("a")), false);
  });

  it("noop with diff writes the diff to deps.out and nothing to disk", async () => {
    const sb = sandbox({ a: "new\n" });
    let printed = "";
    const log = new CaptureLogger();
    const code = await runConfd(
      sb.config({ onetime: true, noop: true, diff: true }),
      log,
      new AbortController().signal,
      {
        out: (t) => (printed += t),
      },
    );
    assert.equal(code, 0);
    assert.equal(existsSync(sb.out("a")), false);
    assert.match(printed, /\n\+new\n$/);
    assert.ok(log.lines.includes(`WARNING Noop mode enabled. ${sb.out("a")} will not be modified`));
  });

  it("a dest in a setgid directory is in sync on the second pass", {
    skip: process.getuid?.() !== 0 ? "needs root" : false,
  }, async () => {
    const sb = sandbox({ a: "x\n" });
    chownSync(join(sb.dir, "out"), 0, 65534);
    chmodSync(join(sb.dir, "out"), 0o2775);
    const first = new CaptureLogger();
    assert.equal(await runConfd(sb.config({ onetime: true }), first, new AbortController().signal), 0);
    assert.ok(first.lines.includes(`INFO Target config ${sb.out("a")} out of sync`));
    const second = new CaptureLogger();
    assert.equal(await runConfd(sb.config({ onetime: true }), second, new AbortController().signal), 0);
    assert.deepEqual(second.lines.filter((l) => !l.startsWith("DEBUG")), []);
  });

  for (const backend of ["etcdv3"] as const) {
    it(`backend ${backend} is a clear "not yet implemented" failure`, async () => {
      const log = new CaptureLogger();
      assert.equal(
        await runConfd({ ...defaultConfig(), backend, onetime: true }, log, new AbortController().signal),
        1,
      );
      assert.equal(log.lines.length, 1);
      assert.match(
        log.lines[0],
        new RegExp(
          `^FATAL backend "${backend}".* is not yet implemented: use -backend file -file PATH .* or -backend env for now$`,
        ),
      );
    });
  }

  it("watch: initial render, re-render on change, 0 after abort", async () => {
    const sb = sandbox({ a: '{{getv "/app/value"}}\n' });
    const ac = new AbortController();
    const log = new CaptureLogger();
    const run = runConfd(sb.config({ watch: true }), log, ac.signal);
    await until(() => existsSync(sb.out("a")) && readFileSync(sb.out("a"), "utf8") === "v1\n");
    writeFileSync(join(sb.dir, "data.yaml"), "app:\n  value: v2\n");
    await until(() => readFileSync(sb.out("a"), "utf8") === "v2\n");
    ac.abort();
    assert.equal(await run, 0);
  });

  it("watch: a change made while the resource is being processed is rendered afterwards (no lost update)", async () => {
    const sb = sandbox({ a: '{{getv "/app/value"}}\n' });
    const toml = join(sb.dir, "confdir", "conf.d", "a.toml");
    const marker = join(sb.dir, "reloading");
    writeFileSync(toml, readFileSync(toml, "utf8") + `reload_cmd = "touch ${marker}; sleep 0.3"\n`);
    const ac = new AbortController();
    const run = runConfd(sb.config({ watch: true }), new CaptureLogger(), ac.signal);
    try {
      await until(() => existsSync(marker));
      writeFileSync(join(sb.dir, "data.yaml"), "app:\n  value: v2\n");
      await until(() => readFileSync(sb.out("a"), "utf8") === "v2\n");
    } finally {
      ac.abort();
      assert.equal(await run, 0);
    }
  });

  it("watch: after an abort, resources queued behind the running one are not processed", async () => {
    const sb = sandbox({ a: "a\n", b: "b\n" });
    for (const name of ["a", "b"]) {
      const toml = join(sb.dir, "confdir", "conf.d", `${name}.toml`);
      const marker = join(sb.dir, `${name}.started`);
      writeFileSync(toml, readFileSync(toml, "utf8") + `reload_cmd = "touch ${marker}; sleep 0.3"\n`);
    }
    const ac = new AbortController();
    const run = runConfd(sb.config({ watch: true }), new CaptureLogger(), ac.signal);
    const started = () => ["a", "b"].filter((n) => existsSync(join(sb.dir, `${n}.started`)));
    await until(() => started().length > 0);
    ac.abort();
    assert.equal(await run, 0);
    assert.equal(started().length, 1, `only the running resource finishes, got ${started().join(", ")}`);
  });

  it("watch: with no resources it idles until aborted", async () => {
    const sb = sandbox({});
    const ac = new AbortController();
    let done = false;
    const run = runConfd(sb.config({ watch: true }), new CaptureLogger(), ac.signal).then((c) => {
      done = true;
      return c;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(done, false);
    ac.abort();
    assert.equal(await run, 0);
  });

  it("interval: processes, then stops promptly when aborted during the sleep", async () => {
    const sb = sandbox({ a: "x\n" });
    const ac = new AbortController();
    const run = runConfd(sb.config({ interval: 600 }), new CaptureLogger(), ac.signal);
    await until(() => existsSync(sb.out("a")));
    const t = Date.now();
    ac.abort();
    assert.equal(await run, 0);
    assert.ok(Date.now() - t < 1000);
  });

  it("interval: a load warning (mode without leading 0) is logged once, not at every pass", async () => {
    const sb = sandbox({ a: "x\n" });
    const toml = join(sb.dir, "confdir", "conf.d", "a.toml");
    writeFileSync(toml, readFileSync(toml, "utf8") + `mode = "644"\n`);
    const ac = new AbortController();
    const log = new CaptureLogger();
    const run = runConfd(sb.config({ interval: 0.02 }), log, ac.signal);
    await until(() => log.lines.filter((l) => l === "DEBUG Retrieving keys from store").length >= 3);
    ac.abort();
    assert.equal(await run, 0);
    assert.equal(log.lines.filter((l) => /WARNING .*mode "644" has no leading 0/.test(l)).length, 1, log.text());
  });

  it("interval: a non-positive interval is one second, with a warning", async () => {
    const sb = sandbox({ a: "x\n" });
    const ac = new AbortController();
    const log = new CaptureLogger();
    const run = runConfd(sb.config({ interval: 0 }), log, ac.signal);
    await until(() => existsSync(sb.out("a")));
    ac.abort();
    assert.equal(await run, 0);
    assert.ok(log.lines.includes("WARNING interval 0 is not positive: using 1 second"));
  });
});

describe("Mutex", () => {
  it("runs tasks one at a time, in order, even when one fails", async () => {
    const m = new Mutex();
    const events: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      m.run(async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
      });
    const results = await Promise.allSettled([task("a", 30, true), task("b", 5), task("c", 1)]);
    assert.deepEqual(events, ["start a", "end a", "start b", "end b", "start c", "end c"]);
    assert.equal(results[0].status, "rejected");
  });
});
