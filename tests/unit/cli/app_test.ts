// The CLI as a function: help, version, usage errors (exit 2), config errors
// (exit 1), the subcommand dispatch, and a real onetime run on the file backend.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, withoutCredentials } from "../../../src/cli/app.ts";
import { helpText } from "../../../src/cli/help.ts";
import { VERSION } from "../../../src/cli/version.ts";
import { EXIT } from "../../../src/cli/io.ts";
import { SETTINGS } from "../../../src/config/settings.ts";
import { recordingIO } from "./cli_io_fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "reconfd-app-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const NO_FILE = join(dir, "no-confd.toml");

async function cli(args: string[], env: Record<string, string> = {}) {
  const io = recordingIO({ env: { CONFD_CONFIG_FILE: NO_FILE, ...env } });
  const code = await run(args, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

describe("help and version", () => {
  for (const args of [["-h"], ["-help"], ["--help"], ["-onetime", "-h"], ["check", "-h"]]) {
    it(`${args.join(" ")} prints help on stdout and exits 0`, async () => {
      const r = await cli(args);
      assert.equal(r.code, EXIT.ok);
      assert.equal(r.out, helpText());
      assert.equal(r.err, "");
    });
  }
  it("help lists every flag under a group heading", () => {
    const text = helpText();
    for (const s of SETTINGS) assert.match(text, new RegExp(`^  -${s.flag}\\b`, "m"), s.flag);
    for (const heading of ["Backend:", "Run mode:", "Logging:", "Other:"]) {
      assert.ok(text.includes(`\n${heading}\n`), heading);
    }
    assert.match(text, /^ {2}-config-file path/m);
  });
  for (const args of [["-version"], ["--version"], ["version"], ["-version", "-backend", "consul"]]) {
    it(`${args.join(" ")} prints version, commit and runtime`, async () => {
      const r = await cli(args);
      assert.equal(r.code, EXIT.ok);
      assert.match(
        r.out,
        new RegExp(`^reconfd ${VERSION.replaceAll(".", "\\.")} \\(commit \\S+, (bun|deno|node) \\S+\\)\\n$`),
      );
    });
  }
  it("says commit dev when run from source (no build embedded one)", async () => {
    assert.match((await cli(["version"])).out, /\(commit dev, /);
  });
  it("keeps VERSION equal to package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
    assert.equal(VERSION, pkg.version);
  });
  it("render -h prints render's help", async () => {
    const r = await cli(["render", "-h"]);
    assert.equal(r.code, EXIT.ok);
    assert.match(r.out, /^Usage: reconfd render \[options\] TEMPLATE/);
  });
});

describe("usage errors exit 2 with one line and a hint", () => {
  const cases: { name: string; args: string[]; line: string }[] = [
    { name: "an unknown flag", args: ["-bogus"], line: "flag provided but not defined: -bogus" },
    { name: "a bad interval", args: ["-interval", "abc"], line: 'invalid value "abc" for flag -interval: parse error' },
    {
      name: "a bad boolean",
      args: ["-onetime=maybe"],
      line: 'invalid boolean value "maybe" for -onetime: parse error',
    },
    { name: "a missing value", args: ["-onetime", "-backend"], line: "flag needs an argument: -backend" },
    { name: "an unknown flag to check", args: ["check", "-nope"], line: "flag provided but not defined: -nope" },
    { name: "an argument to version", args: ["version", "x"], line: 'version: unexpected argument "x"' },
    { name: "render without a template", args: ["render"], line: "render: missing TEMPLATE (a file, or - for stdin)" },
    {
      name: "a bad -missingkey",
      args: ["render", "--missingkey=nope", "-"],
      line: 'invalid value "nope" for flag -missingkey: expected default, zero or error',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await cli(c.args);
      assert.equal(r.code, EXIT.usage);
      const lines = r.err.split("\n");
      assert.equal(lines[0], c.line);
      assert.match(lines[1], /^Run 'reconfd (render )?-h' for usage/);
      assert.equal(lines.length, 3);
      assert.equal(r.out, "");
    });
  }
});

describe("unexpected failures", () => {
  it("become one error line and exit 1 instead of a crash", async () => {
    const io = recordingIO({ env: { CONFD_CONFIG_FILE: NO_FILE } });
    io.stdout = () => {
      throw new Error("write EPIPE");
    };
    assert.equal(await run(["version"], io), EXIT.failure);
    assert.deepEqual(io.err, ["error: write EPIPE\n"]);
  });
});

describe("config errors exit 1 with FATAL lines", () => {
  it("plain reconfd -onetime reads etcd (v2) at $ETCDCTL_PEERS and says why it could not", async () => {
    const confdir = join(dir, "etcd-confdir");
    mkdirSync(join(confdir, "conf.d"), { recursive: true });
    mkdirSync(join(confdir, "templates"), { recursive: true });
    writeFileSync(join(confdir, "templates", "a.tmpl"), '{{getv "/a"}}\n');
    writeFileSync(
      join(confdir, "conf.d", "a.toml"),
      `[template]\nsrc = "a.tmpl"\ndest = ${JSON.stringify(join(dir, "a.out"))}\nkeys = ["/a"]\n`,
    );
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const r = await cli(["-onetime", "-confdir", confdir], { ETCDCTL_PEERS: "127.0.0.1:1" });
    assert.equal(r.code, EXIT.failure);
    assert.match(r.err, /INFO Backend set to etcd\n/);
    assert.match(r.err, /INFO Backend source\(s\) set to http:\/\/127\.0\.0\.1:1\n/);
    assert.match(
      r.err,
      /ERROR client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127\.0\.0\.1:1: connect: connection refused\n/,
    );
  });
  it("names the supported backends for an unsupported one", async () => {
    const r = await cli(["-backend", "consul", "-onetime"]);
    assert.equal(r.code, EXIT.failure);
    assert.match(
      r.err,
      /^\S+ testhost reconfd\[42\]: FATAL flag -backend: backend "consul" is not supported by reconfd; supported backends: etcd, etcdv2, etcdv3, file, env\n$/,
    );
  });
  it("names an unknown backend the same way", async () => {
    const r = await cli(["-backend=mysql"]);
    assert.equal(r.code, EXIT.failure);
    assert.match(
      r.err,
      /FATAL flag -backend: invalid backend "mysql"; supported backends: etcd, etcdv2, etcdv3, file, env\n$/,
    );
  });
  it("gives file:line and key for a bad confd.toml, one line per problem", async () => {
    const path = join(dir, "bad.toml");
    writeFileSync(path, 'backend = "file"\ninterval = "often"\nnodez = []\n');
    const r = await cli(["-config-file", path]);
    assert.equal(r.code, EXIT.failure);
    const lines = r.err.trimEnd().split("\n");
    assert.equal(lines.length, 2);
    assert.ok(lines[0].endsWith(`FATAL ${path}:2: key "interval" must be an integer, got string "often"`), lines[0]);
    assert.ok(lines[1].endsWith(`FATAL ${path}:3: unknown key "nodez"; did you mean "nodes"?`), lines[1]);
  });
  it("names the variable for a bad CONFD_* value", async () => {
    const r = await cli([], { CONFD_INTERVAL: "soon" });
    assert.equal(r.code, EXIT.failure);
    assert.match(r.err, /FATAL CONFD_INTERVAL: invalid value "soon": expected an integer\n$/);
  });
  it("uses JSON when CONFD_LOG_FORMAT=json is set", async () => {
    const r = await cli(["-backend", "redis"], { CONFD_LOG_FORMAT: "json" });
    assert.equal(r.code, EXIT.failure);
    assert.equal(JSON.parse(r.err).level, "fatal");
  });
  it("uses JSON when confd.toml asks for it beside the problem", async () => {
    const path = join(dir, "json.toml");
    writeFileSync(path, 'log-format = "json"\nbakend = "file"\n');
    const r = await cli(["-config-file", path]);
    assert.equal(r.code, EXIT.failure);
    const obj = JSON.parse(r.err);
    assert.equal(obj.level, "fatal");
    assert.match(obj.msg, /json\.toml:2: unknown key "bakend"/);
  });
  it("uses JSON when -log-format json was given", async () => {
    const r = await cli(["-log-format", "json", "-backend", "vault"]);
    assert.equal(r.code, EXIT.failure);
    const obj = JSON.parse(r.err);
    assert.equal(obj.level, "fatal");
    assert.match(obj.msg, /backend "vault" is not supported/);
  });
});

describe("a onetime run on the file backend", () => {
  const confdir = join(dir, "confdir");
  mkdirSync(join(confdir, "conf.d"), { recursive: true });
  mkdirSync(join(confdir, "templates"), { recursive: true });
  const dest = join(dir, "out.conf");
  const data = join(dir, "data.yaml");
  writeFileSync(data, "app:\n  port: 8080\n");
  writeFileSync(join(confdir, "templates", "app.tmpl"), 'port={{getv "/app/port"}} 100%\n');
  writeFileSync(
    join(confdir, "conf.d", "app.toml"),
    `[template]\nsrc = "app.tmpl"\ndest = ${JSON.stringify(dest)}\nkeys = ["/app"]\n`,
  );
  it("logs confd's start-up lines and renders dest", async () => {
    const r = await cli(["-onetime", "-backend", "file", "-file", data, "-confdir", confdir]);
    assert.equal(r.code, EXIT.ok, r.err);
    assert.equal(readFileSync(dest, "utf8"), "port=8080 100%\n");
    const msgs = r.err.split("\n").map((l) => l.replace(/^\S+ testhost reconfd\[42\]: /, ""));
    assert.deepEqual(msgs.slice(0, 3), [
      "INFO Backend set to file",
      "INFO Starting confd",
      `INFO Backend source(s) set to ${data}`,
    ]);
  });
  it("warns about arguments after the first non-flag", async () => {
    const r = await cli(["-onetime", "-backend", "file", "-file", data, "-confdir", confdir, "extra", "-noop"]);
    assert.equal(r.code, EXIT.ok, r.err);
    assert.match(r.err, /WARNING Ignoring arguments after the first non-flag argument: extra -noop\n/);
  });
  it("processes only the resource -config-file names, with a notice", async () => {
    const r = await cli([
      "-onetime",
      "-backend",
      "file",
      "-file",
      data,
      "-confdir",
      confdir,
      "-config-file",
      join(confdir, "conf.d", "app.toml"),
    ]);
    assert.equal(r.code, EXIT.ok, r.err);
    assert.match(r.err, /INFO \S+app\.toml is a template resource, not a confd\.toml: processing only this resource\n/);
  });
  it("check validates the same setup", async () => {
    const r = await cli(["check", "-backend", "file", "-file", data, "-confdir", confdir]);
    assert.equal(r.code, EXIT.ok, r.err + r.out);
  });
});

describe("node URLs in log lines", () => {
  it("drop the user:password a node URL carries", () => {
    assert.equal(withoutCredentials("https://root:s3cret@10.0.0.1:2379"), "https://10.0.0.1:2379");
    assert.equal(withoutCredentials("http://127.0.0.1:2379"), "http://127.0.0.1:2379");
    assert.equal(withoutCredentials("/data/app.yaml"), "/data/app.yaml");
  });
});
