// Which paths may be pasted unquoted into a `/bin/sh -c` command: confd set-ups write
// `nginx -t -c {{.src}}` (and many `"{{.src}}"`), so instead of quoting, a path holding a
// character the shell would interpret is refused.

/** Letters, digits and the punctuation a shell word may hold without meaning anything. */
const PLAIN = /[\p{L}\p{N}_./,:@%+-]/u;

/** The distinct characters of `path` the shell would interpret (space, `;`, `$`, quotes, ...), in order. */
export function shellSpecialChars(path: string): string[] {
  const bad = new Set<string>();
  for (const ch of path) if (!PLAIN.test(ch)) bad.add(ch);
  return [...bad];
}
