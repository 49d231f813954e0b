// Skipping a test says why, where the summary can see it: `skipUnless(cond, why)`
// returns the value for node:test's `skip` option and, when the test is skipped,
// appends the reason to $RECONFD_SKIP_LOG, which scripts/test prints (with the
// count) before its closing line. A skip is never silent.

import { appendFileSync } from "node:fs";
import process from "node:process";

/** `false` when `ok`, else `why` (also recorded for the summary). */
export function skipUnless(ok: boolean, why: string): false | string {
  if (ok) return false;
  const log = process.env.RECONFD_SKIP_LOG;
  if (log) {
    try {
      appendFileSync(log, `${why}\n`);
    } catch {
      // The summary loses a line; the test is still skipped with its reason.
    }
  }
  return why;
}

/** True when the tests run as root (chown, mount, chroot, unshare need it). */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
