// `reconfd render`: data from --data (dot) and --kv (the key store), stdin,
// delimiters, missingkey, -o written atomically, and one error line on failure.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../src/cli/app.ts";
import { EXIT } from "../../../src/cli/io.ts";
import { recordingIO } from "./cli_io_fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "reconfd-render-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function render(args: string[], stdin?: string) {
  const io = recordingIO({ stdin, env: { RENDER_TEST_VAR: "from-env" } });
  const code = await run(["render", ...args], io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

const users = file("users.json", '{"users": [{"name": "ann"}, {"name": "bob"}], "port": 8080}');
const usersYaml = file("users.yaml", "users:\n  - name: ann\n  - name: bob\nport: 8080\n");
const usersToml = file("users.toml", 'port = 8080\n[[users]]\nname = "ann"\n[[users]]\nname = "bob"\n');
const flatKv = file("flat.json", '{"/app/port": "80", "/app/hosts/a": "10.0.0.1", "/app/hosts/b": "10.0.0.2"}');
const nestedKv = file("nested.yaml", "app:\n  port: 80\n  hosts:\n    a: 10.0.0.1\n    b: 10.0.0.2\n");
const v2Kv = file("v2.yaml", "app:\n  tls: yes\n  mode: 0640\n");

const OK: { name: string; template: string; args: string[]; stdin?: string; out: string }[] = [
  {
    name: "dot from JSON --data",
    template: "{{range .users}}{{.name}} {{end}}{{.port}}",
    args: ["--data", users],
    out: "ann bob 8080",
  },
  {
    name: "dot from YAML --data",
    template: "{{range .users}}{{.name}} {{end}}{{.port}}",
    args: ["--data", usersYaml],
    out: "ann bob 8080",
  },
  {
    name: "dot from TOML --data",
    template: "{{range .users}}{{.name}} {{end}}{{.port}}",
    args: ["--data", usersToml],
    out: "ann bob 8080",
  },
  {
    name: "keys from a flat --kv map",
    template: '{{getv "/app/port"}}{{range gets "/app/hosts/*"}} {{.Value}}{{end}}',
    args: ["--kv", flatKv],
    out: "80 10.0.0.1 10.0.0.2",
  },
  {
    name: "keys from nested --kv maps",
    template: '{{getv "/app/port"}}{{range ls "/app/hosts"}} {{.}}{{end}}',
    args: ["--kv", nestedKv],
    out: "80 a b",
  },
  {
    name: "--kv YAML read as the file backend reads it (yaml.v2)",
    template: '{{getv "/app/tls"}} {{getv "/app/mode"}}',
    args: ["--kv", v2Kv],
    out: "true 416",
  },
  {
    name: "YAML --data integers are Go ints",
    template: '{{printf "%T" .port}} {{add .port 1}} {{printf "%T" .ratio}}',
    args: ["--data", file("ints.yaml", "port: 8080\nratio: 1.5\n")],
    out: "int 8081 float64",
  },
  {
    name: "TOML --data integers are Go ints",
    template: '{{printf "%T" .port}} {{add .port 1}}',
    args: ["--data", file("ints.toml", "port = 8080\n")],
    out: "int 8081",
  },
  {
    name: "JSON --data numbers are float64, as encoding/json gives them",
    template: '{{printf "%T %v" .port .big}}',
    args: ["--data", file("nums.json", '{"port": 8080, "big": 1000000}')],
    out: "float64 1e+06",
  },
  {
    name: "--kv and --data read with one reader: base 60 is no number, as in yaml.v2",
    template: '{{getv "/t"}} {{getv "/10:30"}} {{.t}} {{printf "%T" .o}} {{.o}}',
    args: [
      "--kv",
      file("b60.yaml", "t: 10:30\n10:30: k\no: 0o17\n"),
      "--data",
      file("b60d.yaml", "t: 12:00:00\no: 0o17\n"),
    ],
    out: "10:30 k 12:00:00 int 15",
  },
  {
    name: "a 20-digit integer: a uint64 for --data, dropped from --kv as confd drops it",
    template: '{{printf "%T %v" .u .u}} {{getv "/u" "dropped"}}',
    args: ["--data", file("u.yaml", "u: 12345678901234567890\n"), "--kv", file("u.yaml", "u: 12345678901234567890\n")],
    out: "uint64 12345678901234567890 dropped",
  },
  {
    name: "JSON --kv is read as the file backend reads it (a 20-digit number is dropped, 1.0 is 1)",
    template: '{{getv "/u" "dropped"}} {{getv "/f"}}',
    args: ["--kv", file("u.json", '{"u": 12345678901234567890, "f": 1.0}')],
    out: "dropped 1",
  },
  { name: "no data at all", template: "static {{.}}", args: [], out: "static <no value>" },
  {
    name: "other delimiters",
    template: "[[ .port ]] {{.port}}",
    args: ["--data", users, "--left-delim", "[[", "--right-delim=]]"],
    out: "8080 {{.port}}",
  },
  { name: "getenv from the environment", template: '{{getenv "RENDER_TEST_VAR"}}', args: [], out: "from-env" },
  { name: "flags after the template", template: "{{.port}}", args: ["--data", users], out: "8080" },
];

describe("render prints the rendering", () => {
  for (const c of OK) {
    it(`with ${c.name}`, async () => {
      const tmpl = file(`ok-${OK.indexOf(c)}.tmpl`, c.template);
      const args = c.name === "flags after the template" ? [tmpl, ...c.args] : [...c.args, tmpl];
      const r = await render(args);
      assert.equal(r.err, "");
      assert.equal(r.code, EXIT.ok);
      assert.equal(r.out, c.out);
    });
  }
  it("reads the template from stdin for -", async () => {
    const r = await render(["--data", users, "-"], "port {{.port}}\n");
    assert.equal(r.code, EXIT.ok, r.err);
    assert.equal(r.out, "port 8080\n");
  });
  it("names a stdin template stdin in errors", async () => {
    const r = await render(["-"], "{{if}}");
    assert.equal(r.code, EXIT.failure);
    assert.match(r.err, /^error: template: stdin:1: /);
  });
});

describe("render fails with one error line and exit 1", () => {
  const cases: { name: string; template: string; args: string[]; err: RegExp }[] = [
    {
      name: "a parse error, with the file name",
      template: "a\n{{end}}",
      args: [],
      err: /^error: template: bad-0\.tmpl:2: unexpected \{\{end\}\}\n$/,
    },
    {
      name: "missingkey=error on a missing key",
      template: "{{.nope}}",
      args: ["--missingkey=error", "--data", users],
      err: /^error: template: bad-1\.tmpl:1:2: executing "bad-1\.tmpl" at <\.nope>: map has no entry for key "nope"\n$/,
    },
    {
      name: "a missing store key",
      template: '{{getv "/x"}}',
      args: ["--kv", flatKv],
      err:
        /^error: template: bad-2\.tmpl:1:2: executing "bad-2\.tmpl" at <getv "\/x">: error calling getv: key does not exist: \/x\n$/,
    },
    {
      name: "a data file of unknown type",
      template: "x",
      args: ["--data", file("d.txt", "x")],
      err: /^error: --data \S+d\.txt: unknown file type "\.txt": expected \.json, \.yaml, \.yml or \.toml\n$/,
    },
    {
      name: "invalid JSON data",
      template: "x",
      args: ["--kv", file("broken.json", "{")],
      err: /^error: --kv \S+broken\.json:1:2: missing closing character\n$/,
    },
    {
      name: "invalid YAML data, named by line and column without its text",
      template: "x",
      args: ["--data", file("secret.yaml", 'db:\n  password: "s3cr3t-pw\n')],
      err: /^error: --data \S+secret\.yaml:3:1: missing closing character\n$/,
    },
    {
      name: "a TOML error without the code frame",
      template: "x",
      args: ["--kv", file("secret.toml", 'password = "s3cr3t-pw\n')],
      err: /^error: --kv \S+secret\.toml:1:22: control characters are not allowed in strings\n$/,
    },
    {
      name: "binary garbage",
      template: "x",
      args: ["--kv", file("garbage.yaml", "a: \u0001\u0002\u0003\n")],
      err: /^error: --kv \S+garbage\.yaml:1:4: control characters are not allowed\n$/,
    },
    {
      name: "a missing data file",
      template: "x",
      args: ["--data", join(dir, "none.json")],
      err: /^error: --data \S+none\.json: cannot read: /,
    },
  ];
  for (const c of cases) {
    it(`for ${c.name}`, async () => {
      const tmpl = file(`bad-${cases.indexOf(c)}.tmpl`, c.template);
      const r = await render([...c.args, tmpl]);
      assert.equal(r.code, EXIT.failure);
      assert.match(r.err, c.err);
      assert.equal(r.err.trimEnd().split("\n").length, 1);
      assert.equal(r.out, "");
    });
  }
  it("for a missing template file", async () => {
    const r = await render([join(dir, "absent.tmpl")]);
    assert.equal(r.code, EXIT.failure);
    assert.match(r.err, /^error: cannot read template \S+absent\.tmpl: /);
  });
});

describe("render -o", () => {
  it("writes the file instead of stdout", async () => {
    const out = join(dir, "o1.conf");
    const r = await render(["-o", out, "--data", users, file("o1.tmpl", "port {{.port}}")]);
    assert.equal(r.code, EXIT.ok, r.err);
    assert.equal(r.out, "");
    assert.equal(readFileSync(out, "utf8"), "port 8080");
  });
  it("replaces an existing file, keeping its mode, and leaves no temp file", async () => {
    const out = file("o2.conf", "old");
    chmodSync(out, 0o640);
    const r = await render(["-o", out, file("o2.tmpl", "new")]);
    assert.equal(r.code, EXIT.ok, r.err);
    assert.equal(readFileSync(out, "utf8"), "new");
    assert.equal(statSync(out).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes("o2.conf.")), []);
  });
  it("writes nothing when rendering fails", async () => {
    const out = file("o3.conf", "old");
    const fresh = join(dir, "o3-new.conf");
    for (const target of [out, fresh]) {
      const r = await render(["-o", target, "--missingkey=error", file("o3.tmpl", "{{.x}}")]);
      assert.equal(r.code, EXIT.failure);
    }
    assert.equal(readFileSync(out, "utf8"), "old");
    assert.equal(existsSync(fresh), false);
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith(".o3")), []);
  });
  it("fails with one line when the directory does not exist", async () => {
    const r = await render(["-o", join(dir, "no", "such", "x.conf"), file("o4.tmpl", "x")]);
    assert.equal(r.code, EXIT.failure);
    assert.match(r.err, /^error: -o \S+x\.conf: cannot write: /);
  });
});
