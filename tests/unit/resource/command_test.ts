// Commands: /bin/sh -c or an argv without a shell, combined output kept bounded, Go's exit
// wording, timeouts that kill the process group; how output is logged.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OUTPUT_LIMIT, runCommand } from "../../../src/resource/command.ts";
import { LINE_LIMIT, outputLogLines } from "../../../src/resource/command_output.ts";

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

describe("runCommand output is bounded", () => {
  it("keeps only the last 64 KiB and counts what it dropped (10 MB of output)", async () => {
    const r = await runCommand("head -c 10000000 /dev/zero; printf END", { timeoutMs: 20_000 });
    assert.equal(r.ok, true);
    assert.equal(r.output.length, OUTPUT_LIMIT);
    assert.ok(r.output.endsWith("\0\0END"));
    assert.equal(r.dropped, 10_000_003 - OUTPUT_LIMIT);
  });

  it("short output is kept whole", async () => {
    const r = await runCommand("printf abc", { timeoutMs: 5000 });
    assert.deepEqual([r.output, r.dropped], ["abc", 0]);
  });

  it("a custom limit keeps that many bytes, cut anywhere (even inside a UTF-8 sequence)", async () => {
    const r = await runCommand("printf 'xxxxé'", { timeoutMs: 5000, outputLimit: 1 });
    // é is two bytes; only the last one is kept, as a byte that is not UTF-8 (Go bytes).
    assert.equal(r.output, "\udca9");
    assert.equal(r.dropped, 5);
  });
});

describe("runCommand with an argv array (no shell)", () => {
  it("passes each element as one argument: shell syntax means nothing", async () => {
    const r = await runCommand(["printf", "%s|", "a b", "$HOME;", "`x`"], { timeoutMs: 5000 });
    assert.deepEqual([r.ok, r.output], [true, "a b|$HOME;|`x`|"]);
  });

  it("captures stdout and stderr", async () => {
    const r = await runCommand(["sh", "-c", "echo out; sleep 0.1; echo err >&2; exit 4"], { timeoutMs: 5000 });
    assert.deepEqual([r.ok, r.output, r.error], [false, "out\nerr\n", "exit status 4"]);
  });

  it("a program that does not exist fails with the spawn error", async () => {
    const r = await runCommand(["/nonexistent/prog"], { timeoutMs: 5000 });
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /ENOENT/);
  });

  it("runs without /bin/sh: a string command with a missing shell fails, the argv form runs", async () => {
    const shell = "/nonexistent/sh";
    const s = await runCommand("true", { timeoutMs: 5000, shell });
    assert.equal(s.ok, false);
    assert.match(s.error ?? "", /ENOENT/);
    const a = await runCommand(["true"], { timeoutMs: 5000, shell });
    assert.equal(a.ok, true);
  });

  it("kills the whole process group at the timeout", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reconfd-cmd-"));
    const marker = join(dir, "marker");
    const r = await runCommand(["sh", "-c", `(sleep 1; echo survived > ${marker}) & sleep 10`], { timeoutMs: 300 });
    assert.equal(r.error, "timed out after 300ms, killed");
    await new Promise((res) => setTimeout(res, 1200));
    await assert.rejects(readFile(marker), /ENOENT/);
  });
});

describe("outputLogLines", () => {
  const cases: { name: string; output: string; dropped: number; want: string[] }[] = [
    { name: "short output is one quoted entry, as confd logs it", output: "a\nb\n", dropped: 0, want: ['"a\\nb\\n"'] },
    { name: "no output is an empty quoted string", output: "", dropped: 0, want: ['""'] },
    {
      name: "control characters and bytes that are not UTF-8 are escaped",
      output: "\x1b[31mred\x07\udcff",
      dropped: 0,
      want: ['"\\x1b[31mred\\a\\xff"'],
    },
    {
      name: "dropped output is said first, then one quoted entry per line",
      output: "tail\nline2\n",
      dropped: 100,
      want: ["output: 100 bytes dropped, the last part follows", '"tail\\n"', '"line2\\n"'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(outputLogLines(c), c.want));

  it("long lines are split into entries of at most LINE_LIMIT characters", () => {
    const output = "x".repeat(LINE_LIMIT * 5 + 3);
    const lines = outputLogLines({ output, dropped: 0 });
    assert.equal(lines.length, 6);
    assert.equal(lines.join("").replaceAll('"', ""), output);
    for (const l of lines) assert.ok(l.length <= LINE_LIMIT + 2);
  });
});
