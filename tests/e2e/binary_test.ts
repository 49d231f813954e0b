// The compiled binary (scripts/build must have run): version, help, usage and
// config errors with their exit codes, stdin, and a clean exit on SIGTERM.
// A broken build fails here rather than in a user's hands.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { ensureBinary } from "./helpers/reconfd.ts";

const root = new URL("../../", import.meta.url).pathname;
const BINARY = join(root, "dist", "reconfd");
const MUSL = join(root, "dist", "reconfd-musl");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

let dir = "";
let noConfig = "";
before(() => {
  ensureBinary(); // rebuilds dist/reconfd when it is stale
  assert.ok(existsSync(BINARY), `${BINARY} is missing: run scripts/build first`);
  dir = mkdtempSync(join(tmpdir(), "reconfd-bin-"));
  noConfig = join(dir, "none.toml");
});
after(() => rmSync(dir, { recursive: true, force: true }));

function reconfd(args: string[], input?: string) {
  const r = spawnSync(BINARY, args, {
    input,
    encoding: "utf8",
    env: { PATH: process.env.PATH, CONFD_CONFIG_FILE: noConfig },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("the compiled binary", () => {
  it("-version prints version, commit and runtime", () => {
    const r = reconfd(["-version"]);
    assert.equal(r.code, 0);
    assert.match(
      r.out,
      new RegExp(
        `^reconfd ${pkg.version.replaceAll(".", "\\.")} \\(commit [0-9a-f]{7,}(-dirty)?, bun \\d+\\.\\d+\\.\\d+\\)\\n$`,
      ),
      "no commit embedded: build dist/reconfd with scripts/build",
    );
  });
  it("-h prints grouped help on stdout", () => {
    const r = reconfd(["-h"]);
    assert.equal(r.code, 0);
    assert.equal(r.err, "");
    assert.match(r.out, /^Usage:\n {2}reconfd \[flags\]/);
    assert.match(r.out, /\nBackend:\n {2}-backend name /);
  });
  it("an unknown flag exits 2 with one line and a hint", () => {
    const r = reconfd(["-onetime", "-bogus"]);
    assert.equal(r.code, 2);
    assert.equal(r.err, "flag provided but not defined: -bogus\nRun 'reconfd -h' for usage.\n");
    assert.equal(r.out, "");
  });
  it("a bad flag value exits 2", () => {
    const r = reconfd(["-interval", "abc"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^invalid value "abc" for flag -interval: parse error\n/);
  });
  it("an unsupported backend exits 1 naming the supported ones, in confd's log format", () => {
    const r = reconfd(["-backend", "consul"]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) \S+ reconfd\[\d+\]: FATAL flag -backend: backend "consul" is not supported by reconfd; supported backends: etcd, etcdv2, etcdv3, file, env\n$/,
    );
  });
  it("a bad confd.toml exits 1 with file:line and key", () => {
    const path = join(dir, "confd.toml");
    writeFileSync(path, '# settings\nbackend = "file"\nintervall = 10\n');
    const r = reconfd(["-config-file", path]);
    assert.equal(r.code, 1);
    assert.ok(r.err.trimEnd().endsWith(`FATAL ${path}:3: unknown key "intervall"; did you mean "interval"?`), r.err);
  });
  it("a failed SRV lookup exits 1 naming the record (through the system resolver)", () => {
    const r = reconfd(["-srv-domain", "example.invalid", "-onetime"]);
    assert.equal(r.code, 1, r.err);
    assert.match(
      r.err,
      /FATAL cannot get nodes from SRV record _etcd\._tcp\.example\.invalid\.: lookup _etcd\._tcp\.example\.invalid\.( on .+)?: .+\n$/,
    );
    assert.equal(r.out, "");
  });
  it("renders a template from stdin", () => {
    const r = reconfd(["render", "-"], '{{"hello" | toUpper}} {{add 1 2}}\n');
    assert.equal(r.err, "");
    assert.equal(r.code, 0);
    assert.equal(r.out, "HELLO 3\n");
  });
  it("passes bytes that are not UTF-8 through unchanged, as Go writes them", () => {
    // A Latin-1 byte in the template text, an escaped byte and a decoded binary value.
    const input = Buffer.concat([Buffer.from('{{print "\\xff"}}{{base64Decode "6Q=="}}'), Buffer.from([0xe9])]);
    const r = spawnSync(BINARY, ["render", "-"], {
      input,
      env: { PATH: process.env.PATH, CONFD_CONFIG_FILE: noConfig },
    });
    assert.equal(r.status, 0, String(r.stderr));
    assert.deepEqual([...r.stdout], [0xff, 0xe9, 0xe9]);
  });
  it("logs confd's words and exits 0 on SIGTERM", async () => {
    const confdir = join(dir, "confdir");
    mkdirSync(join(confdir, "conf.d"), { recursive: true });
    mkdirSync(join(confdir, "templates"), { recursive: true });
    const data = join(dir, "data.yaml");
    writeFileSync(data, "k: v\n");
    writeFileSync(join(confdir, "templates", "t.tmpl"), '{{getv "/k"}}\n');
    writeFileSync(
      join(confdir, "conf.d", "t.toml"),
      `[template]\nsrc = "t.tmpl"\ndest = "${join(dir, "t.out")}"\nkeys = ["/k"]\n`,
    );
    const child = spawn(BINARY, ["-backend", "file", "-file", data, "-confdir", confdir, "-interval", "60"], {
      env: { PATH: process.env.PATH, CONFD_CONFIG_FILE: noConfig },
    });
    let err = "";
    child.stderr.on("data", (chunk) => (err += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(dir, "t.out")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(readFileSync(join(dir, "t.out"), "utf8"), "v\n", err);
    // process.kill, not child.kill: Deno then reports the exit code instead of assuming death by signal.
    process.kill(child.pid as number, "SIGTERM");
    assert.equal(await exited, 0, err);
    assert.match(err, /INFO Captured terminated\. Exiting\.\.\.\n/);
  });
  it("a second SIGTERM exits at once while a check command hangs", async () => {
    const confdir = join(dir, "hung");
    mkdirSync(join(confdir, "conf.d"), { recursive: true });
    mkdirSync(join(confdir, "templates"), { recursive: true });
    const data = join(dir, "hung.yaml");
    writeFileSync(data, "k: v\n");
    writeFileSync(join(confdir, "templates", "t.tmpl"), '{{getv "/k"}}\n');
    writeFileSync(
      join(confdir, "conf.d", "t.toml"),
      `[template]\nsrc = "t.tmpl"\ndest = "${join(dir, "hung.out")}"\nkeys = ["/k"]\ncheck_cmd = "sleep 10"\n`,
    );
    const child = spawn(BINARY, ["-backend", "file", "-file", data, "-confdir", confdir, "-interval", "60"], {
      env: { PATH: process.env.PATH, CONFD_CONFIG_FILE: noConfig },
    });
    let err = "";
    child.stderr.on("data", (chunk) => (err += chunk));
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => {
        exitCode = code;
        resolve(code);
      })
    );
    const wait = async (done: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    };
    await wait(() => err.includes("out of sync"), 10_000);
    await new Promise((r) => setTimeout(r, 200)); // let the check command start
    process.kill(child.pid as number, "SIGTERM");
    await wait(() => exitCode !== undefined, 500);
    assert.equal(exitCode, undefined, "the first SIGTERM lets the running resource finish");
    const sent = Date.now();
    process.kill(child.pid as number, "SIGTERM");
    assert.equal(await exited, 0, err);
    assert.ok(Date.now() - sent < 2_000, "the second SIGTERM did not stop it at once");
  });
  it("the README's dry-run example works as written", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const block = /```sh\n((?:.*\n)*?)```/g;
    const script = [...readme.matchAll(block)].map((m) => m[1]).find((b) => b.includes("reconfd render --kv"));
    assert.ok(script, "README has no `reconfd render --kv` example");
    const cwd = mkdtempSync(join(dir, "readme-"));
    const bin = join(cwd, "bin");
    mkdirSync(bin);
    symlinkSync(BINARY, join(bin, "reconfd"));
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", script], {
      cwd,
      encoding: "utf8",
      env: { PATH: `${bin}:${process.env.PATH}`, CONFD_CONFIG_FILE: noConfig },
    });
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    assert.equal(r.stdout, "8080\n");
  });
  it("the README's main-job command works as written and shows the rendered upstream", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const block = /```sh\n((?:.*\n)*?) *```/g;
    const script = [...readme.matchAll(block)].map((m) => m[1]).find((b) => b.includes("main.ts -onetime"));
    assert.ok(script, "README has no main-job command");
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", script], {
      cwd: root,
      encoding: "utf8",
      env: { PATH: process.env.PATH, CONFD_CONFIG_FILE: noConfig },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /ERROR|FATAL/);
    assert.match(
      r.stdout,
      /upstream web \{\n\s+server 10\.0\.0\.1:8080; # app1\n\s+server 10\.0\.0\.2:8080; # app2\n\s+\}/,
    );
  });
  it("the musl build exists beside it (it runs only on musl systems such as Alpine)", () => {
    assert.ok(existsSync(MUSL), `${MUSL} is missing`);
    const head = readFileSync(MUSL).subarray(0, 4);
    assert.deepEqual([...head], [0x7f, 0x45, 0x4c, 0x46]);
  });
});
