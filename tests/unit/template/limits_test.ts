// The executor's resource limits: a deadline stops runaway loops and recursions (on both
// walkers), output beyond its bound and an allocation that fails stop with an
// ExecLimitError that names the template and the action, never a bare RangeError.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ExecLimitError, Template } from "../../../src/template/template.ts";
import { fromJSON, type Value } from "../../../src/template/value.ts";

/** 40 elements, to range over without any function library. */
const FORTY = fromJSON(Array(40).fill(0));

interface Case {
  name: string;
  text: string;
  data?: Value;
  opts: { deadlineMs?: number; maxOutput?: number };
  limit: "time" | "output" | "memory";
  message: RegExp;
}

const cases: Case[] = [
  {
    name: "a deadline stops nested ranges that would run for hours",
    text:
      "{{range .}}{{range $}}{{range $}}{{range $}}{{range $}}{{range $}}x{{end}}{{end}}{{end}}{{end}}{{end}}{{end}}",
    data: FORTY,
    opts: { deadlineMs: 100 },
    limit: "time",
    message: /^template: t\.tmpl:1:\d+: executing "t\.tmpl" at <.+>: execution stopped: time limit reached$/,
  },
  {
    name: "a deadline stops an exponential template recursion, naming the template it reached",
    // 2^22 calls at most 22 deep: far from Go's depth limit, far beyond the deadline.
    text: '{{define "r"}}{{if lt (len .) 22}}{{template "r" (print . "x")}}{{template "r" (print . "y")}}{{end}}' +
      '{{end}}{{template "r" ""}}',
    opts: { deadlineMs: 100 },
    limit: "time",
    message: /^template: t\.tmpl:1:\d+: executing "r" at <.+>: execution stopped: time limit reached$/,
  },
  {
    name: "output beyond the bound stops the run",
    text: "{{range .}}{{range $}}0123456789{{end}}{{end}}",
    data: FORTY,
    opts: { maxOutput: 1000 },
    limit: "output",
    message:
      /^template: t\.tmpl:1:\d+: executing "t\.tmpl" at <.+>: output is larger than the limit of 1000 characters$/,
  },
  {
    name: "a printed value beyond the bound stops the run",
    text: '{{$s := "0123456789"}}{{range .}}{{$s}}{{end}}',
    data: FORTY,
    opts: { maxOutput: 100 },
    limit: "output",
    message: /^template: t\.tmpl:1:\d+: executing "t\.tmpl" at <\{\{\$s\}\}>: output is larger than the limit of 100/,
  },
  {
    name: "a function whose result cannot be allocated fails with the action named",
    text: '{{$x := "ab"}}{{range .}}{{$x = print $x $x}}{{end}}',
    data: FORTY,
    opts: {},
    limit: "memory",
    message: /^template: t\.tmpl:1:\d+: executing "t\.tmpl" at <print \$x \$x>: error calling print: out of memory$/,
  },
  {
    name: "output that cannot be allocated, with no bound, fails with the action named",
    text: '{{$x := "ab"}}{{range .}}{{$x = print $x $x}}{{end}}{{range .}}{{$x}}{{end}}',
    data: fromJSON(Array(27).fill(0)),
    opts: { maxOutput: Infinity },
    limit: "memory",
    message:
      /^template: t\.tmpl:1:\d+: executing "t\.tmpl" at <\{\{\$x\}\}>: out of memory \(output so far: \d+ characters\)$/,
  },
];

describe("execution limits", () => {
  for (const c of cases) {
    for (const directCallDepth of [undefined, 0]) {
      const walker = directCallDepth === 0 ? "trampolined" : "direct";
      it(`${c.name} (${walker} walker)`, () => {
        const t = Template.parse("t.tmpl", c.text);
        const start = performance.now();
        const deadline = c.opts.deadlineMs === undefined ? undefined : start + c.opts.deadlineMs;
        assert.throws(
          () => t.execute(c.data ?? null, { deadline, maxOutput: c.opts.maxOutput, directCallDepth }),
          (err: unknown) => {
            assert.ok(err instanceof ExecLimitError, `not an ExecLimitError: ${err}`);
            assert.equal(err.limit, c.limit);
            assert.match(err.message, c.message);
            return true;
          },
        );
        // Stopped close to the deadline, not when the work ran out.
        if (c.opts.deadlineMs !== undefined) assert.ok(performance.now() - start < c.opts.deadlineMs + 1000);
      });
    }
  }

  it("a run within its limits is unaffected", () => {
    const t = Template.parse("t.tmpl", "{{range .}}ab{{end}}");
    const out = t.execute(FORTY, { deadline: performance.now() + 60_000, maxOutput: 80 });
    assert.equal(out, "ab".repeat(40));
  });
});
