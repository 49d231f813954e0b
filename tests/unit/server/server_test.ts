// The status server over real HTTP (node:http) inside runConfd: it answers
// while bootstrap runs, reports what happened, never shows a value read from the
// backend, and a bad address or a port in use stops the run with exit 1.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../../src/config/config.ts";
import { defaultConfig } from "../../../src/config/settings.ts";
import { RunEvents } from "../../../src/runner/events.ts";
import { runConfd } from "../../../src/runner/run.ts";
import { CaptureLogger } from "../runner/capture_logger.ts";

const SECRET = "s3cr3t-2f8a9c1e-value";

function sandbox(): { dir: string; config: (extra?: Partial<Config>) => Config } {
  const dir = mkdtempSync(join(tmpdir(), "reconfd-status-"));
  mkdirSync(join(dir, "confdir", "conf.d"), { recursive: true });
  mkdirSync(join(dir, "confdir", "templates"));
  writeFileSync(join(dir, "data.yaml"), `app:\n  password: ${SECRET}\n  host: db1\n`);
  writeFileSync(
    join(dir, "confdir", "templates", "app.tmpl"),
    'host={{getv "/app/host"}} pw={{getv "/app/password"}}\n',
  );
  writeFileSync(
    join(dir, "confdir", "conf.d", "app.toml"),
    `[template]\nsrc = "app.tmpl"\ndest = "${join(dir, "app.conf")}"\nkeys = ["/app"]\n`,
  );
  const config = (extra: Partial<Config> = {}): Config => ({
    ...defaultConfig(),
    backend: "file",
    file: [join(dir, "data.yaml")],
    confdir: join(dir, "confdir"),
    interval: 3600,
    ...extra,
  });
  return { dir, config };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

function listeningUrl(log: CaptureLogger): string | undefined {
  return /Status server listening on (http:\/\/\S+)/.exec(log.text())?.[1];
}

describe("status server in runConfd", () => {
  it("serves every endpoint over HTTP, and no response holds a value from the backend", async () => {
    const sb = sandbox();
    const log = new CaptureLogger();
    const ac = new AbortController();
    const events = new RunEvents();
    let passes = 0;
    events.on((e) => void (e.type === "pass-done" && passes++));
    const run = runConfd(sb.config({ statusAddr: "127.0.0.1:0" }), log, ac.signal, {
      events,
      buildInfo: { version: "9.9.9", commit: "feed", runtime: "test" },
    });
    await until(() => passes >= 1 && listeningUrl(log) !== undefined);
    const base = listeningUrl(log)!;
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    const bodies: string[] = [];
    for (const path of ["/healthz", "/readyz", "/metrics", "/v1/resources", "/"]) {
      const res = await fetch(base + path);
      assert.equal(res.status, 200, path);
      bodies.push(await res.text());
    }
    assert.equal(bodies[0], "ok\n");
    assert.deepEqual(JSON.parse(bodies[1]), { ready: true });
    assert.match(bodies[2], /^reconfd_renders_total\{resource="app\.toml",outcome="updated"\} 1$/m);
    assert.match(bodies[2], /^reconfd_build_info\{version="9\.9\.9",commit="feed",runtime="test"\} 1$/m);
    assert.equal(JSON.parse(bodies[3]).resources[0].lastResult.outcome, "updated");
    assert.match(bodies[4], /app\.toml/);
    for (const body of bodies) assert.ok(!body.includes(SECRET), "a backend value leaked into a response");
    ac.abort("terminated");
    assert.equal(await run, 0);
    await assert.rejects(fetch(base + "/healthz"), "the server is closed on shutdown");
  });

  it("a bad -status-addr is a FATAL line and exit 1 before anything is rendered", async () => {
    const sb = sandbox();
    const log = new CaptureLogger();
    const code = await runConfd(sb.config({ statusAddr: "9090" }), log, new AbortController().signal);
    assert.equal(code, 1);
    assert.match(
      log.text(),
      /^FATAL invalid -status-addr "9090": no port \(want host:port, e\.g\. 127\.0\.0\.1:9090\)$/m,
    );
    assert.ok(!log.text().includes("updated"));
  });

  it("a port in use is a FATAL line naming the address, exit 1", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", () => resolve()));
    const port = (busy.address() as { port: number }).port;
    try {
      const sb = sandbox();
      const log = new CaptureLogger();
      const code = await runConfd(sb.config({ statusAddr: `127.0.0.1:${port}` }), log, new AbortController().signal);
      assert.equal(code, 1);
      assert.match(
        log.text(),
        new RegExp(`^FATAL cannot start the status server on 127\\.0\\.0\\.1:${port}: address already in use$`, "m"),
      );
    } finally {
      busy.close();
    }
  });

  it("-onetime ignores -status-addr with a warning", async () => {
    const sb = sandbox();
    const log = new CaptureLogger();
    const code = await runConfd(
      sb.config({ statusAddr: "127.0.0.1:0", onetime: true }),
      log,
      new AbortController().signal,
    );
    assert.equal(code, 0);
    assert.match(log.text(), /^WARNING -status-addr is ignored with -onetime$/m);
    assert.equal(listeningUrl(log), undefined);
  });
});
