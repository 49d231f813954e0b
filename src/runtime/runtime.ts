// The one module that knows which JavaScript runtime it runs on (Bun, a
// compiled Bun binary, or Deno). Everything else uses web standards and node:
// built-ins; what differs between runtimes (the name and version to report,
// where the user's arguments start, how the program was invoked, signal
// subscription, libc through FFI) lives here.

import { writeSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import process from "node:process";
import { buffer } from "node:stream/consumers";
import { decodeGoBytes, encodeGoBytes } from "../template/go_bytes.ts";
import type { Libc } from "./libc.ts";

interface BunGlobal {
  version: string;
}
interface DenoGlobal {
  version: { deno: string };
  args: string[];
  addSignalListener(name: string, handler: () => void): void;
  removeSignalListener(name: string, handler: () => void): void;
}

const bun = (globalThis as { Bun?: BunGlobal }).Bun;
const deno = (globalThis as { Deno?: DenoGlobal }).Deno;

/** `bun 1.4.5` or `deno 2.9.6` (or `node v22...` elsewhere). */
export function runtimeDescription(): string {
  if (bun) return `bun ${bun.version}`;
  if (deno) return `deno ${deno.version.deno}`;
  return `node ${process.version}`;
}

/** True inside a `bun build --compile` binary, whose modules live under /$bunfs/. */
export function isCompiledBinary(): boolean {
  return bun !== undefined && import.meta.url.includes("$bunfs");
}

/**
 * What to give `new Worker()` for the module at `url`, which is `fromRoot` from the project root.
 * A compiled binary bundles every module into one whose URL is the binary's, so a URL relative
 * to import.meta.url misses there; the worker, built as an extra entry point (scripts/build),
 * sits at its project path under /$bunfs/root/.
 */
export function workerEntry(url: URL, fromRoot: string): URL | string {
  return isCompiledBinary() ? `/$bunfs/root/${fromRoot}` : url;
}

/** The user's arguments (after the program or script name). */
export function userArgs(): string[] {
  if (deno) return [...deno.args];
  return process.argv.slice(2);
}

/**
 * The name the program was invoked by: argv[0] for the compiled binary (what
 * the user typed: `reconfd`, `./dist/reconfd`, a symlink), "reconfd" when
 * running the source through bun or deno (argv[0] is then the runtime).
 */
export function invokedName(): string {
  return isCompiledBinary() && process.argv0 ? process.argv0 : "reconfd";
}

/** A copy of the environment variables. */
export function environment(): Record<string, string | undefined> {
  return { ...process.env };
}

export function hostname(): string {
  return osHostname();
}

export function pid(): number {
  return process.pid;
}

/** Reads standard input to the end as UTF-8. */
export async function readStdin(): Promise<string> {
  return decodeGoBytes(await buffer(process.stdin));
}

/**
 * An AbortSignal aborted on the first SIGINT or SIGTERM; its reason is
 * "interrupt" or "terminated" (the words confd logs: "Captured interrupt.").
 * The first signal lets the running resource finish; a second one calls
 * `onRepeat` (main.ts exits), so a hung check or reload command cannot keep
 * the process from stopping.
 */
export function terminationSignal(onRepeat: (reason: string) => void): AbortSignal {
  const controller = new AbortController();
  const on = (name: "SIGINT" | "SIGTERM", reason: string) => {
    process.on(name, () => {
      if (controller.signal.aborted) onRepeat(reason);
      else controller.abort(reason);
    });
  };
  on("SIGINT", "interrupt");
  on("SIGTERM", "terminated");
  return controller.signal;
}

/**
 * Subscribes `handler` to the process signal `name` (SIGUSR1, SIGCHLD, ...); returns the unsubscribe.
 * While subscribed, the signal no longer has its default action (ending the process).
 */
export function onSignal(name: NodeJS.Signals, handler: () => void): () => void {
  if (deno) {
    // Deno's node:process treats a SIGUSR1 listener as Node does (it opens the inspector): use its own API.
    const listener = () => handler();
    deno.addSignalListener(name, listener);
    return () => deno.removeSignalListener(name, listener);
  }
  process.on(name, handler);
  return () => process.off(name, handler);
}

/** libc's waitpid and prctl through the runtime's FFI (loaded on first use); undefined without FFI. */
export async function loadLibc(): Promise<Libc | undefined> {
  const { openLibc } = await import("./libc.ts");
  return await openLibc();
}

/**
 * Writes synchronously to a file descriptor (1 or 2), so output written just
 * before exit() is never lost, even when piped.
 */
export function writeFd(fd: 1 | 2, text: string): void {
  // Go's bytes: a rendering may hold bytes that are not UTF-8 (see go_bytes.ts).
  let bytes = encodeGoBytes(text);
  while (bytes.length > 0) {
    const written = writeSync(fd, bytes);
    bytes = bytes.subarray(written);
  }
}

/** Ends the process with `code` (only main.ts calls it). */
export function exit(code: number): never {
  process.exit(code);
}
