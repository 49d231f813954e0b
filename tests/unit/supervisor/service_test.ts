// The service with real sh children: its events, the reload signal, forwarded
// signals, and reconfd's exit code after a stop we asked for or an end of its own.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunEvent, RunEvents } from "../../../src/runner/events.ts";
import { Service, type ServiceOptions } from "../../../src/supervisor/service.ts";
import { CaptureLogger } from "../runner/capture_logger.ts";

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A service running `script` with sh; its events and log are kept. */
function service(script: string, opts: Partial<ServiceOptions> = {}) {
  const events = new RunEvents();
  const seen: RunEvent[] = [];
  events.on((e) => seen.push(e));
  const log = new CaptureLogger();
  const s = new Service({ argv: ["/bin/sh", "-c", script], stdio: "ignore", log, events, ...opts });
  return { s, seen, log, types: () => seen.map((e) => e.type) };
}

/** A script that records the signals it traps in `file`, one name a line, and exits 0 on TERM. */
function trapper(file: string, ready: string): string {
  return `trap 'echo HUP >> ${file}' HUP; trap 'echo USR1 >> ${file}' USR1; ` +
    `trap 'echo TERM >> ${file}; exit 0' TERM; : > ${ready}; while :; do sleep 0.05; done`;
}

describe("Service", () => {
  it("reports started and exited; an end of its own passes its code through and aborts `ended`", async () => {
    const { s, seen, types } = service("exit 3");
    s.start();
    await until(() => s.ended.aborted);
    assert.deepEqual(types(), ["service-started", "service-exited"]);
    assert.deepEqual(seen[1], { type: "service-exited", code: 3, signal: null, exitCode: 3 });
    assert.equal(await s.stop().then((e) => e?.exitCode), 3, "stopping an ended service changes nothing");
    assert.equal(s.exitCode(), 3);
  });

  it("a service killed from outside by SIGKILL gives 137", async () => {
    const { s } = service("kill -KILL $$");
    s.start();
    await until(() => s.ended.aborted);
    await s.stop();
    assert.equal(s.exitCode(), 137);
  });

  it("stop: the kill signal reaches it; stopped as asked gives 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconfd-service-"));
    const file = join(dir, "signals");
    const ready = join(dir, "ready");
    const { s, seen } = service(trapper(file, ready));
    s.start();
    await until(() => existsSync(ready));
    await s.stop();
    assert.equal(readFileSync(file, "utf8"), "TERM\n");
    assert.equal(s.exitCode(), 0);
    assert.ok(seen.some((e) => e.type === "service-signalled" && e.signal === "SIGTERM" && e.why === "stop"));
  });

  it("stop: a service dying of the kill signal (no trap) gives 0 too", async () => {
    const { s } = service("sleep 100");
    s.start();
    await new Promise((r) => setTimeout(r, 50));
    const exit = await s.stop();
    assert.equal(exit?.signal, "SIGTERM");
    assert.equal(s.exitCode(), 0);
  });

  it("stop: the configured kill signal; SIGKILL of the group after the timeout gives 137", async () => {
    const { s, seen, log } = service("trap '' QUIT; while :; do sleep 0.05; done", {
      killSignal: "SIGQUIT",
      killTimeoutMs: 200,
    });
    s.start();
    await new Promise((r) => setTimeout(r, 100));
    const exit = await s.stop();
    assert.equal(exit?.signal, "SIGKILL");
    assert.equal(s.exitCode(), 137);
    const signalled = seen.filter((e) => e.type === "service-signalled");
    assert.deepEqual(signalled, [
      { type: "service-signalled", signal: "SIGQUIT", why: "stop" },
      { type: "service-signalled", signal: "SIGKILL", why: "kill" },
    ]);
    assert.match(log.text(), /WARNING Service did not stop within 0.2s of SIGQUIT; killing its process group/);
  });

  it("reload sends the reload signal only when one is set; forward passes a signal on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconfd-service-"));
    const file = join(dir, "signals");
    const ready = join(dir, "ready");
    const { s, seen } = service(trapper(file, ready), { reloadSignal: "SIGHUP" });
    s.reload("before-start.toml");
    s.start();
    await until(() => existsSync(ready));
    s.reload("conf.d/a.toml");
    await until(() => existsSync(file) && readFileSync(file, "utf8") === "HUP\n");
    s.forward("SIGUSR1");
    await until(() => readFileSync(file, "utf8") === "HUP\nUSR1\n");
    await s.stop();
    const signalled = seen.filter((e) => e.type === "service-signalled").map((e) => JSON.stringify(e));
    assert.deepEqual(signalled, [
      JSON.stringify({ type: "service-signalled", signal: "SIGHUP", why: "reload" }),
      JSON.stringify({ type: "service-signalled", signal: "SIGUSR1", why: "forward" }),
      JSON.stringify({ type: "service-signalled", signal: "SIGTERM", why: "stop" }),
    ]);
  });

  it("without a reload signal, reload does nothing", async () => {
    const { s, seen } = service("sleep 100");
    s.start();
    s.reload("conf.d/a.toml");
    await s.stop();
    assert.equal(seen.filter((e) => e.type === "service-signalled" && e.why === "reload").length, 0);
  });

  it("a program that cannot start ends the service with 127 and an error line", async () => {
    const { s, log } = service("", { argv: ["/nonexistent/reconfd-service"] });
    s.start();
    await until(() => s.ended.aborted);
    await s.stop();
    assert.equal(s.exitCode(), 127);
    assert.match(log.text(), /ERROR Cannot start service \/nonexistent\/reconfd-service: .*ENOENT/);
  });
});
