// The unified diff -noop -diff prints: what installing the rendering would change.

import { createTwoFilesPatch } from "diff";

const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const CYAN = "\x1b[36m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/** A unified diff from `current` (dest, "" when missing) to `next`; colored for a terminal when `color`. */
export function unifiedDiff(dest: string, current: string, next: string, color: boolean): string {
  const patch = createTwoFilesPatch(dest, dest, current, next, "current", "rendered");
  // Drop the "Index:"/"====" preamble: a plain `diff -u` header reads better.
  const lines = patch.replace(/\n$/, "").split("\n").filter((l) => !l.startsWith("Index: ") && !/^=+$/.test(l));
  if (!color) return lines.join("\n");
  return lines
    .map((l) => {
      if (l.startsWith("---") || l.startsWith("+++")) return BOLD + l + RESET;
      if (l.startsWith("@@")) return CYAN + l + RESET;
      if (l.startsWith("+")) return GREEN + l + RESET;
      if (l.startsWith("-")) return RED + l + RESET;
      return l;
    })
    .join("\n");
}
