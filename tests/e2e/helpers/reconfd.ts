// Test helpers for the end-to-end suites: build-or-find the compiled binary,
// lay out a confdir in a temp directory, run the binary once or as a daemon.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";

const root = new URL("../../../", import.meta.url).pathname;
export const BINARY = process.env.RECONFD_BIN ?? join(root, "dist", "reconfd");

/** Makes sure the binary exists: scripts/build normally made it; a bare test run builds it the same way. */
export function ensureBinary(): string {
  if (!existsSync(BINARY)) {
    const r = spawnSync("bash", [join(root, "scripts", "build")], { cwd: root, encoding: "utf8" });
    if (r.status !== 0 || !existsSync(BINARY)) {
      throw new Error(`cannot build ${BINARY} with scripts/build: ${r.stderr}`);
    }
  }
  return BINARY;
}

export interface ResourceSpec {
  /** conf.d file name. Default "<name>.toml" */
  name: string;
  /** Full TOML text of the resource. */
  toml: string;
  /** Template file name (under templates/) and text, when the resource needs one. */
  tmplName?: string;
  tmpl?: string;
}

/** A temp directory holding confdir/{conf.d,templates} and anything else a test writes. */
export class Sandbox {
  readonly dir: string;
  readonly confdir: string;
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "reconfd-e2e-"));
    this.confdir = join(this.dir, "confdir");
    mkdirSync(join(this.confdir, "conf.d"), { recursive: true });
    mkdirSync(join(this.confdir, "templates"), { recursive: true });
  }
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }
  write(rel: string, text: string): string {
    const p = this.path(rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  }
  resource(spec: ResourceSpec): void {
    writeFileSync(join(this.confdir, "conf.d", spec.name), spec.toml);
    if (spec.tmplName !== undefined) writeFileSync(join(this.confdir, "templates", spec.tmplName), spec.tmpl ?? "");
  }
  /** Hidden stage files (`.<name><digits>`) left in `dir`. */
  stageFiles(dir = this.dir): string[] {
    return readdirSync(dir).filter((f) => /^\..+\d+$/.test(f));
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", CONFD_CONFIG_FILE: "/nonexistent/confd.toml", ...extra };
}

/** Runs the binary to completion. */
export function runReconfd(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ensureBinary(), args, { cwd: opts.cwd, env: env(opts.env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => (stdout += b));
    child.stderr.on("data", (b) => (stderr += b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A running daemon whose stderr can be waited on. */
export class Daemon {
  readonly child: ChildProcess;
  stderr = "";
  readonly exited: Promise<number | null>;
  constructor(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
    this.child = spawn(ensureBinary(), args, { cwd: opts.cwd, env: env(opts.env), stdio: ["ignore", "pipe", "pipe"] });
    this.child.stderr?.on("data", (b) => (this.stderr += b));
    this.child.stdout?.resume();
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code)));
  }
  /** Resolves once `re` matches the log (polling), or throws after `ms`. */
  async waitForLog(re: RegExp, ms = 10_000): Promise<void> {
    await waitFor(() => re.test(this.stderr), ms, () => `log never matched ${re}:\n${this.stderr}`);
  }
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    // process.kill, not child.kill: Deno reports a child signalled through child.kill as killed
    // by that signal even when it handled it and exited 0.
    if (this.child.pid !== undefined) process.kill(this.child.pid, signal);
    return await this.exited;
  }
}

/** Polls `cond` every 20 ms until true, or throws `why()` after `ms`. */
export async function waitFor(cond: () => boolean, ms = 10_000, why: () => string = () => "timed out"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(why());
    await new Promise((r) => setTimeout(r, 20));
  }
}
