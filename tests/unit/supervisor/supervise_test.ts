// Supervision through runConfd in-process (file backend, watch mode, real sh
// children): the service starts after the first render, its end stops the
// runner with its code, signals are forwarded through the onSignal hook, and
// the reload signal follows an update of a resource without reload_cmd.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../../src/config/config.ts";
import { defaultConfig } from "../../../src/config/settings.ts";
import { type RunEvent, RunEvents } from "../../../src/runner/events.ts";
import { runConfd } from "../../../src/runner/run.ts";
import { serviceArgv } from "../../../src/supervisor/supervise.ts";
import { CaptureLogger } from "../runner/capture_logger.ts";

function sandbox(data = "app:\n  value: v1\n") {
  const dir = mkdtempSync(join(tmpdir(), "reconfd-supervise-"));
  mkdirSync(join(dir, "confdir", "conf.d"), { recursive: true });
  mkdirSync(join(dir, "confdir", "templates"));
  const dest = join(dir, "out.conf");
  writeFileSync(join(dir, "confdir", "templates", "t.tmpl"), '{{getv "/app/value"}}\n');
  writeFileSync(
    join(dir, "confdir", "conf.d", "t.toml"),
    `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n`,
  );
  const dataFile = join(dir, "data.yaml");
  if (data !== "") writeFileSync(dataFile, data);
  const config = (extra: Partial<Config>): Config => ({
    ...defaultConfig(),
    backend: "file",
    file: [dataFile],
    confdir: join(dir, "confdir"),
    watch: true,
    ...extra,
  });
  return { dir, dest, dataFile, config, path: (name: string) => join(dir, name) };
}

/** An onSignal hook that keeps the handlers, so a test can "deliver" a signal. */
function signalHooks() {
  const handlers = new Map<string, () => void>();
  return {
    handlers,
    onSignal: (name: NodeJS.Signals, handler: () => void) => {
      handlers.set(name, handler);
      return () => handlers.delete(name);
    },
  };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");

describe("serviceArgv", () => {
  it("runs -exec with /bin/sh -c, an argv after -- as it is, nothing otherwise", () => {
    const base = defaultConfig();
    assert.equal(serviceArgv(base), undefined);
    assert.deepEqual(serviceArgv({ ...base, exec: "nginx -g 'daemon off;'" }), [
      "/bin/sh",
      "-c",
      "nginx -g 'daemon off;'",
    ]);
    const derived = { ...base.derived, execArgv: ["nginx", "-g", "daemon off;"] };
    assert.deepEqual(serviceArgv({ ...base, derived }), ["nginx", "-g", "daemon off;"]);
  });
});

describe("runConfd with a service", () => {
  it("starts it after the first render; SIGTERM (abort) stops it, exit 0", async () => {
    const sb = sandbox();
    const events = new RunEvents();
    const order: string[] = [];
    events.on((e: RunEvent) => {
      if (e.type === "result" || e.type === "bootstrap-done" || e.type.startsWith("service-")) order.push(e.type);
    });
    const seen = sb.path("seen");
    const ac = new AbortController();
    const run = runConfd(
      sb.config({ exec: `cat ${sb.dest} > ${seen}; exec sleep 100` }),
      new CaptureLogger(),
      ac.signal,
      {
        events,
      },
    );
    await until(() => read(seen) === "v1\n");
    ac.abort("terminated");
    assert.equal(await run, 0);
    assert.deepEqual(order, [
      "result",
      "bootstrap-done",
      "service-started",
      "service-signalled",
      "service-exited",
    ]);
  });

  it("a bootstrap that fails first delays the service until the data exists", async () => {
    const sb = sandbox("");
    const seen = sb.path("seen");
    const ac = new AbortController();
    const run = runConfd(
      sb.config({ exec: `cat ${sb.dest} > ${seen}; exec sleep 100` }),
      new CaptureLogger(),
      ac.signal,
      { bootstrapBackoff: { initialMs: 50, maxMs: 100 } },
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(existsSync(seen), false, "not started before the render");
    writeFileSync(sb.dataFile, "app:\n  value: late\n");
    await until(() => read(seen) === "late\n");
    ac.abort("terminated");
    assert.equal(await run, 0);
  });

  it("the service's own end stops the runner with its code", async () => {
    const sb = sandbox();
    const log = new CaptureLogger();
    const code = await runConfd(sb.config({ exec: "exit 3" }), log, new AbortController().signal);
    assert.equal(code, 3);
    assert.match(log.text(), /ERROR Service ended \(exit status 3\); stopping/);
  });

  it("forwards SIGUSR1; sends the reload signal after an update; unsubscribes at the end", async () => {
    const sb = sandbox();
    const file = sb.path("signals");
    const ready = sb.path("ready");
    const hooks = signalHooks();
    const ac = new AbortController();
    const script = `trap 'echo HUP >> ${file}' HUP; trap 'echo USR1 >> ${file}' USR1; : > ${ready}; ` +
      "while :; do sleep 0.05; done";
    const run = runConfd(
      sb.config({ exec: script, execReloadSignal: "SIGHUP" }),
      new CaptureLogger(),
      ac.signal,
      { processHooks: { onSignal: hooks.onSignal } },
    );
    await until(() => existsSync(ready));
    assert.deepEqual([...hooks.handlers.keys()].sort(), ["SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"]);
    hooks.handlers.get("SIGUSR1")?.();
    await until(() => read(file) === "USR1\n");
    writeFileSync(sb.dataFile, "app:\n  value: v2\n");
    await until(() => read(file) === "USR1\nHUP\n");
    ac.abort("terminated");
    assert.equal(await run, 0);
    assert.equal(hooks.handlers.size, 0);
  });
});
