// Finds the line of each top-level key in a TOML text. smol-toml does not
// report key positions, and an error that says "confd.toml:7: unknown key"
// is worth a small scanner. Only what confd.toml uses matters: top-level keys
// and table headers; multi-line strings are skipped so their content is not
// mistaken for keys.

const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const KEY_LINE = new RegExp(String.raw`^\s*(${KEY_PART}(?:\s*\.\s*${KEY_PART})*)\s*=`);
const TABLE_LINE = new RegExp(String.raw`^\s*\[\[?\s*(${KEY_PART})`);
const FIRST_PART = new RegExp(`^${KEY_PART}`);

function unquote(part: string): string {
  if (part.startsWith('"')) {
    try {
      return JSON.parse(part) as string;
    } catch {
      return part.slice(1, -1);
    }
  }
  if (part.startsWith("'")) return part.slice(1, -1);
  return part;
}

/** Whether a line opens or closes a multi-line string (odd count of the delimiter). */
function togglesMultiline(line: string, delim: string): boolean {
  return line.split(delim).length % 2 === 0;
}

/**
 * Maps each top-level key (first dotted part, as written) and each table
 * header name to the 1-based line where it first appears.
 */
export function topLevelKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let inTable = false;
  let openDelim = "";
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNo = index + 1;
    if (openDelim) {
      if (togglesMultiline(line, openDelim)) openDelim = "";
      return;
    }
    const table = TABLE_LINE.exec(line);
    if (table) {
      inTable = true;
      const name = unquote(table[1]);
      if (!lines.has(name)) lines.set(name, lineNo);
      return;
    }
    const key = KEY_LINE.exec(line);
    if (key && !inTable) {
      const first = unquote(FIRST_PART.exec(key[1])?.[0] ?? key[1]);
      if (!lines.has(first)) lines.set(first, lineNo);
    }
    for (const delim of ['"""', "'''"]) {
      if (togglesMultiline(line, delim)) {
        openDelim = delim;
        break;
      }
    }
  });
  return lines;
}
