// runConfd in-process: onetime exit codes, watch and interval loops and their
// clean stop on abort, -noop -diff output, unsupported backends.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../../src/config/config.ts";
import { defaultConfig } from "../../../src/config/settings.ts";
import { runConfd } from "../../../src/runner/run.ts";
import { Mutex } from "../../../src/runner/mutex.ts";
import { RunEvents } from "../../../src/runner/events.ts";
import { CaptureLogger } from "./capture_logger.ts";
import { isRoot, skipUnless } from "../../helpers/skip.ts";

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
    skip: skipUnless(isRoot(), "chown needs root"),
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

  it("bootstrap: retries the first pass until every resource renders, one log line per round", async () => {
    const sb = sandbox({ a: '{{getv "/app/value"}}\n' });
    const missing = join(sb.dir, "later.yaml");
    const ac = new AbortController();
    const log = new CaptureLogger();
    const events = new RunEvents();
    const seen: string[] = [];
    events.on((e) => {
      if (e.type === "bootstrap-retry" || e.type === "bootstrap-done") seen.push(e.type);
    });
    const run = runConfd(sb.config({ watch: true, file: [missing] }), log, ac.signal, {
      events,
      bootstrapBackoff: { initialMs: 20, maxMs: 40 },
    });
    try {
      await until(() => seen.filter((t) => t === "bootstrap-retry").length >= 3);
      assert.equal(existsSync(sb.out("a")), false);
      writeFileSync(missing, "app:\n  value: late\n");
      await until(() => existsSync(sb.out("a")) && readFileSync(sb.out("a"), "utf8") === "late\n");
      await until(() => seen.includes("bootstrap-done"));
    } finally {
      ac.abort();
      assert.equal(await run, 0);
    }
    // The first attempt logs its error; later rounds are one WARNING each, no ERROR per resource.
    assert.equal(log.lines.filter((l) => l.startsWith("ERROR")).length, 1, log.text());
    const rounds = log.lines.filter((l) =>
      /^WARNING Bootstrap attempt \d+: 1 of 1 template resources not rendered/.test(l)
    );
    assert.equal(rounds.length, seen.filter((t) => t === "bootstrap-retry").length);
    assert.match(rounds[0], /\(a\.toml; first error: .*later\.yaml.*\); retrying in \d+ms$/);
  });

  it("bootstrap: -bootstrap-timeout gives up with exit 1, naming what never rendered and why", async () => {
    const sb = sandbox({ a: '{{getv "/app/nokey"}}\n', b: "fine\n" });
    const config = sb.config({ interval: 600 });
    config.derived.bootstrapTimeoutMs = 150;
    const log = new CaptureLogger();
    const code = await runConfd(config, log, new AbortController().signal, {
      bootstrapBackoff: { initialMs: 20, maxMs: 40, jitter: 0 },
    });
    assert.equal(code, 1);
    assert.equal(readFileSync(sb.out("b"), "utf8"), "fine\n");
    assert.ok(
      log.lines.some((l) => /^ERROR .*a\.toml never rendered: .*key does not exist: \/app\/nokey/.test(l)),
      log.text(),
    );
    assert.match(
      log.lines[log.lines.length - 1],
      /^FATAL Bootstrap gave up after \d+ attempts: 1 template resource never rendered \(a\.toml\)$/,
    );
  });

  it("watch: a file that keeps changing is still rendered (the settle wait is bounded)", async () => {
    const sb = sandbox({ a: '{{getv "/app/value"}}\n' });
    const ac = new AbortController();
    const run = runConfd(sb.config({ watch: true }), new CaptureLogger(), ac.signal);
    let writing = true;
    try {
      await until(() => existsSync(sb.out("a")));
      const burst = (async () => {
        for (let i = 1; writing; i++) {
          writeFileSync(join(sb.dir, "data.yaml"), `app:\n  value: b${i}\n`);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      // Quiet time 100 ms never comes; the bound (10x) renders within about a second anyway.
      await until(() => readFileSync(sb.out("a"), "utf8").startsWith("b"), 3000);
      writing = false;
      await burst;
    } finally {
      writing = false;
      ac.abort();
      assert.equal(await run, 0);
    }
  });

  it("watch -wait: a burst of changes costs one render and ends on the final state", async () => {
    const sb = sandbox({ a: '{{getv "/app/value"}}\n' });
    const config = sb.config({ watch: true, wait: "300ms:3s" });
    config.derived.wait = { minMs: 300, maxMs: 3000 };
    const events = new RunEvents();
    const updates: string[] = [];
    events.on((e) => {
      if (e.type === "result" && e.result.outcome === "updated") updates.push(e.result.trigger);
    });
    const ac = new AbortController();
    const run = runConfd(config, new CaptureLogger(), ac.signal, { events });
    try {
      await until(() => updates.length === 1);
      for (let i = 1; i <= 10; i++) {
        writeFileSync(join(sb.dir, "data.yaml"), `app:\n  value: w${i}\n`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await until(() => readFileSync(sb.out("a"), "utf8") === "w10\n");
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(updates, ["initial", "watch"]);
    } finally {
      ac.abort();
      assert.equal(await run, 0);
    }
  });

  it("watch with an explicit interval also reconciles every interval", async () => {
    const sb = sandbox({ a: "x\n" });
    const config = sb.config({ watch: true, interval: 0.05 });
    config.derived.intervalSet = true;
    const events = new RunEvents();
    let reconciles = 0;
    events.on((e) => {
      if (e.type === "pass-done" && e.trigger === "reconcile") reconciles++;
    });
    const ac = new AbortController();
    const run = runConfd(config, new CaptureLogger(), ac.signal, { events });
    await until(() => reconciles >= 2);
    ac.abort();
    assert.equal(await run, 0);
  });

  it("reload (SIGHUP) in watch mode: new, changed and removed resources; a bad config keeps the old one", async () => {
    const sb = sandbox({ a: 'a={{getv "/app/value"}}\n', b: "b\n" });
    const conf = join(sb.dir, "confdir");
    const ac = new AbortController();
    const log = new CaptureLogger();
    const handlers: (() => void)[] = [];
    const hup = () => handlers.forEach((h) => h());
    const events = new RunEvents();
    const reloads: boolean[] = [];
    events.on((e) => {
      if (e.type === "config-reloaded") reloads.push(e.ok);
    });
    const confdToml = join(sb.dir, "confd.toml");
    writeFileSync(confdToml, "");
    const reloadConfig = () => {
      const text = readFileSync(confdToml, "utf8");
      if (text.includes("broken")) return Promise.reject(new Error(`${confdToml}:1: unknown key "broken"`));
      return Promise.resolve(sb.config({ watch: true }));
    };
    const run = runConfd(sb.config({ watch: true }), log, ac.signal, {
      events,
      reloadConfig,
      onReloadRequest: (h) => {
        handlers.push(h);
        return () => handlers.splice(handlers.indexOf(h), 1);
      },
    });
    try {
      await until(() => existsSync(sb.out("b")) && readFileSync(sb.out("a"), "utf8") === "a=v1\n");
      // A changed template, a new resource, a removed one.
      writeFileSync(join(conf, "templates", "a.tmpl"), 'A={{getv "/app/value"}}\n');
      writeFileSync(join(conf, "templates", "c.tmpl"), "c\n");
      writeFileSync(
        join(conf, "conf.d", "c.toml"),
        `[template]\nsrc = "c.tmpl"\ndest = "${sb.out("c")}"\nkeys = ["/app"]\n`,
      );
      rmSync(join(conf, "conf.d", "b.toml"));
      hup();
      await until(() => reloads.length === 1);
      assert.deepEqual(reloads, [true]);
      await until(() => existsSync(sb.out("c")) && readFileSync(sb.out("a"), "utf8") === "A=v1\n");
      // b is no longer watched: a data change re-renders a and c only.
      rmSync(sb.out("b"));
      writeFileSync(join(sb.dir, "data.yaml"), "app:\n  value: v2\n");
      await until(() => readFileSync(sb.out("a"), "utf8") === "A=v2\n");
      assert.equal(existsSync(sb.out("b")), false);
      // A bad configuration is logged; the running one goes on.
      writeFileSync(confdToml, "broken = 1\n");
      hup();
      await until(() => reloads.length === 2);
      assert.deepEqual(reloads, [true, false]);
      assert.ok(
        log.lines.some((l) =>
          /^ERROR Reload failed, keeping the running configuration: .*unknown key "broken"/.test(l)
        ),
      );
      writeFileSync(join(sb.dir, "data.yaml"), "app:\n  value: v3\n");
      await until(() => readFileSync(sb.out("a"), "utf8") === "A=v3\n");
      // A broken resource file is a bad configuration too.
      writeFileSync(confdToml, "");
      writeFileSync(join(conf, "conf.d", "d.toml"), "[template]\nsrc = 42\n");
      hup();
      await until(() => reloads.length === 3);
      assert.deepEqual(reloads, [true, false, false]);
      writeFileSync(join(sb.dir, "data.yaml"), "app:\n  value: v4\n");
      await until(() => readFileSync(sb.out("a"), "utf8") === "A=v4\n");
    } finally {
      ac.abort();
      assert.equal(await run, 0);
    }
  });

  it("reload (SIGHUP) in interval mode runs a pass at once", async () => {
    const sb = sandbox({ a: "x\n" });
    const handlers: (() => void)[] = [];
    const events = new RunEvents();
    const triggers: string[] = [];
    events.on((e) => {
      if (e.type === "pass-done") triggers.push(e.trigger);
    });
    const ac = new AbortController();
    const run = runConfd(sb.config({ interval: 600 }), new CaptureLogger(), ac.signal, {
      events,
      reloadConfig: () => Promise.resolve(sb.config({ interval: 600 })),
      onReloadRequest: (h) => {
        handlers.push(h);
        return () => {};
      },
    });
    await until(() => triggers.length === 1 && handlers.length === 1);
    handlers[0]();
    await until(() => triggers.length === 2);
    assert.deepEqual(triggers, ["initial", "reload"]);
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

describe("values never reach the log", () => {
  it("a template error quoting a value (atoi, range) is logged with the value redacted", async () => {
    const sb = sandbox({
      a: '{{atoi (getv "/app/value")}}\n',
      b: '{{range getv "/app/value"}}{{.}}{{end}}\n',
    }, "app:\n  value: hunter2-S3CRET\n");
    const log = new CaptureLogger();
    assert.equal(await runConfd(sb.config({ onetime: true }), log, new AbortController().signal), 1);
    assert.doesNotMatch(log.text(), /S3CRET/);
    assert.match(log.text(), /error calling atoi: strconv\.Atoi: parsing "\[redacted\]": invalid syntax/);
    assert.match(log.text(), /range can't iterate over \[redacted\]/);
  });
});
