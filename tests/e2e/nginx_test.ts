// The nginx example (templates/nginx) with a real `nginx -t` as check_cmd: a good
// rendering is installed, an upstream with no servers is rejected and the last
// good config stays in place.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AddressInfo, createServer } from "node:net";
import { runReconfd, Sandbox, waitFor } from "./helpers/reconfd.ts";
import { skipUnless } from "../helpers/skip.ts";

const example = new URL("../../templates/nginx/", import.meta.url).pathname;
const hasNginx = spawnSync("sh", ["-c", "command -v nginx"]).status === 0;

/** A copy of the example whose dest and pid file live in the sandbox. */
function exampleCopy(sb: Sandbox, port = 8080): { dest: string; args: (data: string) => string[] } {
  mkdirSync(sb.path("out"));
  const dest = sb.path("out", "nginx.conf");
  const pid = sb.path("nginx.pid");
  const toml = readFileSync(join(example, "conf.d", "nginx.toml"), "utf8")
    .replace('dest = "/tmp/reconfd-nginx.conf"', `dest = "${dest}"`)
    .replaceAll("/tmp/reconfd-nginx.pid", pid);
  const tmpl = readFileSync(join(example, "templates", "nginx.conf.tmpl"), "utf8")
    .replaceAll("/tmp/reconfd-nginx.pid", pid)
    .replace("listen 127.0.0.1:8080;", `listen 127.0.0.1:${port};`);
  sb.resource({ name: "nginx.toml", toml, tmplName: "nginx.conf.tmpl", tmpl });
  return { dest, args: (data) => ["-onetime", "-backend", "file", "-file", data, "-confdir", sb.confdir] };
}

describe("the nginx example", () => {
  it("the shipped example passes `check --kv` with its sample data", async () => {
    const r = await runReconfd(["check", "-confdir", example, "--kv", join(example, "services.yaml")]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it("renders the sample data into server lines (noop, diff on stdout, nothing written)", async () => {
    const sb = new Sandbox();
    const { dest, args } = exampleCopy(sb);
    const r = await runReconfd([...args(join(example, "services.yaml")), "-noop", "-diff"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\+ {8}server 10\.0\.0\.1:8080; # app1\n\+ {8}server 10\.0\.0\.2:8080; # app2\n/);
    assert.equal(existsSync(dest), false);
  });

  it("nginx -t accepts a good rendering and rejects an upstream with no servers, keeping dest", {
    skip: skipUnless(hasNginx, "nginx is not installed"),
  }, async () => {
    const sb = new Sandbox();
    const { dest, args } = exampleCopy(sb);
    const good = sb.write("good.yaml", readFileSync(join(example, "services.yaml"), "utf8"));
    const r1 = await runReconfd(args(good));
    assert.equal(r1.code, 0, r1.stderr);
    const installed = readFileSync(dest, "utf8");
    assert.match(
      installed,
      /upstream web \{\n {8}server 10\.0\.0\.1:8080; # app1\n {8}server 10\.0\.0\.2:8080; # app2\n {4}\}/,
    );

    const bad = sb.write("bad.yaml", "services:\n  other:\n    x: 1\n");
    const r2 = await runReconfd(args(bad));
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /ERROR ".*no servers are inside upstream/);
    assert.match(r2.stderr, /ERROR Config check failed: exit status 1/);
    assert.equal(readFileSync(dest, "utf8"), installed);
    assert.deepEqual(sb.stageFiles(sb.path("out")), []);

    writeFileSync(good, "services:\n  web:\n    app3: 10.0.0.3:9000\n");
    const r3 = await runReconfd(args(good));
    assert.equal(r3.code, 0, r3.stderr);
    assert.match(readFileSync(dest, "utf8"), /upstream web \{\n {8}server 10\.0\.0\.3:9000; # app3\n {4}\}/);
  });

  it("reload_cmd reloads a running nginx with the new config (its workers are replaced)", {
    skip: skipUnless(hasNginx, "nginx is not installed"),
  }, async () => {
    const sb = new Sandbox();
    const { dest, args } = exampleCopy(sb, await freePort());
    const data = sb.write("data.yaml", readFileSync(join(example, "services.yaml"), "utf8"));
    assert.equal((await runReconfd(args(data))).code, 0);
    // stdio ignored: the daemon keeps stderr (its error_log) open, which would block spawnSync.
    assert.equal(
      spawnSync("nginx", ["-c", dest], { stdio: "ignore" }).status,
      0,
      "nginx starts with the rendered config",
    );
    const pidFile = sb.path("nginx.pid");
    try {
      await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "");
      const master = readFileSync(pidFile, "utf8").trim();
      const workers = () => spawnSync("pgrep", ["-P", master], { encoding: "utf8" }).stdout.trim();
      await waitFor(() => workers() !== "");
      const before = workers();
      writeFileSync(data, "services:\n  web:\n    app9: 10.0.0.9:8080\n");
      const r = await runReconfd([...args(data), "-log-level", "debug"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`DEBUG Running if \\[ -s ${pidFile} \\]; then nginx -s reload -c ${dest}; fi`));
      await waitFor(
        () => workers() !== "" && !workers().split("\n").some((w) => before.split("\n").includes(w)),
        10_000,
        () => `workers still ${workers()}`,
      );
      assert.equal(readFileSync(pidFile, "utf8").trim(), master, "the same master reloaded");
    } finally {
      spawnSync("nginx", ["-s", "quit", "-c", dest], { stdio: "ignore" });
    }
  });
});

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
