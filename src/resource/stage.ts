// Stage files: the candidate content written next to its destination as
// `.<dest-basename><random digits>`, created with its final mode and owner
// before any byte is written, then flushed, so a secret is never readable by
// more users than `mode` allows and the later rename is atomic.
//
// The flush is fdatasync, not fsync: it writes the data and the metadata needed to read it back
// (size, block map), which is what a rename over dest must not outrun (the empty file after a
// crash). What it may leave unwritten, the timestamps, mode and owner, are metadata updates that
// a journaling file system (ext4, xfs) commits in the order they were made, so a rename that
// survives a crash brings the mode and owner set before it.
//
// Open, chown, write, chmod and close are synchronous: each costs less than the thread hop of
// its async form (the write lands in the page cache). The flush waits on the disk, so it runs
// off the main thread.

import { closeSync, constants, fchmodSync, fchownSync, fdatasync, openSync, unlinkSync, writeSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface StageOptions {
  /** Final permission bits (applied with fchmod, so the umask does not matter). */
  mode: number;
  /** Owner and group to apply with fchown; undefined leaves the creator's. */
  uid?: number;
  gid?: number;
}

/** Writing the stage file failed; dest is untouched and no stage file is left. */
export class StageError extends Error {
  readonly dest: string;
  readonly path: string;
  constructor(dest: string, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StageError";
    this.dest = dest;
    this.path = path;
  }
}

function randomDigits(): string {
  return String(crypto.getRandomValues(new Uint32Array(1))[0]);
}

/** Stage file path for `dest`: `<dir>/.<base><digits>` (confd's pattern). */
export function stagePathFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}${randomDigits()}`);
}

/** Creates and fills a stage file for `dest`; returns its path. */
export async function writeStageFile(dest: string, content: Uint8Array, opts: StageOptions): Promise<string> {
  let path = "";
  let fd: number | undefined;
  for (let attempt = 0; fd === undefined; attempt++) {
    path = stagePathFor(dest);
    try {
      // O_EXCL: never reuse (or follow a symlink planted at) an existing name.
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, opts.mode & 0o777);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && attempt < 10) continue;
      const why = code === "ENOENT" ? `directory ${dirname(dest)} does not exist` : (err as Error).message;
      throw new StageError(dest, path, `cannot create stage file for ${dest}: ${why}`, { cause: err });
    }
  }
  let open = true;
  try {
    // chown before chmod: chown clears setuid/setgid bits.
    if (opts.uid !== undefined || opts.gid !== undefined) {
      try {
        fchownSync(fd, opts.uid ?? -1, opts.gid ?? -1);
      } catch (err) {
        throw new Error(`cannot set owner ${opts.uid ?? -1}:${opts.gid ?? -1}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    // The permission bits were set at creation; the special bits come after the write, which clears
    // setuid/setgid of a file written by a non-root process.
    writeAll(fd, content);
    fchmodSync(fd, opts.mode);
    await datasync(fd);
    // A failed close still releases the descriptor: it must not be closed again.
    open = false;
    closeSync(fd);
  } catch (err) {
    if (open) closeQuietly(fd);
    try {
      unlinkSync(path);
    } catch {
      // The failure that led here is the one to report.
    }
    throw new StageError(dest, path, `cannot write stage file ${path} for ${dest}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return path;
}

/** Writes all of `bytes` at the file's offset, however many writes it takes. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** fdatasync(2) on a worker thread (both Bun and Deno run it there). */
function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The error that led here is the one to report.
  }
}

/** Removes a stage file, ignoring "already gone". */
export async function removeStageFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err;
  });
}
