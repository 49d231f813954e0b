// Commands: /bin/sh -c, combined output, Go's exit wording, timeouts that kill the process group.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../../src/resource/command.ts";

describe("runCommand", () => {
  const cases: { name: string; cmd: string; ok: boolean; output: string; error?: string }[] = [
    {
      name: "success captures stdout and stderr together",
      cmd: "echo RELOAD; echo to-stderr >&2",
      ok: true,
      output: "RELOAD\nto-stderr\n",
    },
    {
      name: "a non-zero exit is `exit status N`",
      cmd: "echo bad; exit 3",
      ok: false,
      output: "bad\n",
      error: "exit status 3",
    },
    { name: "runs through a shell", cmd: "x=1; test $x = 1 && printf ok", ok: true, output: "ok" },
    { name: "a command killed by a signal", cmd: "kill -9 $$", ok: false, output: "", error: "signal: killed" },
    {
      name: "stdout and stderr keep their order (one pipe, as Go's CombinedOutput)",
      cmd: "for i in 1 2 3 4 5 6 7 8; do echo out$i; echo err$i >&2; done",
      ok: true,
      output: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `out${i}\nerr${i}\n`).join(""),
    },
    {
      // The joining line comes first, so the shell counts the command's lines from 2.
      name: "a shell syntax error is part of the output",
      cmd: "if then",
      ok: false,
      output: '/bin/sh: 2: Syntax error: "then" unexpected\n',
      error: "exit status 2",
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCommand(c.cmd, { timeoutMs: 5000 });
      assert.equal(r.ok, c.ok);
      assert.equal(r.output, c.output);
      assert.equal(r.error, c.error);
    });
  }

  it("kills the whole process group at the timeout and counts it as failed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-cmd-"));
    const marker = join(dir, "marker");
    const started = Date.now();
    // The background child would write the marker after 1s if it survived the group kill.
    const r = await runCommand(`(sleep 1; echo survived > ${marker}) & echo started; sleep 10`, { timeoutMs: 300 });
    assert.ok(Date.now() - started < 2000);
    assert.equal(r.ok, false);
    assert.equal(r.error, "timed out after 300ms, killed");
    assert.equal(r.output, "started\n");
    await new Promise((res) => setTimeout(res, 1200));
    await assert.rejects(readFile(marker), /ENOENT/);
  });
});
