// Renders that do not end, or grow too large, from the compiled binary: SIGTERM and SIGINT
// stop a runaway render at once (exit 0, nothing written, no stage file), render_timeout
// stops one with an error naming the template while other resources are still processed,
// and output beyond 256 Mi characters fails naming the template, never a bare Out of memory.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { Daemon, runReconfd, Sandbox } from "./helpers/reconfd.ts";

/** A billion range iterations: hours of work. */
const RUNAWAY = "{{range seq 1 1000}}{{range seq 1 1000}}{{range seq 1 1000}}{{end}}{{end}}{{end}}";

/** 2^24 × 16 characters, printed twice: just over 256 Mi characters (cheap: the engines concatenate lazily). */
const HUGE = '{{$x := "0123456789abcdef"}}{{range seq 1 24}}{{$x = print $x $x}}{{end}}{{$x}}{{$x}}';

function setup(tmpl: string, extra = ""): { sb: Sandbox; dest: string; data: string } {
  const sb = new Sandbox();
  const data = sb.write("data.yaml", "app:\n  value: one\n");
  mkdirSync(sb.path("out"));
  const dest = sb.path("out", "t.conf");
  const toml = `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n${extra}`;
  sb.resource({ name: "t.toml", toml, tmplName: "t.tmpl", tmpl });
  return { sb, dest, data };
}

describe("render limits", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} during a runaway render exits 0 at once, writing nothing`, async () => {
      const { sb, dest, data } = setup(RUNAWAY);
      const d = new Daemon(["-backend", "file", "-file", data, "-confdir", sb.confdir, "-log-level", "debug"]);
      await d.waitForLog(/Got the following keys from store/);
      // Past the 100 ms a render may hold the main thread: the render runs in a worker by now.
      await new Promise((r) => setTimeout(r, 700));
      const sent = Date.now();
      const code = await Promise.race([
        d.stop(signal),
        new Promise<string>((r) => setTimeout(() => r("still running 3 s after the signal"), 3000)),
      ]);
      if (code !== 0) d.child.kill("SIGKILL");
      assert.equal(code, 0, d.stderr);
      assert.ok(Date.now() - sent < 3000);
      assert.match(d.stderr, /Captured (terminated|interrupt)\. Exiting/);
      assert.equal(existsSync(dest), false);
      assert.deepEqual(sb.stageFiles(sb.path("out")), []);
    });
  }

  it("render_timeout stops a runaway template with an error naming it; other resources are processed", async () => {
    const { sb, dest, data } = setup(RUNAWAY, 'render_timeout = "1s"\n');
    const other = sb.path("out", "other.conf");
    sb.resource({
      name: "u.toml",
      toml: `[template]\nsrc = "u.tmpl"\ndest = "${other}"\nkeys = ["/app"]\n`,
      tmplName: "u.tmpl",
      tmpl: 'value={{getv "/app/value"}}\n',
    });
    const started = Date.now();
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", data, "-confdir", sb.confdir]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.match(
      r.stderr,
      /ERROR render_timeout 1s exceeded rendering \S*\/t\.tmpl: template: t\.tmpl:1:\d+: executing "t\.tmpl" at <.+>: execution stopped: time limit reached\n/,
    );
    assert.equal(existsSync(dest), false);
    assert.equal(readFileSync(other, "utf8"), "value=one\n");
  });

  it("a render that outlasts the main thread's 100 ms finishes in the worker and is installed", async () => {
    // A million range iterations: about a second, far past the main thread's slice.
    const { sb, dest, data } = setup(
      '{{range seq 1 1000}}{{range seq 1 1000}}{{end}}{{end}}value={{getv "/app/value"}}\n',
    );
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", data, "-confdir", sb.confdir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(dest, "utf8"), "value=one\n");
  });

  it("a render_timeout that is not a duration is a load error naming the key", async () => {
    const { sb, data } = setup("x", 'render_timeout = "10"\n');
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", data, "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /t\.toml:5: key "render_timeout": invalid duration "10"/);
  });

  it("output beyond 256 Mi characters fails naming the template and the action", async () => {
    const { sb, dest, data } = setup(HUGE);
    const r = await runReconfd(["-onetime", "-backend", "file", "-file", data, "-confdir", sb.confdir]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /ERROR template: t\.tmpl:1:\d+: executing "t\.tmpl" at <\{\{\$x\}\}>: output is larger than the limit of 268435456 characters\n/,
    );
    assert.doesNotMatch(r.stderr, /Out of memory/);
    assert.equal(existsSync(dest), false);
  });
});
