// The file backend: YAML, JSON or TOML files (or directories of them, searched
// recursively with a name filter), flattened into key/value pairs as confd does.
// Changes are seen through file system events on the containing directories, so
// an editor's save by rename-over-file is noticed too.

import { type FSWatcher, watch as fsWatch } from "node:fs";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DataFileError, flattenDataFile } from "../kv/data_file.ts";
import { match } from "../kv/go_path.ts";
import { type Backend, BackendError, keyUnder, type WatchIndex } from "./backend.ts";

/** A burst of events is cut after this many quiet times (debounceMs) since its first event. */
const MAX_DEBOUNCE_FACTOR = 10;

export interface FileBackendOptions {
  /** Files or directories given with -file (at least one). */
  paths: readonly string[];
  /** Go path.Match glob applied to file names inside directories. Default "*". */
  filter?: string;
  /** Quiet time after the last file system event before waking watchers, in ms. Default 100. */
  debounceMs?: number;
}

export class FileBackend implements Backend {
  readonly name = "file";
  readonly sources: readonly string[];
  readonly #filter: string;
  readonly #debounceMs: number;
  /** Bumped (after the debounce) on every relevant file system event. */
  #index: WatchIndex = 1;
  #watchers = new Map<string, FSWatcher>();
  #waiters = new Set<() => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the first event of the current burst arrived (ms), undefined when quiet. */
  #burstStart: number | undefined;

  constructor(opts: FileBackendOptions) {
    if (opts.paths.length === 0) throw new BackendError("file", "the file backend needs at least one -file");
    this.sources = [...opts.paths];
    this.#filter = opts.filter ?? "*";
    this.#debounceMs = opts.debounceMs ?? 100;
  }

  async getValues(keys: readonly string[]): Promise<Map<string, string>> {
    const all = new Map<string, string>();
    for (const path of await this.#dataFiles()) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (err) {
        throw new BackendError("file", `cannot read ${path}: ${(err as Error).message}`, { cause: err });
      }
      // Later files override earlier ones, as in confd (one shared map). src/kv/data_file.ts reads
      // .toml as TOML and every other file as YAML (JSON included), as confd's yaml.v2 reads it.
      try {
        flattenDataFile(path, bytes, all);
      } catch (err) {
        if (!(err instanceof DataFileError)) throw err;
        throw new BackendError("file", `cannot parse ${err.message}`, { cause: err });
      }
    }
    const out = new Map<string, string>();
    for (const [k, v] of all) if (keys.some((want) => keyUnder(k, want))) out.set(k, v);
    return out;
  }

  async watch(_keys: readonly string[], since: WatchIndex, signal: AbortSignal): Promise<WatchIndex> {
    if (signal.aborted) throw signal.reason;
    await this.#ensureWatching();
    if (signal.aborted) throw signal.reason;
    if (since < this.#index) return this.#index;
    return await new Promise<WatchIndex>((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener("abort", onAbort);
        this.#waiters.delete(wake);
        resolve(this.#index);
      };
      const onAbort = () => {
        this.#waiters.delete(wake);
        reject(signal.reason);
      };
      this.#waiters.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  close(): Promise<void> {
    clearTimeout(this.#timer);
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
    for (const wake of [...this.#waiters]) wake();
    return Promise.resolve();
  }

  /** The data files: each -file that is a file, and matching files under each -file directory (sorted). */
  async #dataFiles(): Promise<string[]> {
    const files: string[] = [];
    for (const path of this.sources) {
      let isDir: boolean;
      try {
        isDir = (await stat(path)).isDirectory();
      } catch (err) {
        throw new BackendError("file", `cannot read ${path}: ${(err as Error).message}`, { cause: err });
      }
      if (!isDir) files.push(path);
      else await this.#walk(path, (file) => files.push(file), () => {});
    }
    return files;
  }

  /** Walks `dir` depth-first in lexical order, reporting matching files and every directory. */
  async #walk(dir: string, onFile: (path: string) => void, onDir: (path: string) => void): Promise<void> {
    onDir(dir);
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await this.#walk(path, onFile, onDir);
      else if (!this.#matches(e.name)) continue;
      // A symlinked directory is neither descended nor read (a Kubernetes ConfigMap's `..data`).
      else if (!e.isSymbolicLink() || !(await stat(path).then((t) => t.isDirectory(), () => false))) onFile(path);
    }
  }

  #matches(name: string): boolean {
    try {
      return match(this.#filter, name);
    } catch {
      throw new BackendError("file", `invalid -filter pattern ${JSON.stringify(this.#filter)}`);
    }
  }

  /**
   * Watches the directory holding each -file file (events filtered by its name) and every directory
   * under each -file directory. Called again after each change, so new subdirectories are covered.
   */
  async #ensureWatching(): Promise<void> {
    const wanted = new Map<string, (name: string) => boolean>();
    /** Adds `dir` to the watch list, relevant for events on `name` (undefined: any event). */
    const watchFile = (dir: string, name: string | undefined) => {
      const prev = wanted.get(dir);
      wanted.set(dir, (n) => name === undefined || n === name || (prev?.(n) ?? false));
    };
    for (const path of this.sources) {
      let isDir = false;
      try {
        isDir = (await stat(path)).isDirectory();
      } catch {
        // A missing file may appear later: watch its directory for its name.
      }
      if (isDir) {
        await this.#walk(path, () => {}, (d) => wanted.set(d, () => true)).catch(() => {});
      } else {
        // A symlinked file changes without an event for its own name: a Kubernetes ConfigMap swaps
        // the `..data` link beside it, and a target elsewhere is edited in its own directory. So any
        // event beside the link counts, and the target's directory is watched too.
        const link = await lstat(path).then((info) => info.isSymbolicLink(), () => false);
        watchFile(dirname(path), link ? undefined : basename(path));
        const real = link ? await realpath(path).catch(() => undefined) : undefined;
        if (real !== undefined) watchFile(dirname(real), basename(real));
      }
    }
    for (const [dir, w] of this.#watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.#watchers.delete(dir);
      }
    }
    for (const [dir, relevant] of wanted) {
      if (this.#watchers.has(dir)) continue;
      try {
        const w = fsWatch(dir, (_event, name) => {
          if (name === null || relevant(String(name))) this.#changed();
        });
        w.on("error", () => {
          w.close();
          this.#watchers.delete(dir);
          this.#changed();
        });
        this.#watchers.set(dir, w);
      } catch {
        // The directory vanished between the walk and the watch; the next change re-scans.
      }
    }
  }

  /**
   * Debounces a burst of events (an editor save is several) into one index bump. The wait is bounded
   * (MAX_DEBOUNCE_FACTOR times the quiet time after the burst's first event), so a file that keeps
   * changing, or a busy directory beside a symlinked -file, cannot hold renders back forever.
   */
  #changed(): void {
    const now = Date.now();
    this.#burstStart ??= now;
    const deadline = this.#burstStart + this.#debounceMs * MAX_DEBOUNCE_FACTOR;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#burstStart = undefined;
      this.#index++;
      this.#ensureWatching().catch(() => {}).finally(() => {
        for (const wake of [...this.#waiters]) wake();
      });
    }, Math.max(0, Math.min(this.#debounceMs, deadline - now)));
  }
}
