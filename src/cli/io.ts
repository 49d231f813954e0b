// What a CLI command may touch of the outside world, passed in so commands are
// plain functions: `run(args, io) -> exit code`, testable without a process.

import type { Libc } from "../runtime/libc.ts";

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
  /**
   * Subscribes to a process signal other than SIGINT/SIGTERM (those abort `signal`); returns the
   * unsubscribe. Forwards SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH to the supervised service and hears
   * SIGCHLD for reaping; SIGHUP is left for reloading the configuration. Default: none.
   */
  onSignal?: (name: NodeJS.Signals, handler: () => void) => () => void;
  /** libc through the runtime's FFI (waitpid for reaping orphans as PID 1). Default: none (no reaping). */
  loadLibc?: () => Promise<Libc | undefined>;
}

export { EXIT } from "../runner/exit_codes.ts";
