// What a CLI command may touch of the outside world, passed in so commands are
// plain functions: `run(args, io) -> exit code`, testable without a process.

export interface CliIO {
  /** Writes to standard output (no newline added). */
  stdout(text: string): void;
  /** Writes to standard error (no newline added). */
  stderr(text: string): void;
  /** Reads all of standard input (for `reconfd render -`). */
  readStdin(): Promise<string>;
  /** The environment (CONFD_* variables, getenv). */
  env: Record<string, string | undefined>;
  /** argv[0] as invoked, for the log tag and usage header. */
  argv0: string;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Host name for log lines. Default "localhost". */
  hostname?: string;
  /** Process id for log lines. Default 0. */
  pid?: number;
  /** Clock for log lines. Default `() => new Date()`. */
  now?: () => Date;
}

export { EXIT } from "../runner/exit_codes.ts";
