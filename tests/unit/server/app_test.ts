// The status app's routes through app.request: readiness as bootstrap and the
// service progress, the resources JSON, the page's escaping, and the bounds on
// what the state keeps.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createStatusApp } from "../../../src/server/app.ts";
import { briefError, RECENT_EVENTS, StatusState } from "../../../src/server/state.ts";
import { CONFDIR, resource, result } from "./fixture.ts";

const BUILD = { version: "0.1.0", commit: "abc123", runtime: "bun 1.4.5" };

function setup(serviceConfigured = false) {
  const state = new StatusState({ serviceConfigured, confdir: CONFDIR });
  const app = createStatusApp(state, BUILD);
  return { state, app };
}

async function readyz(app: ReturnType<typeof setup>["app"]): Promise<[number, unknown]> {
  const res = await app.request("/readyz");
  return [res.status, await res.json()];
}

describe("status app", () => {
  it("/healthz answers ok, before anything happened too; HEAD works; unknown paths are 404", async () => {
    const { app } = setup();
    const res = await app.request("/healthz");
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "ok\n");
    assert.equal((await app.request("/healthz", { method: "HEAD" })).status, 200);
    assert.equal((await app.request("/nope")).status, 404);
  });

  it("/readyz waits for bootstrap, then for the supervised service", async () => {
    const { state, app } = setup(true);
    assert.deepEqual(await readyz(app), [503, { ready: false, reason: "bootstrap: loading template resources" }]);
    const rs = [resource("a.toml"), resource("b.toml"), resource("c.toml")];
    state.apply({ type: "resources-loaded", resources: rs, errors: [] });
    state.apply({ type: "result", result: result(rs[0]) });
    state.apply({
      type: "result",
      result: result(rs[1], { outcome: undefined, error: new Error("boom"), failedPhase: "fetch" }),
    });
    assert.deepEqual(await readyz(app), [
      503,
      { ready: false, reason: "bootstrap: 2 of 3 template resources not rendered yet" },
    ]);
    state.apply({ type: "bootstrap-done" });
    assert.deepEqual(await readyz(app), [503, { ready: false, reason: "waiting for the service to start" }]);
    state.apply({ type: "service-started", pid: 7, command: ["sleep", "9"] });
    assert.deepEqual(await readyz(app), [200, { ready: true }]);
    state.apply({ type: "service-exited", code: 3, signal: null, exitCode: 3 });
    assert.deepEqual(await readyz(app), [503, { ready: false, reason: "the service exited (code 3)" }]);
  });

  it("/readyz without a service is ready at bootstrap-done, and not ready once shutting down", async () => {
    const { state, app } = setup(false);
    state.apply({ type: "resources-loaded", resources: [resource("a.toml")], errors: [] });
    state.apply({ type: "result", result: result(resource("a.toml")) });
    state.apply({ type: "bootstrap-done" });
    assert.deepEqual(await readyz(app), [200, { ready: true }]);
    state.shutdown();
    assert.deepEqual(await readyz(app), [503, { ready: false, reason: "shutting down" }]);
  });

  it("/metrics is served with the text format's content type", async () => {
    const { app } = setup();
    const res = await app.request("/metrics");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    assert.match(await res.text(), /^reconfd_bootstrap_done 0$/m);
  });

  it("/v1/resources lists files, keys and the last result with its times", async () => {
    const { state, app } = setup();
    const r = resource("app.toml");
    state.apply({ type: "resources-loaded", resources: [r, resource("other.toml")], errors: [] });
    state.apply({ type: "result", result: result(r) });
    state.apply({
      type: "result",
      result: result(r, {
        trigger: "watch",
        changedKeys: ["/app/db"],
        outcome: undefined,
        error: new Error("Config check failed: exit status 1\nmore output"),
        failedPhase: "check",
        durations: { render: 0.002, check: 0.05 },
      }),
    });
    const res = await app.request("/v1/resources");
    assert.equal(res.status, 200);
    const body = await res.json() as { resources: Record<string, unknown>[] };
    assert.deepEqual(body.resources.map((x) => x.name), ["app.toml", "other.toml"]);
    const app0 = body.resources[0];
    assert.equal(app0.src, `${CONFDIR}/templates/app.tmpl`);
    assert.equal(app0.dest, "/etc/app/app.conf");
    assert.deepEqual(app0.keys, ["/app/db", "/app/port"]);
    assert.equal(app0.prefix, "/");
    assert.deepEqual(app0.lastResult, {
      outcome: "failed",
      trigger: "watch",
      changedKeys: ["/app/db"],
      changedKeyCount: 1,
      error: "Config check failed: exit status 1",
      failedPhase: "check",
      durations: { render: 0.002, check: 0.05 },
      startedAt: "2026-01-02T03:04:05.000Z",
      finishedAt: (app0.lastResult as { finishedAt: string }).finishedAt,
    });
    assert.match(app0.lastSuccessAt as string, /^\d{4}-\d\d-\d\dT/);
    assert.equal(body.resources[1].lastResult, null);
    assert.equal(body.resources[1].lastSuccessAt, null);
  });

  it("the page escapes names and errors, and shows keys, outcomes and durations", async () => {
    const { state, app } = setup();
    const evil = resource("<img src=x onerror=alert(1)>.toml", { dest: '/tmp/"><script>x</script>' });
    state.apply({ type: "resources-loaded", resources: [evil, resource("app.toml")], errors: [] });
    state.apply({
      type: "result",
      result: result(evil, {
        changedKeys: ["/app/<b>"],
        outcome: undefined,
        error: new Error("template: <script>alert('x')</script>"),
        failedPhase: "render",
        durations: { render: 0.0123 },
      }),
    });
    state.apply({
      type: "result",
      result: result(resource("app.toml"), { changedKeys: ["/app/db"], durations: { render: 0.0004, reload: 1.5 } }),
    });
    const res = await app.request("/");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const html = await res.text();
    assert.ok(!html.includes("<script"), "no script element, escaped or injected");
    assert.ok(!html.includes("<img"), "no injected element");
    assert.ok(!html.includes("<b>"));
    assert.ok(html.includes("&#60;img src=x onerror=alert(1)&#62;.toml"));
    assert.ok(html.includes("template: &#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"));
    assert.match(html, /render failed/);
    assert.match(html, /render 12 ms/);
    assert.match(html, /reload 1\.5 s/);
    assert.match(html, /<code>\/app\/db<\/code>/);
  });

  it("keeps the last 50 events, 20 changed keys per result, and one capped line per error", () => {
    const { state } = setup();
    const r = resource("a.toml");
    state.apply({ type: "resources-loaded", resources: [r], errors: [] });
    const keys = Array.from({ length: 100 }, (_, i) => `/k/${i}`);
    for (let i = 0; i < 200; i++) state.apply({ type: "result", result: result(r, { changedKeys: keys }) });
    assert.equal(state.recent.length, RECENT_EVENTS);
    assert.equal(state.resources.get("a.toml")?.last?.changedKeys.length, 20);
    assert.equal(state.resources.get("a.toml")?.last?.changedKeyCount, 100);
    state.apply({
      type: "result",
      result: result(r, {
        outcome: undefined,
        error: new Error("x".repeat(5000) + "\nsecond line"),
        failedPhase: "render",
      }),
    });
    const error = state.resources.get("a.toml")?.last?.error ?? "";
    assert.equal(error, "x".repeat(300) + "…");
    assert.equal(state.resources.get("a.toml")?.counters.outcomes.get("updated"), 200);
  });

  it("error messages keep their location but not a value a template function or range quotes", () => {
    const at = 'template: t.tmpl:1:2: executing "t.tmpl" at <atoi (getv "/app/pw")>: ';
    const cases: [string, string][] = [
      [
        at + 'error calling atoi: strconv.Atoi: parsing "hunter2": invalid syntax',
        at + 'error calling atoi: strconv.Atoi: parsing "[redacted]": invalid syntax',
      ],
      [
        at + 'error calling parseTime: parsing time "hun\\"ter2" as "2006": cannot parse "hun\\"ter2" as "2006"',
        at +
        'error calling parseTime: parsing time "[redacted]" as "[redacted]": cannot parse "[redacted]" as "[redacted]"',
      ],
      [
        at + "error calling json: invalid character 'h' looking for beginning of value",
        at + "error calling json: invalid character '[redacted]' looking for beginning of value",
      ],
      [at + "range can't iterate over hunter2", at + "range can't iterate over [redacted]"],
      [at + "error calling index: index out of range: 99", at + "error calling index: index out of range: 99"],
      ["Config check failed: exit status 1", "Config check failed: exit status 1"],
    ];
    for (const [input, want] of cases) assert.equal(briefError(input), want);
  });

  it("interval passes that load the same resources add no event line", () => {
    const { state } = setup();
    for (let i = 0; i < 5; i++) state.apply({ type: "resources-loaded", resources: [resource("a.toml")], errors: [] });
    assert.equal(state.recent.filter((e) => e.kind === "resources-loaded").length, 1);
    state.apply({ type: "resources-loaded", resources: [resource("a.toml"), resource("b.toml")], errors: [] });
    assert.equal(state.recent.filter((e) => e.kind === "resources-loaded").length, 2);
  });
});
