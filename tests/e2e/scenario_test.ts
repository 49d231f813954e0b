// The confd-watch scenario, end to end, with real programs on loopback: etcd,
// two small HTTP backends, and nginx started and supervised by reconfd. reconfd
// starts before etcd, bootstraps once etcd answers, follows registrations,
// keeps the last good config when `nginx -t` rejects one, survives an etcd
// outage, stops nginx on SIGTERM and passes nginx's death on as its exit code.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import process from "node:process";
import { after, describe, it } from "node:test";
import { EtcdServer, freePort } from "../helpers/etcd_server.ts";
import { Daemon, Sandbox, waitFor } from "./helpers/reconfd.ts";

const hasNginx = spawnSync("sh", ["-c", "command -v nginx"]).status === 0;
const hasEtcd = existsSync("/usr/bin/etcd") && existsSync("/usr/bin/etcdctl");
const skip = !hasNginx ? "nginx is not installed" : !hasEtcd ? "etcd is not installed" : false;

/** A tiny HTTP backend answering its name. */
async function backend(name: string): Promise<{ server: Server; addr: string }> {
  const server = createServer((_req, res) => {
    res.setHeader("connection", "close");
    res.end(name);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { server, addr: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** GET through nginx; the backend's name, or "" when nginx does not answer well. */
async function through(port: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : "";
  } catch {
    return "";
  }
}

/** The set of backend names that answer over `n` requests. */
async function reached(port: number, n = 8): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const name = await through(port);
    if (name) seen.add(name);
  }
  return [...seen].sort();
}

/** Polls until `cond` resolves true (async), or throws after `ms`. */
async function eventually(cond: () => Promise<boolean>, ms: number, why: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(why());
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Setup {
  sb: Sandbox;
  nginxPort: number;
  statusPort: number;
  dest: string;
  args: string[];
}

/** A confdir rendering a whole nginx.conf (prefix in the sandbox) from /services/web/*. */
async function setup(etcd: EtcdServer, backendName: "etcdv3" | "etcd"): Promise<Setup> {
  const sb = new Sandbox();
  const nginxPort = await freePort();
  const statusPort = await freePort();
  const dir = sb.dir;
  const dest = sb.path("nginx.conf");
  const tmpl = `pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${dir}/tmp;
    proxy_temp_path ${dir}/tmp;
    fastcgi_temp_path ${dir}/tmp;
    uwsgi_temp_path ${dir}/tmp;
    scgi_temp_path ${dir}/tmp;
    upstream web {
{{- range getvs "/services/web/*"}}
        server {{.}};
{{- end}}
    }
    server {
        listen 127.0.0.1:${nginxPort};
        location / { proxy_pass http://web; }
    }
}
`;
  sb.resource({
    name: "nginx.toml",
    toml: `[template]
src = "nginx.conf.tmpl"
dest = "${dest}"
keys = ["/services/web"]
check_cmd = "nginx -t -q -p ${dir} -c {{.src}}"
`,
    tmplName: "nginx.conf.tmpl",
    tmpl,
  });
  sb.write("tmp/.keep", "");
  const args = [
    "-watch",
    "-backend",
    backendName,
    "-node",
    etcd.endpoint,
    "-confdir",
    sb.confdir,
    "-status-addr",
    `127.0.0.1:${statusPort}`,
    "-exec-reload-signal",
    "SIGHUP",
    "-exec-kill-timeout",
    "10s",
    "--",
    "nginx",
    "-p",
    dir,
    "-c",
    dest,
    "-g",
    "daemon off;",
  ];
  return { sb, nginxPort, statusPort, dest, args };
}

async function putV(etcd: EtcdServer, v2: boolean, key: string, value: string) {
  if (v2) await etcd.v2Put(key, value);
  else await etcd.put(key, value);
}
async function delV(etcd: EtcdServer, v2: boolean, key: string) {
  if (v2) await etcd.v2Delete(key);
  else await etcd.del(key);
}

async function status(port: number, path: string): Promise<{ code: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
  return { code: res.status, body: await res.text() };
}

/** nginx processes whose command line names this sandbox's config. */
function nginxRunning(dest: string): boolean {
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
      if (cmd.startsWith("nginx") && cmd.includes(dest) && state !== "Z") return true;
    } catch {
      // The process went away.
    }
  }
  return false;
}

describe("the confd-watch scenario", { skip }, () => {
  const b1p = backend("backend1");
  const b2p = backend("backend2");
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    (await b1p).server.close();
    (await b2p).server.close();
  });

  it("etcd v3: bootstrap before etcd is up, follow registrations, survive an outage, stop cleanly", async () => {
    const [b1, b2] = [await b1p, await b2p];
    const etcd = new EtcdServer();
    await etcd.allocatePorts();
    cleanups.push(() => etcd.destroy());
    const s = await setup(etcd, "etcdv3");
    const d = new Daemon(s.args);
    cleanups.push(async () => {
      if (d.child.exitCode === null) await d.stop("SIGKILL");
    });

    // reconfd runs before etcd: alive, not ready, retrying.
    await eventually(
      async () => (await status(s.statusPort, "/healthz").catch(() => ({ code: 0 }))).code === 200,
      10_000,
      () => d.stderr,
    );
    assert.equal((await status(s.statusPort, "/readyz")).code, 503);
    await d.waitForLog(/Bootstrap attempt 1:/, 15_000);
    assert.equal(nginxRunning(s.dest), false, "nginx waits for the first render");

    // etcd comes up with backend 1: rendered, nginx started, requests reach backend 1.
    await etcd.start();
    await etcd.put("/services/web/b1", b1.addr);
    await eventually(async () => (await reached(s.nginxPort)).join() === "backend1", 40_000, () => d.stderr);
    assert.equal((await status(s.statusPort, "/readyz")).code, 200);

    // Backend 2 registers: within a second requests reach both.
    await etcd.put("/services/web/b2", b2.addr);
    const t = Date.now();
    await eventually(async () => (await reached(s.nginxPort)).join() === "backend1,backend2", 5000, () => d.stderr);
    assert.ok(Date.now() - t < 2000, `took ${Date.now() - t} ms`);

    // Backend 1 leaves: only backend 2.
    await etcd.del("/services/web/b1");
    await eventually(async () => (await reached(s.nginxPort)).join() === "backend2", 5000, () => d.stderr);

    // All leave: nginx -t rejects the empty upstream; the last good config stays and keeps serving.
    const good = readFileSync(s.dest, "utf8");
    await etcd.del("/services/web/b2");
    await d.waitForLog(/ERROR Config check failed/, 10_000);
    assert.equal(readFileSync(s.dest, "utf8"), good);
    assert.deepEqual(await reached(s.nginxPort, 3), ["backend2"]);
    const resources = JSON.parse((await status(s.statusPort, "/v1/resources")).body);
    assert.match(JSON.stringify(resources), /check/i);
    assert.match(JSON.stringify(resources), /Config check failed/);

    // etcd stops for a while: nginx keeps serving, reconnects are counted; a registration after the
    // restart is picked up.
    await etcd.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    assert.deepEqual(await reached(s.nginxPort, 3), ["backend2"]);
    const metrics = (await status(s.statusPort, "/metrics")).body;
    const reconnects = /^reconfd_backend_reconnects_total(?:\{[^}]*\})? (\d+)/m.exec(metrics);
    assert.ok(reconnects && Number(reconnects[1]) > 0, metrics);
    await etcd.start();
    await etcd.put("/services/web/b1", b1.addr);
    await eventually(async () => (await reached(s.nginxPort)).join() === "backend1", 30_000, () => d.stderr);

    // SIGTERM: nginx stops, reconfd exits 0 within the kill timeout, no stage file is left.
    const stopAt = Date.now();
    assert.equal(await d.stop("SIGTERM"), 0, d.stderr);
    assert.ok(Date.now() - stopAt < 10_000);
    await waitFor(() => !nginxRunning(s.dest), 5000, () => "nginx still running");
    assert.deepEqual(s.sb.stageFiles(), []);
  });

  it("etcd v3: nginx killed with SIGKILL ends reconfd with 137", async () => {
    const b1 = await b1p;
    const etcd = await new EtcdServer().start();
    cleanups.push(() => etcd.destroy());
    await etcd.put("/services/web/b1", b1.addr);
    const s = await setup(etcd, "etcdv3");
    const d = new Daemon(s.args);
    cleanups.push(async () => {
      if (d.child.exitCode === null) await d.stop("SIGKILL");
    });
    await eventually(async () => (await reached(s.nginxPort)).join() === "backend1", 30_000, () => d.stderr);
    const master = Number(readFileSync(s.sb.path("nginx.pid"), "utf8").trim());
    process.kill(master, "SIGKILL");
    assert.equal(await d.exited, 137, d.stderr);
  });

  it("etcd v2: render and reload follow registrations", async () => {
    const [b1, b2] = [await b1p, await b2p];
    const etcd = await new EtcdServer().start();
    cleanups.push(() => etcd.destroy());
    await putV(etcd, true, "/services/web/b1", b1.addr);
    const s = await setup(etcd, "etcd");
    const d = new Daemon(s.args);
    cleanups.push(async () => {
      if (d.child.exitCode === null) await d.stop("SIGKILL");
    });
    await eventually(async () => (await reached(s.nginxPort)).join() === "backend1", 30_000, () => d.stderr);
    await putV(etcd, true, "/services/web/b2", b2.addr);
    await eventually(async () => (await reached(s.nginxPort)).join() === "backend1,backend2", 5000, () => d.stderr);
    await delV(etcd, true, "/services/web/b1");
    await eventually(async () => (await reached(s.nginxPort)).join() === "backend2", 5000, () => d.stderr);
    assert.equal(await d.stop("SIGTERM"), 0, d.stderr);
    await waitFor(() => !nginxRunning(s.dest), 5000, () => "nginx still running");
  });
});
