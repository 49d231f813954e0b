// `reconfd check`: every problem with file:line, exit 0/1; --kv renders against sample data,
// runs nothing and writes nothing.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { runReconfd, Sandbox } from "./helpers/reconfd.ts";

function confdirWith(resources: { name: string; toml: string; tmplName?: string; tmpl?: string }[]): Sandbox {
  const sb = new Sandbox();
  for (const r of resources) sb.resource(r);
  return sb;
}

describe("reconfd check", () => {
  it("passes a good confdir and the shipped example", async () => {
    const example = new URL("../../templates/nginx/", import.meta.url).pathname;
    const r = await runReconfd(["check", "-confdir", example]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /checked 1 template resource: ok/);
  });

  it("reports every problem with file:line and exits 1", async () => {
    const sb = confdirWith([
      { name: "a.toml", toml: `[template]\nsrc = "a.tmpl"\ndest = "/tmp/x-a"\nmod = "0644"\n` },
      {
        name: "b.toml",
        toml: `[template]\nsrc = "b.tmpl"\ndest = "/tmp/x-b"\n`,
        tmplName: "b.tmpl",
        tmpl: "line1\n{{nosuchfunc}}\n",
      },
      {
        name: "c.toml",
        toml: `[template]\nsrc = "c.tmpl"\ndest = "/tmp/x-c"\ncheck_cmd = "test {{.src"\n`,
        tmplName: "c.tmpl",
        tmpl: "ok\n",
      },
      { name: "d.toml", toml: `[template]\nsrc = "missing.tmpl"\ndest = "/tmp/x-d"\n` },
      {
        name: "e.toml",
        toml:
          `[template]\nsrc = "c.tmpl"\ndest = "/tmp/x-e"\nreload_cmd = "docker kill $(docker ps -q --format '{{.ID}}')"\n`,
      },
    ]);
    const r = await runReconfd(["check", "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\/conf\.d\/a\.toml:4: unknown key "mod" in \[template\]/);
    assert.match(r.stdout, /\/conf\.d\/a\.toml:2: Missing template: \S+\/a\.tmpl/);
    assert.match(
      r.stdout,
      /\/conf\.d\/b\.toml:2: Unable to process template \S+\/b\.tmpl, template: b\.tmpl:2: function "nosuchfunc" not defined/,
    );
    assert.match(r.stdout, /\/conf\.d\/c\.toml:4: check_cmd: template: checkcmd:1: /);
    assert.match(r.stdout, /\/conf\.d\/d\.toml:2: Missing template: \S+\/missing\.tmpl/);
    assert.match(
      r.stdout,
      /\/conf\.d\/e\.toml:4: reload_cmd: template: reloadcmd:1:\d+: executing "reloadcmd" at <\.ID>: map has no entry for key "ID"/,
    );
    assert.match(r.stdout, /checked 5 template resources: 6 problems\n$/);
  });

  it("a refused resource still has its template and commands checked; a shared dest names its line", async () => {
    const sb = confdirWith([
      {
        name: "a.toml",
        toml: `[template]\nsrc = "a.tmpl"\ndest = "/tmp/x-shared"\nbogus = 1\ncheck_cmd = "x {{.src"\n`,
        tmplName: "a.tmpl",
        tmpl: "{{nosuchfunc}}\n",
      },
      {
        name: "b.toml",
        toml: `[template]\nsrc = "b.tmpl"\n\ndest = "/tmp/x-shared"\n`,
        tmplName: "b.tmpl",
        tmpl: "{{end}}\n",
      },
      { name: "c.toml", toml: `[template]\nsrc = "c.tmpl"\ndest = "/tmp/x-c"\n`, tmplName: "c.tmpl", tmpl: "ok\n" },
    ]);
    const r = await runReconfd(["check", "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split("\n").map((l) => l.slice(l.indexOf("/conf.d/") + 1));
    assert.deepEqual(
      lines.slice(0, -1).sort(),
      [
        "conf.d/a.toml:2: Unable to process template " + sb.confdir +
        '/templates/a.tmpl, template: a.tmpl:1: function "nosuchfunc" not defined',
        'conf.d/a.toml:3: dest "/tmp/x-shared" is also written by ' + sb.confdir + "/conf.d/b.toml",
        'conf.d/a.toml:4: unknown key "bogus" in [template] (known: src, dest, keys, prefix, mode, uid, gid, owner, group, check_cmd, reload_cmd, check_timeout, reload_timeout, render_timeout)',
        "conf.d/a.toml:5: check_cmd: template: checkcmd:1: unclosed action",
        "conf.d/b.toml:2: Unable to process template " + sb.confdir +
        "/templates/b.tmpl, template: b.tmpl:1: unexpected {{end}}",
        'conf.d/b.toml:4: dest "/tmp/x-shared" is also written by ' + sb.confdir + "/conf.d/a.toml",
      ].sort(),
    );
    assert.match(r.stdout, /checked 3 template resources: 6 problems\n$/);
  });

  it("a confdir that does not exist is a problem (the daemon only warns)", async () => {
    const sb = new Sandbox();
    const r = await runReconfd(["check", "-confdir", sb.path("nope")]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\/nope: confdir does not exist\n/);
  });

  it("--kv renders against sample data, writing nothing and running nothing", async () => {
    const sb = new Sandbox();
    const dest = sb.path("out.conf");
    const marker = sb.path("ran");
    sb.resource({
      name: "t.toml",
      toml:
        `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\ncheck_cmd = "touch ${marker}"\nreload_cmd = "touch ${marker}"\n`,
      tmplName: "t.tmpl",
      tmpl: '{{getv "/app/value"}} {{getv "/app/missing"}}\n',
    });
    const kv = sb.write("kv.yaml", "app:\n  value: x\n");
    const r = await runReconfd(["check", "-confdir", sb.confdir, "--kv", kv]);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /t\.toml:2: template: t\.tmpl:1:\d+: executing "t\.tmpl" at <getv "\/app\/missing">: error calling getv: key does not exist: \/app\/missing/,
    );
    assert.equal(existsSync(dest), false);
    assert.equal(existsSync(marker), false);
    assert.deepEqual(readdirSync(sb.dir).filter((f) => f.startsWith(".")), []);

    sb.write("kv.yaml", "app:\n  value: x\n  missing: y\n");
    const ok = await runReconfd(["check", "-confdir", sb.confdir, "--kv", kv]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /checked 1 template resource against \S+kv\.yaml: ok/);
  });
});

describe("-config-file naming a template resource (the CoreOS tutorial's invocation)", () => {
  it("processes just that resource and says so", async () => {
    const sb = new Sandbox();
    const chosen = sb.path("chosen.conf");
    const other = sb.path("other.conf");
    sb.resource({
      name: "chosen.toml",
      toml: `[template]\nsrc = "chosen.tmpl"\ndest = "${chosen}"\nkeys = ["/app"]\n`,
      tmplName: "chosen.tmpl",
      tmpl: 'port {{getv "/app/port"}}\n',
    });
    sb.resource({
      name: "other.toml",
      toml: `[template]\nsrc = "other.tmpl"\ndest = "${other}"\n`,
      tmplName: "other.tmpl",
      tmpl: "other\n",
    });
    const data = sb.write("data.yaml", "app:\n  port: 8080\n");
    const r = await runReconfd([
      "-onetime",
      "-backend",
      "file",
      "-file",
      data,
      "-confdir",
      sb.confdir,
      "-config-file",
      `${sb.confdir}/conf.d/chosen.toml`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(chosen, "utf8"), "port 8080\n");
    assert.equal(existsSync(other), false);
    assert.match(r.stderr, /chosen\.toml.*template resource/i);
    assert.equal(r.stderr.trim().split("\n").filter((l) => /template resource/i.test(l)).length, 1);
  });
});
