// Compares a candidate (content, mode, owner) with the destination file the way
// confd does (uid, gid, mode, md5, following symlinks) and says what differs.
// Synchronous: dest is a local file, usually in the page cache, where a stat or a
// read costs less than the thread hop of its async form.

import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { fileModeString } from "./file_mode.ts";

export interface Candidate {
  content: Uint8Array;
  /** Wanted permission bits; undefined keeps dest's current mode (0644 for a new file), as confd. */
  mode: number | undefined;
  uid: number;
  gid: number;
}

export interface Comparison {
  /** The mode the installed file must have (resolved from Candidate.mode). */
  mode: number;
  /** True when dest is missing or any of uid, gid, mode, content differ. */
  changed: boolean;
  /** confd's INFO lines, one per difference (`<dest> has mode -rw------- should be -rw-r--r--`). */
  differences: string[];
  /** The current content of dest (for -diff), "" when missing or unreadable. */
  current: Uint8Array;
  /** Set when dest exists but could not be read: treated as changed. */
  error?: Error;
}

/** Mode of a new file when the resource sets none. */
export const DEFAULT_MODE = 0o644;

export function md5(data: Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}

export function compareWithDest(dest: string, cand: Candidate): Comparison {
  let info;
  try {
    info = statSync(dest);
  } catch (err) {
    const mode = cand.mode ?? DEFAULT_MODE;
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      return { mode, changed: true, differences: [], current: new Uint8Array() };
    }
    return { mode, changed: true, differences: [], current: new Uint8Array(), error: err as Error };
  }
  const have = info.mode & 0o7777;
  const want = cand.mode ?? have;
  let current: Uint8Array;
  try {
    current = readFileSync(dest);
  } catch (err) {
    return { mode: want, changed: true, differences: [], current: new Uint8Array(), error: err as Error };
  }
  const differences: string[] = [];
  if (info.uid !== cand.uid) differences.push(`${dest} has UID ${info.uid} should be ${cand.uid}`);
  if (info.gid !== cand.gid) differences.push(`${dest} has GID ${info.gid} should be ${cand.gid}`);
  if (have !== want) differences.push(`${dest} has mode ${fileModeString(have)} should be ${fileModeString(want)}`);
  const sumHave = md5(current);
  const sumWant = md5(cand.content);
  if (sumHave !== sumWant) differences.push(`${dest} has md5sum ${sumHave} should be ${sumWant}`);
  return { mode: want, changed: differences.length > 0, differences, current };
}
