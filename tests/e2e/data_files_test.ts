// The compiled binary reading data files: yaml.v2's scalars through the file backend,
// render --kv and check --kv; parse errors that name file:line:col and never the data
// (a YAML line may hold a password) nor binary garbage; the env backend's exact names.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { runReconfd, Sandbox } from "./helpers/reconfd.ts";

const SECRET = "hunter2-do-not-log";

/** A confdir with one resource rendering `tmpl` from keys under /app into out.conf. */
function setup(tmpl: string): { sb: Sandbox; dest: string } {
  const sb = new Sandbox();
  const dest = sb.path("out.conf");
  sb.resource({
    name: "app.toml",
    toml: `[template]\nsrc = "app.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n`,
    tmplName: "app.tmpl",
    tmpl,
  });
  return { sb, dest };
}

/** Log text is one line per entry, printable UTF-8, and free of the secret. */
function assertCleanLog(log: string): void {
  assert.doesNotMatch(log, new RegExp(SECRET));
  const bad = [...log].filter((c) => (c < " " && c !== "\n" && c !== "\t") || c === "\x7f" || c === "\ufffd");
  assert.deepEqual(bad, [], "control characters or replacement characters in the log");
}

describe("data files through the binary", () => {
  it("the file backend reads YAML as confd's yaml.v2 does (no base 60, 0o17, last key wins)", async () => {
    const { sb, dest } = setup(
      '{{getv "/app/ssh"}} {{getv "/app/at"}} {{getv "/app/10:30"}} {{getv "/app/oct"}} {{getv "/app/dup"}}\n',
    );
    sb.write("data.yaml", "app:\n  ssh: 2222:22\n  at: 12:00:00\n  10:30: k\n  oct: 0o17\n  dup: 1\n  dup: 2\n");
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", sb.path("data.yaml"), "-confdir", sb.confdir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(dest, "utf8"), "2222:22 12:00:00 k 15 2\n");
  });

  const broken: [name: string, data: string | Uint8Array, where: RegExp][] = [
    [
      "an unclosed quote after a password",
      `app:\n  password: "${SECRET}\n`,
      /data\.yaml:3:1: missing closing character/,
    ],
    ["a mapping inside a value", `app:\n  password: ${SECRET}: x\n`, /data\.yaml:2:13: mapping values are not allowed/],
    [
      "binary garbage",
      new Uint8Array([0x61, 0x70, 0x70, 0x3a, 0x0a, 0x20, 0x20, 0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x80, 0x0a]),
      /data\.yaml:2:4: invalid UTF-8/,
    ],
    [
      "a control character",
      `app:\n  password: ${SECRET}\u001b[2J\n`,
      /data\.yaml:2:31: control characters are not allowed/,
    ],
  ];
  for (const [name, data, where] of broken) {
    it(`a data file with ${name}: one error line naming file:line:col, no data in the log, dest untouched`, async () => {
      const { sb, dest } = setup('{{getv "/app/password"}}\n');
      writeFileSync(dest, "old\n");
      sb.write("data.yaml", "");
      writeFileSync(sb.path("data.yaml"), data);
      const r = await runReconfd([
        "-onetime",
        "-backend",
        "file",
        "-file",
        sb.path("data.yaml"),
        "-confdir",
        sb.confdir,
      ]);
      assert.equal(r.code, 1);
      const lines = r.stderr.split("\n").filter((l) => where.test(l));
      assert.equal(lines.length >= 1, true, r.stderr);
      assertCleanLog(r.stderr);
      assert.equal(readFileSync(dest, "utf8"), "old\n");
    });
  }

  it("render --kv reports a broken file on one line without its text", async () => {
    const sb = new Sandbox();
    const kv = sb.write("kv.yaml", `app:\n  password: "${SECRET}\n`);
    const tmpl = sb.write("t.tmpl", '{{getv "/app/password"}}');
    const r = await runReconfd(["render", "--kv", kv, tmpl]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --kv \S+kv\.yaml:3:1: missing closing character\n$/);
    assertCleanLog(r.stderr);
  });

  it("render --kv and --data read with the same reader: base 60 is text, 0o17 a number", async () => {
    const sb = new Sandbox();
    const kv = sb.write("kv.yaml", "t: 10:30\no: 0o17\n");
    const tmpl = sb.write("t.tmpl", '{{getv "/t"}} {{getv "/o"}} {{.t}} {{.o}}');
    const r = await runReconfd(["render", "--kv", kv, "--data", kv, tmpl]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "10:30 15 10:30 15");
  });

  it("check --kv names the broken sample file by line and column, without its text", async () => {
    const { sb } = setup('{{getv "/app/password"}}\n');
    const kv = sb.write("kv.yaml", `app:\n  password: [${SECRET}\n`);
    const r = await runReconfd(["check", "-confdir", sb.confdir, "--kv", kv]);
    assert.equal(r.code, 1);
    assert.match(r.stdout + r.stderr, /kv\.yaml:\d+:\d+: /);
    assertCleanLog(r.stdout + r.stderr);
  });

  it("the env backend matches names case-sensitively: /app/low is APP_LOW only", async () => {
    const { sb, dest } = setup('{{getv "/app/low"}}\n');
    const r = await runReconfd(["-onetime", "-backend", "env", "-confdir", sb.confdir], {
      env: { app_low: "lower", App_Low: "mixed", APP_LOW: "upper", APP_low: "tail" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(dest, "utf8"), "upper\n");
  });
});
