// Exit codes, in one table (the CLI re-exports it). A supervised service's own
// exit code passes through unchanged: 128 + signal number when it was killed.

export const EXIT = {
  ok: 0,
  /** Runtime failure: config file error, failed resource, render error, bootstrap timeout. */
  failure: 1,
  /** Usage error: unknown flag, bad flag value. */
  usage: 2,
} as const;

/** The shell's convention for a process killed by signal number `n`. */
export function exitCodeForSignal(n: number): number {
  return 128 + n;
}
