// renderTemplate's time limit and abort: a fast render stays on the main thread, a slow one
// moves to a worker, and both give the same bytes and errors; render_timeout stops a runaway
// template naming it; an abort abandons a render at once with the signal's reason as cause;
// a template is parsed again only when its text changed, and never kept when it fails to parse.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { KVStore } from "../../../src/kv/store.ts";
import { RenderError, renderTemplate, templateCache } from "../../../src/resource/render.ts";

const dir = mkdtempSync(join(tmpdir(), "reconfd-render-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function template(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const store = new KVStore([["/app/port", "8080"], ["/app/host", "db"], ["/svc/a", "10.0.0.1"], ["/svc/b", "10.0.0.2"]]);
const env = { APP_MODE: "prod" };

/** A billion range iterations: hours of work, with nothing but the time limit to end it. */
const RUNAWAY = "{{range seq 1 1000}}{{range seq 1 1000}}{{range seq 1 1000}}{{end}}{{end}}{{end}}";

describe("renderTemplate", () => {
  const same: { name: string; text: string; want?: string; error?: RegExp }[] = [
    {
      name: "keys, globs, env and Go printing",
      text: '{{getv "/app/host"}}:{{getv "/app/port"}} {{range gets "/svc/*"}}{{.Key}}={{.Value}} {{end}}' +
        '{{getenv "APP_MODE"}} {{printf "%05.1f|%q" 3.14159 "x"}} {{map "a" 1}}',
      want: 'db:8080 /svc/a=10.0.0.1 /svc/b=10.0.0.2 prod 003.1|"x" map[a:1]',
    },
    {
      name: "DNS lookups are resolved between renders (localhost, from /etc/hosts)",
      text: '{{range lookupIPV4 "localhost"}}{{.}}{{end}}',
      want: "127.0.0.1",
    },
    {
      name: "an exec error keeps Go's wording",
      text: 'a{{getv "/missing"}}',
      error:
        /^template: same\.tmpl:1:3: executing "same\.tmpl" at <getv "\/missing">: error calling getv: key does not exist: \/missing$/,
    },
  ];
  for (const c of same) {
    for (const inlineMs of [undefined, 0]) {
      it(`${c.name}: the same on the main thread and in a worker (inlineMs ${inlineMs ?? "default"})`, async () => {
        const src = template("same.tmpl", c.text);
        const render = renderTemplate(src, store, { env, inlineMs });
        if (c.error !== undefined) {
          await assert.rejects(render, (err: unknown) => {
            assert.ok(err instanceof RenderError);
            assert.equal(err.src, src);
            assert.match(err.message, c.error as RegExp);
            return true;
          });
        } else assert.equal(await render, c.want);
      });
    }
  }

  it("render_timeout stops a runaway template with an error naming it and where it was", async () => {
    const src = template("runaway.tmpl", RUNAWAY);
    const start = performance.now();
    await assert.rejects(renderTemplate(src, store, { timeoutMs: 400 }), (err: unknown) => {
      assert.ok(err instanceof RenderError);
      assert.match(
        err.message,
        new RegExp(
          `^render_timeout 400ms exceeded rendering ${src}: template: runaway\\.tmpl:1:\\d+: executing "runaway\\.tmpl" at <.+>: execution stopped: time limit reached$`,
        ),
      );
      return true;
    });
    // The deadline, plus a worker's start-up (seconds when `deno test` type-checks it on a busy
    // machine); not the hours the loops would take.
    assert.ok(performance.now() - start < 400 + 20_000, `took ${performance.now() - start} ms`);
  });

  it("an abort abandons a render running in a worker at once, with the signal's reason as cause", async () => {
    const src = template("runaway.tmpl", RUNAWAY);
    const controller = new AbortController();
    const render = renderTemplate(src, store, { signal: controller.signal });
    // Long enough for the render to have left the main thread (100 ms) and started in a worker.
    await new Promise((r) => setTimeout(r, 1500));
    const aborted = performance.now();
    controller.abort("terminated");
    await assert.rejects(render, (err: unknown) => {
      assert.ok(err instanceof RenderError);
      assert.equal(err.cause, "terminated");
      assert.equal(err.message, `rendering ${src} abandoned: terminated`);
      return true;
    });
    assert.ok(performance.now() - aborted < 200, `took ${performance.now() - aborted} ms after the abort`);
  });

  it("a render_timeout shorter than the main thread's slice fails there, without a worker", async () => {
    const src = template("runaway.tmpl", RUNAWAY);
    const start = performance.now();
    await assert.rejects(renderTemplate(src, store, { timeoutMs: 50 }), {
      message: new RegExp(`^render_timeout 50ms exceeded rendering ${src}: template: runaway\\.tmpl:1:\\d+: `),
    });
    assert.ok(performance.now() - start < 1000, `took ${performance.now() - start} ms`);
  });

  it("an aborted signal renders nothing", async () => {
    const src = template("same.tmpl", "x");
    await assert.rejects(renderTemplate(src, store, { signal: AbortSignal.abort("interrupt") }), {
      message: `rendering ${src} abandoned: interrupt`,
    });
  });
});

describe("renderTemplate's environment", () => {
  it("getenv reads the process environment when none is given", async () => {
    process.env.RECONFD_RENDER_ENV_TEST = "from-process";
    try {
      const path = template("env.tmpl", '{{getenv "RECONFD_RENDER_ENV_TEST"}}');
      assert.equal(await renderTemplate(path, store), "from-process");
      assert.equal(await renderTemplate(path, store, { env: {} }), "");
    } finally {
      delete process.env.RECONFD_RENDER_ENV_TEST;
    }
  });
});

describe("renderTemplate's parsed templates", () => {
  it("a template edited between two renders renders its new text", async () => {
    const src = template("edited.tmpl", '{{getv "/app/host"}}');
    assert.equal(await renderTemplate(src, store), "db");
    writeFileSync(src, 'port {{getv "/app/port"}}');
    assert.equal(await renderTemplate(src, store), "port 8080");
  });

  it("a template whose text stays the same is parsed once, and each render sees its own store", async () => {
    const src = template("kept.tmpl", '{{getv "/app/host"}}');
    const before = templateCache.parses;
    assert.equal(await renderTemplate(src, store), "db");
    assert.equal(await renderTemplate(src, new KVStore([["/app/host", "replica"]])), "replica");
    writeFileSync(src, '{{getv "/app/host"}}');
    assert.equal(await renderTemplate(src, store), "db");
    assert.equal(templateCache.parses - before, 1);
  });

  it("a text that does not parse fails at every render until it is fixed", async () => {
    const src = template("broken.tmpl", "{{getv");
    const before = templateCache.parses;
    for (let i = 0; i < 2; i++) {
      await assert.rejects(renderTemplate(src, store), (err: unknown) => {
        assert.ok(err instanceof RenderError);
        assert.match(err.message, new RegExp(`^Unable to process template ${src}, template: broken\\.tmpl:1: `));
        return true;
      });
    }
    assert.equal(templateCache.parses - before, 2);
    writeFileSync(src, '{{getv "/app/port"}}');
    assert.equal(await renderTemplate(src, store), "8080");
  });

  it("a template that went missing says so, even after it was parsed", async () => {
    const src = template("gone.tmpl", "x");
    assert.equal(await renderTemplate(src, store), "x");
    rmSync(src);
    await assert.rejects(renderTemplate(src, store), { message: `Missing template: ${src}` });
  });
});
