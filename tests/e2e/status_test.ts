// The status server through the compiled binary with the file backend: it
// answers during a failing bootstrap (data file missing), turns ready once the
// data appears, counts a render, a reload and a failing check_cmd the way
// promtool parses them, never shows a backend value, renders its page in
// headless Chromium (screenshot kept in dist/artifacts/status-page.png), and
// refuses a bad address or a port in use with exit 1.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { Daemon, runReconfd, Sandbox, waitFor } from "./helpers/reconfd.ts";

const SECRET = "pw-7c41e0d9-never-shown";
const ARTIFACT = new URL("../../dist/artifacts/status-page.png", import.meta.url).pathname;

/** Runs chromium headless with `args` (killed after 60 s); resolves with its stdout. */
function chromium(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => (stdout += b));
    child.stderr.on("data", (b) => (stderr += b));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The value of the sample `line` (name and labels as printed), or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((l) => l.startsWith(line + " "));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

describe("status server (compiled binary)", () => {
  const daemons: Daemon[] = [];
  after(async () => {
    for (const d of daemons) if (d.child.exitCode === null) await d.stop();
  });

  it("answers during bootstrap, reports renders, reloads and check failures, and never shows a value", async () => {
    const sb = new Sandbox();
    const data = sb.path("data.yaml");
    sb.resource({
      name: "app.toml",
      toml: `[template]\nsrc = "app.tmpl"\ndest = "${sb.path("app.conf")}"\nkeys = ["/app"]\n` +
        `reload_cmd = "echo reloaded >> ${sb.path("reloads.log")}"\n`,
      tmplName: "app.tmpl",
      tmpl: 'host={{getv "/app/host"}}\npassword={{getv "/app/password"}}\n',
    });
    const started = Date.now() / 1000;
    const d = new Daemon([
      "-backend",
      "file",
      "-file",
      data,
      "-confdir",
      sb.confdir,
      "-interval",
      "1",
      "-status-addr",
      "127.0.0.1:0",
    ]);
    daemons.push(d);
    await d.waitForLog(/Status server listening on http:\/\/127\.0\.0\.1:\d+/);
    const base = /Status server listening on (http:\/\/\S+)/.exec(d.stderr)![1];

    // Bootstrap fails: the data file is missing. The process is alive, not ready.
    await d.waitForLog(/Bootstrap attempt 1: /);
    assert.deepEqual(await get(base + "/healthz"), { status: 200, body: "ok\n" });
    const early = await get(base + "/readyz");
    assert.equal(early.status, 503);
    assert.deepEqual(JSON.parse(early.body), {
      ready: false,
      reason: "bootstrap: 1 of 1 template resource not rendered yet",
    });

    writeFileSync(data, `app:\n  host: db1\n  password: ${SECRET}\n`);
    await waitFor(() => d.stderr.includes("Bootstrap done after"), 20_000, () => d.stderr);
    assert.deepEqual(await get(base + "/readyz"), { status: 200, body: '{"ready":true}' });

    // Picked up by the next interval pass: a resource whose check always fails, and one whose
    // template error would quote the secret (Go's strconv.Atoi: parsing "...").
    sb.resource({
      name: "checked.toml",
      toml: `[template]\nsrc = "app.tmpl"\ndest = "${sb.path("checked.conf")}"\nkeys = ["/app"]\ncheck_cmd = "false"\n`,
    });
    sb.resource({
      name: "leaky.toml",
      toml: `[template]\nsrc = "leaky.tmpl"\ndest = "${sb.path("leaky.conf")}"\nkeys = ["/app"]\n`,
      tmplName: "leaky.tmpl",
      tmpl: '{{atoi (getv "/app/password")}}\n',
    });
    let metrics = "";
    const poll = setInterval(async () => (metrics = (await get(base + "/metrics")).body), 100);
    try {
      await waitFor(
        () =>
          /^reconfd_check_failures_total\{resource="checked\.toml"\} [1-9]/m.test(metrics) &&
          /^reconfd_render_errors_total\{resource="leaky\.toml"\} [1-9]/m.test(metrics),
        20_000,
      );
    } finally {
      clearInterval(poll);
    }
    const scrape = await get(base + "/metrics");
    assert.equal(scrape.status, 200);
    metrics = scrape.body;

    const promtool = spawnSync("promtool", ["check", "metrics"], { input: metrics, encoding: "utf8" });
    assert.equal(promtool.error, undefined, "promtool is needed (scripts/ci_deps installs it)");
    assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);

    const retries = sample(metrics, "reconfd_bootstrap_retries_total")!;
    assert.ok(retries >= 1);
    assert.equal(sample(metrics, 'reconfd_renders_total{resource="app.toml",outcome="failed"}'), retries);
    assert.equal(sample(metrics, 'reconfd_renders_total{resource="app.toml",outcome="updated"}'), 1);
    assert.ok(sample(metrics, 'reconfd_renders_total{resource="app.toml",outcome="in-sync"}')! >= 0);
    assert.equal(sample(metrics, 'reconfd_reloads_total{resource="app.toml"}'), 1);
    assert.equal(readFileSync(sb.path("reloads.log"), "utf8"), "reloaded\n");
    assert.equal(sample(metrics, 'reconfd_reload_failures_total{resource="app.toml"}'), 0);
    assert.equal(sample(metrics, 'reconfd_render_errors_total{resource="app.toml"}'), 0);
    const checkFailures = sample(metrics, 'reconfd_check_failures_total{resource="checked.toml"}')!;
    assert.equal(sample(metrics, 'reconfd_renders_total{resource="checked.toml",outcome="failed"}'), checkFailures);
    assert.equal(sample(metrics, 'reconfd_renders_total{resource="checked.toml",outcome="updated"}'), 0);
    const lastSuccess = sample(metrics, 'reconfd_last_success_timestamp_seconds{resource="app.toml"}')!;
    assert.ok(lastSuccess >= started && lastSuccess <= Date.now() / 1000, `${lastSuccess}`);
    assert.equal(sample(metrics, 'reconfd_last_success_timestamp_seconds{resource="checked.toml"}'), undefined);
    assert.equal(sample(metrics, "reconfd_bootstrap_done"), 1);
    assert.equal(sample(metrics, "reconfd_service_up"), 0);
    assert.equal(sample(metrics, "reconfd_resources"), 3);
    const renderErrors = sample(metrics, 'reconfd_render_errors_total{resource="leaky.toml"}')!;
    assert.equal(sample(metrics, 'reconfd_renders_total{resource="leaky.toml",outcome="failed"}'), renderErrors);
    assert.match(metrics, /^reconfd_build_info\{version="\d+\.\d+\.\d+",commit="[^"]+",runtime="bun [^"]+"\} 1$/m);

    const resources = await get(base + "/v1/resources");
    assert.equal(resources.status, 200);
    const list = JSON.parse(resources.body).resources;
    assert.deepEqual(list.map((r: { name: string }) => r.name), ["app.toml", "checked.toml", "leaky.toml"]);
    assert.equal(list[0].src, join(sb.confdir, "templates", "app.tmpl"));
    assert.equal(list[0].dest, sb.path("app.conf"));
    assert.deepEqual(list[0].keys, ["/app"]);
    assert.equal(list[0].prefix, "/");
    assert.match(list[0].lastResult.outcome, /^(updated|in-sync)$/);
    assert.notEqual(list[0].lastSuccessAt, null);
    assert.equal(list[1].lastResult.outcome, "failed");
    assert.equal(list[1].lastResult.failedPhase, "check");
    assert.equal(list[1].lastResult.error, "Config check failed: exit status 1");
    assert.equal(typeof list[1].lastResult.durations.check, "number");
    assert.equal(list[1].lastSuccessAt, null);
    assert.equal(list[2].lastResult.failedPhase, "render");
    assert.match(
      list[2].lastResult.error,
      /error calling atoi: strconv\.Atoi: parsing "\[redacted\]": invalid syntax$/,
    );

    // The page, as a browser builds it, and its screenshot for the CI artifacts.
    const dom = await chromium(["--dump-dom", base + "/"]);
    assert.equal(dom.code, 0, dom.stderr);
    assert.match(dom.stdout, /<title>reconfd status<\/title>/);
    assert.match(dom.stdout, /checked\.toml/);
    assert.match(dom.stdout, /check failed/);
    assert.match(dom.stdout, /Config check failed: exit status 1/);
    mkdirSync(join(ARTIFACT, ".."), { recursive: true });
    const shot = await chromium(["--screenshot=" + ARTIFACT, "--window-size=1280,900", base + "/"]);
    assert.equal(shot.code, 0, shot.stderr);
    assert.ok(statSync(ARTIFACT).size > 10_000, "a real screenshot");
    assert.deepEqual([...readFileSync(ARTIFACT).subarray(1, 4)], [0x50, 0x4e, 0x47]);

    // The rendered file holds the secret; no response ever does.
    assert.ok(readFileSync(sb.path("app.conf"), "utf8").includes(SECRET));
    const bodies = [metrics, resources.body, dom.stdout];
    for (const path of ["/", "/healthz", "/readyz", "/metrics", "/v1/resources", "/nope"]) {
      bodies.push((await get(base + path)).body);
    }
    for (const body of bodies) assert.ok(!body.includes(SECRET), "a backend value leaked into a response");

    assert.equal(await d.stop(), 0);
    await assert.rejects(fetch(base + "/healthz"), "closed on shutdown");
  });

  it("a port in use or a bad address: a FATAL line and exit 1", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", () => resolve()));
    const port = (busy.address() as { port: number }).port;
    try {
      const sb = new Sandbox();
      sb.write("data.yaml", "a: 1\n");
      const args = ["-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir, "-watch"];
      const inUse = await runReconfd([...args, "-status-addr", `127.0.0.1:${port}`]);
      assert.equal(inUse.code, 1, inUse.stderr);
      assert.match(
        inUse.stderr,
        new RegExp(`FATAL cannot start the status server on 127\\.0\\.0\\.1:${port}: address already in use`),
      );
      const bad = await runReconfd([...args, "-status-addr", "localhost"]);
      assert.equal(bad.code, 1, bad.stderr);
      assert.match(
        bad.stderr,
        /FATAL invalid -status-addr "localhost": no port \(want host:port, e\.g\. 127\.0\.0\.1:9090\)/,
      );
    } finally {
      busy.close();
    }
  });
});
