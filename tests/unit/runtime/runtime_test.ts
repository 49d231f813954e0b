// The runtime module seen from a source run (the compiled binary is covered by
// tests/e2e/binary_test.ts): what it reports and how it writes.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import * as runtime from "../../../src/runtime/runtime.ts";

describe("runtime", () => {
  it("names the runtime running the tests with its version", () => {
    assert.match(runtime.runtimeDescription(), /^(bun|deno) \d+\.\d+\.\d+/);
  });
  it("knows a source run is not the compiled binary", () => {
    assert.equal(runtime.isCompiledBinary(), false);
    assert.equal(runtime.invokedName(), "reconfd");
  });
  it("reports this process's id and a host name", () => {
    assert.equal(runtime.pid(), process.pid);
    assert.ok(runtime.hostname().length > 0);
  });
  it("copies the environment", () => {
    const env = runtime.environment();
    assert.equal(env.PATH, process.env.PATH);
    env.PATH = "changed";
    assert.notEqual(process.env.PATH, "changed");
  });
  it("subscribes to a signal and unsubscribes", async () => {
    let heard = 0;
    const off = runtime.onSignal("SIGUSR2", () => heard++);
    try {
      process.kill(process.pid, "SIGUSR2");
      const end = Date.now() + 5000;
      while (heard === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      assert.equal(heard, 1);
    } finally {
      off();
    }
  });
  it("writes all of a large text to a pipe before exit", () => {
    const script =
      'import { writeFd } from "./src/runtime/runtime.ts"; writeFd(1, "x".repeat(1 << 20)); process.exit(0);';
    const root = new URL("../../../", import.meta.url).pathname;
    const r = spawnSync(process.execPath, [
      ...(runtime.runtimeDescription().startsWith("deno") ? ["eval"] : ["-e"]),
      script,
    ], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 4 << 20,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.length, 1 << 20);
  });
});
