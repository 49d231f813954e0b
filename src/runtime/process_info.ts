// The process itself, for the modules outside src/runtime/: who we run as,
// where, signalling other processes, hooks at exit, whether stdout is a
// terminal. Kept here so only src/runtime/ touches the `process` object.

import process from "node:process";

/** The effective uid; 0 where the platform has none. */
export function effectiveUid(): number {
  return process.geteuid?.() ?? 0;
}

/** The effective gid; 0 where the platform has none. */
export function effectiveGid(): number {
  return process.getegid?.() ?? 0;
}

/** The working directory. */
export function workingDirectory(): string {
  return process.cwd();
}

/** Sends `signal` to a process (pid > 0) or a process group (pid < 0); throws as process.kill does. */
export function sendSignal(pid: number, signal: NodeJS.Signals | number): void {
  process.kill(pid, signal);
}

/** Runs `fn` synchronously when the process exits (only sync work is possible there). */
export function onProcessExit(fn: () => void): void {
  process.on("exit", fn);
}

/** True when standard output is a terminal. */
export function stdoutIsTerminal(): boolean {
  return process.stdout.isTTY === true;
}

/** The live environment (not a copy: what a child started now would inherit). */
export function liveEnvironment(): Record<string, string | undefined> {
  return process.env;
}
