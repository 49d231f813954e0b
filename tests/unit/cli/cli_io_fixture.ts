// A CliIO that records what a command printed, for the CLI tests.

import type { CliIO } from "../../../src/cli/io.ts";

export interface RecordedIO extends CliIO {
  out: string[];
  err: string[];
}

export function recordingIO(
  opts: { env?: Record<string, string>; stdin?: string; signal?: AbortSignal } = {},
): RecordedIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: () => Promise.resolve(opts.stdin ?? ""),
    env: opts.env ?? {},
    argv0: "reconfd",
    signal: opts.signal ?? new AbortController().signal,
    hostname: "testhost",
    pid: 42,
  };
}
