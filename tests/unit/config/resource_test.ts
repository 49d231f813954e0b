// Template resource TOML: directives, validation errors with file:line, discovery order.

import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseResource, type ParseResourceOptions } from "../../../src/config/resource.ts";
import { lookupGroup, lookupUser, parseDuration, parseMode } from "../../../src/config/resource_fields.ts";
import { findResourceFiles, loadResources } from "../../../src/config/resource_load.ts";
import type { Config } from "../../../src/config/config.ts";
import { skipUnless } from "../../helpers/skip.ts";

const opts = { templateDir: "/etc/confd/templates", globalPrefix: "" };

function parse(text: string, extra: Partial<ParseResourceOptions> = {}) {
  const warnings: string[] = [];
  const result = parseResource("conf.d/t.toml", text, { ...opts, ...extra, warn: (w) => warnings.push(w) });
  return { ...result, messages: result.errors.map((e) => e.message), warnings };
}

describe("parseResource", () => {
  it("reads every directive", () => {
    const { resource, messages } = parse(`[template]
src = "nginx.tmpl"
dest = "/tmp/nginx.conf"
keys = ["/services/web", "/x"]
prefix = "app"
mode = "0640"
owner = "root"
group = "root"
check_cmd = "nginx -t -c {{.src}}"
reload_cmd = "nginx -s reload"
check_timeout = "1m30s"
reload_timeout = "500ms"
render_timeout = "2s"
`);
    assert.deepEqual(messages, []);
    assert.ok(resource);
    assert.equal(resource.src, "/etc/confd/templates/nginx.tmpl");
    assert.equal(resource.dest, "/tmp/nginx.conf");
    assert.deepEqual(resource.keys, ["/services/web", "/x"]);
    assert.equal(resource.prefix, "/app");
    assert.equal(resource.mode, 0o640);
    assert.equal(resource.uid, 0);
    assert.equal(resource.gid, 0);
    assert.equal(resource.checkCmd, "nginx -t -c {{.src}}");
    assert.equal(resource.reloadCmd, "nginx -s reload");
    assert.equal(resource.checkTimeoutMs, 90_000);
    assert.equal(resource.reloadTimeoutMs, 500);
    assert.equal(resource.renderTimeoutMs, 2000);
  });

  it("defaults: prefix /, no mode, no owner, 60s timeouts", () => {
    const { resource } = parse(`[template]\nsrc = "a.tmpl"\ndest = "a.conf"\n`);
    assert.ok(resource);
    assert.equal(resource.prefix, "/");
    assert.equal(resource.mode, undefined);
    assert.equal(resource.uid, undefined);
    assert.equal(resource.checkTimeoutMs, 60_000);
    assert.equal(resource.renderTimeoutMs, 60_000);
    assert.deepEqual(resource.keys, []);
  });

  it("matches the table and keys case-insensitively, as confd", () => {
    const { resource, messages } = parse(`[Template]\nSRC = "a.tmpl"\nDest = "a.conf"\nCheck_Cmd = "true"\n`);
    assert.deepEqual(messages, []);
    assert.equal(resource?.checkCmd, "true");
  });

  it("joins an absolute src under the templates directory, as confd", () => {
    const { resource } = parse(`[template]\nsrc = "/sub/a.tmpl"\ndest = "a.conf"\n`);
    assert.equal(resource?.src, "/etc/confd/templates/sub/a.tmpl");
  });

  it("keeps a src climbing down and up again inside the templates directory", () => {
    const { resource, messages } = parse(`[template]\nsrc = "sub/../a.tmpl"\ndest = "a.conf"\n`);
    assert.deepEqual(messages, []);
    assert.equal(resource?.src, "/etc/confd/templates/a.tmpl");
  });

  it("reads check_cmd / reload_cmd as an argv array", () => {
    const { resource, messages } = parse(
      `[template]\nsrc = "a"\ndest = "b"\ncheck_cmd = ["nginx", "-t", "-c", "{{.src}}"]\nreload_cmd = "x"\n`,
    );
    assert.deepEqual(messages, []);
    assert.deepEqual(resource?.checkCmd, ["nginx", "-t", "-c", "{{.src}}"]);
    assert.equal(resource?.reloadCmd, "x");
  });

  it("lets a global prefix replace the resource prefix", () => {
    const { resource } = parse(`[template]\nsrc = "a"\ndest = "b"\nprefix = "/mine"\n`, { globalPrefix: "global" });
    assert.equal(resource?.prefix, "/global");
  });

  it("reads a mode without leading 0 as octal, with a warning naming file:line", () => {
    const { resource, warnings } = parse(`[template]\nsrc = "a"\ndest = "b"\nmode = "644"\n`);
    assert.equal(resource?.mode, 0o644);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^conf\.d\/t\.toml:4: mode "644" has no leading 0/);
  });

  const bad: { name: string; text: string; want: RegExp[] }[] = [
    {
      name: "invalid TOML reports its line",
      text: `[template]\nsrc = "a"\ndest = \n`,
      want: [/^conf\.d\/t\.toml:3:8: invalid TOML: Invalid TOML document: invalid value$/],
    },
    { name: "missing [template] table", text: `x = 1\n`, want: [/:1: unknown key "x"/, /missing \[template\] table/] },
    { name: "missing src", text: `[template]\ndest = "b"\n`, want: [/missing key "src"/] },
    { name: "empty src", text: `[template]\nsrc = ""\ndest = "b"\n`, want: [/:2: key "src" is empty/] },
    { name: "missing dest", text: `[template]\nsrc = "a"\n`, want: [/missing key "dest"/] },
    {
      name: "unknown key with its line, every problem at once",
      text: `[template]\nsrc = "a"\ndest = "b"\nowner = "root"\nfoo = 1\nkeys = "x"\n`,
      want: [/:5: unknown key "foo" in \[template\]/, /:6: key "keys" must be an array of strings/],
    },
    {
      name: "dest of the wrong type",
      text: `[template]\nsrc = "a"\ndest = 42\n`,
      want: [/:3: key "dest" must be a string, got number 42/],
    },
    {
      name: "bad mode",
      text: `[template]\nsrc = "a"\ndest = "b"\nmode = "rw"\n`,
      want: [/:4: mode must be an octal string like "0644", got "rw"/],
    },
    {
      name: "unknown owner",
      text: `[template]\nsrc = "a"\ndest = "b"\nowner = "no-such-user-x"\n`,
      want: [/:4: unknown user "no-such-user-x"/],
    },
    {
      name: "owner and uid together",
      text: `[template]\nsrc = "a"\ndest = "b"\nowner = "root"\nuid = 0\n`,
      want: [/set either "owner" or "uid"/],
    },
    {
      name: "negative uid",
      text: `[template]\nsrc = "a"\ndest = "b"\nuid = -1\n`,
      want: [/:4: key "uid" must be a non-negative integer/],
    },
    {
      name: "an array of tables [[template]] is located at its header",
      text: `# a comment\n[[template]]\nsrc = "a"\n`,
      want: [/:2: unknown key "template" \(expected a \[template\] table\)/, /missing \[template\] table/],
    },
    {
      name: "dotted keys are located too",
      text: `template.src = "a"\ntemplate.dest = "b"\ntemplate.bogus = 1\n`,
      want: [/:3: unknown key "bogus" in \[template\]/],
    },
    {
      name: "a subtable of [template] is located at its header",
      text: `[template]\nsrc = "a"\ndest = "b"\n[template.extra]\nx = 1\n`,
      want: [/:4: unknown key "extra" in \[template\]/],
    },
    {
      name: "a src climbing out of the templates directory (confd read it)",
      text: `[template]\nsrc = "../../etc/shadow"\ndest = "b"\n`,
      want: [
        /:2: key "src" \("\.\.\/\.\.\/etc\/shadow"\) leads outside the templates directory \/etc\/confd\/templates$/,
      ],
    },
    {
      name: "a src that is the templates directory itself",
      text: `[template]\nsrc = "sub/.."\ndest = "b"\n`,
      want: [/:2: key "src" \("sub\/\.\."\) leads outside the templates directory/],
    },
    {
      name: "a src climbing out and back in through a sibling",
      text: `[template]\nsrc = "../templates-x/a.tmpl"\ndest = "b"\n`,
      want: [/:2: key "src" .* leads outside/],
    },
    {
      name: "check_cmd as an empty array",
      text: `[template]\nsrc = "a"\ndest = "b"\ncheck_cmd = []\n`,
      want: [/:4: key "check_cmd" is an empty array \(its first element is the program\)/],
    },
    {
      name: "reload_cmd as an array holding a number",
      text: `[template]\nsrc = "a"\ndest = "b"\nreload_cmd = ["kill", 1]\n`,
      want: [/:4: key "reload_cmd" must be a string or an array of strings, got an array \["kill",1\]/],
    },
    {
      name: "reload_cmd as a table",
      text: `[template]\nsrc = "a"\ndest = "b"\nreload_cmd = { x = 1 }\n`,
      want: [/:4: key "reload_cmd" must be a string or an array of strings, got a table/],
    },
    {
      name: "bad duration",
      text: `[template]\nsrc = "a"\ndest = "b"\ncheck_timeout = "10"\n`,
      want: [/:4: key "check_timeout": invalid duration "10"/],
    },
    {
      name: "a zero render_timeout",
      text: `[template]\nsrc = "a"\ndest = "b"\nrender_timeout = "0s"\n`,
      want: [/:4: key "render_timeout" must be a positive duration, got "0s"/],
    },
  ];
  for (const c of bad) {
    it(`rejects: ${c.name}`, () => {
      const { resource, messages } = parse(c.text);
      assert.equal(resource, undefined);
      assert.equal(messages.length, c.want.length, messages.join("\n"));
      c.want.forEach((re, i) => assert.match(messages[i], re));
    });
  }
});

describe("owner and group names", () => {
  const hasGetent = spawnSync("getent", ["passwd", "root"]).status === 0;
  it("a name missing from the passwd/group files is asked of getent (LDAP, SSSD accounts)", {
    skip: skipUnless(hasGetent, "getent is not installed"),
  }, () => {
    const { resource, messages } = parse(`[template]\nsrc = "a"\ndest = "b"\nowner = "root"\ngroup = "root"\n`, {
      passwdFile: "/nonexistent/passwd",
      groupFile: "/nonexistent/group",
    });
    assert.deepEqual(messages, []);
    assert.equal(resource?.uid, 0);
    assert.equal(resource?.gid, 0);
  });

  it("a name nobody knows is an error naming it", () => {
    assert.throws(() => lookupUser("no-such-user-x", "/nonexistent/passwd"), {
      message: /unknown user "no-such-user-x" \(not in \/nonexistent\/passwd, nor known to getent\)/,
    });
    assert.throws(() => lookupGroup("no-such-group-x", "/nonexistent/group"), {
      message: /unknown group "no-such-group-x"/,
    });
  });
});

describe("parseMode", () => {
  const cases: [string, number, boolean][] = [
    ["0644", 0o644, false],
    ["0o600", 0o600, false],
    ["0x1a4", 0o644, false],
    ["644", 0o644, true],
    ["04755", 0o4755, false],
    ["0", 0, false],
  ];
  for (const [text, mode, warns] of cases) {
    it(`"${text}" is 0${mode.toString(8)}${warns ? " with a warning" : ""}`, () => {
      const parsed = parseMode(text);
      assert.equal(parsed.mode, mode);
      assert.equal(parsed.warning !== undefined, warns);
    });
  }
  for (const text of ["rw", "0999", "", "077777", "-1"]) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseMode(text)));
  }
});

describe("parseDuration", () => {
  const cases: [string, number][] = [
    ["30s", 30_000],
    ["1m30s", 90_000],
    ["1.5h", 5_400_000],
    ["250ms", 250],
    ["0", 0],
    ["2h0m1s", 7_201_000],
  ];
  for (const [text, ms] of cases) it(`"${text}" is ${ms}ms`, () => assert.equal(parseDuration(text), ms));
  for (const text of ["", "10", "1d", "s", "1m 2s"]) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseDuration(text)));
  }
});

function config(confdir: string, extra: Partial<Config> = {}): Config {
  return { confdir, prefix: "", singleResource: "", ...extra } as Config;
}

describe("findResourceFiles and loadResources", () => {
  it("walks conf.d depth-first in lexical order, keeping names matching *toml and symlinked files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-walk-"));
    await mkdir(join(dir, "b"));
    await mkdir(join(dir, "elsewhere"));
    for (const f of ["z.toml", "a.toml", "b/c.toml", ".hidden.toml", "x.toml.bak", "notatoml", "elsewhere/e.toml"]) {
      await writeFile(join(dir, f), "");
    }
    await symlink(join(dir, "a.toml"), join(dir, "link.toml"));
    await symlink(join(dir, "elsewhere"), join(dir, "dirlink"));
    const files = await findResourceFiles(dir);
    assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), [
      ".hidden.toml",
      "a.toml",
      "b/c.toml",
      "elsewhere/e.toml",
      "link.toml",
      "notatoml",
      "z.toml",
    ]);
  });

  it("reports each bad resource and still loads the good ones; a shared dest is an error", async () => {
    const confdir = await mkdtemp(join(tmpdir(), "reconfd-load-"));
    await mkdir(join(confdir, "conf.d"));
    const res = (name: string, body: string) => writeFile(join(confdir, "conf.d", name), body);
    await res("1-good.toml", `[template]\nsrc = "a.tmpl"\ndest = "/tmp/reconfd-good.conf"\n`);
    await res("2-bad.toml", `[template]\nsrc = "a.tmpl"\n`);
    await res("3-syntax.toml", `[template\n`);
    await res("4-dup.toml", `[template]\nsrc = "a.tmpl"\ndest = "/tmp/reconfd-dup.conf"\n`);
    await res("5-dup.toml", `[template]\nsrc = "b.tmpl"\ndest = "/tmp/../tmp/reconfd-dup.conf"\n`);
    const loaded = await loadResources(config(confdir));
    assert.deepEqual(loaded.resources.map((r) => r.dest), ["/tmp/reconfd-good.conf"]);
    const msgs = loaded.errors.map((e) => e.message.slice(confdir.length + 1));
    assert.equal(msgs.length, 4, msgs.join("\n"));
    assert.match(msgs[0], /^conf\.d\/2-bad\.toml: missing key "dest"/);
    assert.match(msgs[1], /^conf\.d\/3-syntax\.toml:1:10: invalid TOML/);
    assert.match(msgs[2], /^conf\.d\/4-dup\.toml:3: dest "\/tmp\/reconfd-dup\.conf" is also written by .*5-dup\.toml/);
    assert.match(msgs[3], /^conf\.d\/5-dup\.toml:3: dest/);
    // Refused resources whose src is known stay available to `reconfd check`, in walk order.
    assert.deepEqual(loaded.rejected.map((r) => r.file.slice(confdir.length + 1)), [
      "conf.d/2-bad.toml",
      "conf.d/4-dup.toml",
      "conf.d/5-dup.toml",
    ]);
  });

  it("two dests naming one file through a symlink are a shared dest", async () => {
    const confdir = await mkdtemp(join(tmpdir(), "reconfd-linkdest-"));
    await mkdir(join(confdir, "conf.d"));
    await mkdir(join(confdir, "available"));
    await symlink(join(confdir, "available"), join(confdir, "enabled"));
    const res = (name: string, dest: string) =>
      writeFile(join(confdir, "conf.d", name), `[template]\nsrc = "a.tmpl"\ndest = "${dest}"\n`);
    await res("a.toml", join(confdir, "available", "x.conf"));
    await res("b.toml", join(confdir, "enabled", "x.conf"));
    const loaded = await loadResources(config(confdir));
    assert.deepEqual(loaded.resources, []);
    assert.equal(loaded.errors.length, 2);
    assert.match(
      loaded.errors[0].message,
      /a\.toml:3: dest "\S+\/available\/x\.conf" is also written by \S+\/b\.toml$/,
    );
  });

  it("warns and loads nothing when the confdir does not exist", async () => {
    const loaded = await loadResources(config("/nonexistent/reconfd"));
    assert.deepEqual(loaded.resources, []);
    assert.deepEqual(loaded.errors, []);
    assert.deepEqual(loaded.warnings, [
      "Cannot load template resources: confdir '/nonexistent/reconfd' does not exist",
    ]);
  });

  it("is an error when the confdir exists without conf.d", async () => {
    const confdir = await mkdtemp(join(tmpdir(), "reconfd-noconfd-"));
    const loaded = await loadResources(config(confdir));
    assert.equal(loaded.errors.length, 1);
    assert.match(loaded.errors[0].message, /conf\.d: cannot read conf\.d: .*no such file or directory/);
  });
});
