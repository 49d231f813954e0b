// The help page for `reconfd -h`: commands, then the confd flags grouped by
// purpose (confd prints one alphabetical list; groups read better), then how
// the settings sources combine.

import { GROUPS, SETTINGS } from "../config/settings.ts";

interface HelpRow {
  flag: string;
  usage: string;
}

function rows(title: string, items: readonly HelpRow[], width: number): string {
  return `${title}:\n${items.map((r) => `  ${r.flag.padEnd(width)}${r.usage}`).join("\n")}\n`;
}

/** The full help text, trailing newline included. */
export function helpText(): string {
  const sections: string[] = [
    `Usage:
  reconfd [flags]                      render templates like confd (default: interval mode)
  reconfd check [flags] [--kv FILE]    validate the config and every template resource
  reconfd render [options] TEMPLATE    render one template to stdout (TEMPLATE "-" reads stdin);
                                       see 'reconfd render -h'
  reconfd version                      print version, commit and runtime
`,
  ];
  const groups: [string, HelpRow[]][] = GROUPS.map((group) => {
    const items: HelpRow[] = SETTINGS.filter((s) => s.group === group).map((s) => ({
      flag: s.kind === "bool" ? `-${s.flag}` : `-${s.flag} ${s.arg ?? "value"}`,
      usage: s.usage,
    }));
    if (group === "Paths") {
      items.push({
        flag: "-config-file path",
        usage: 'confd.toml to read; a missing file is fine (default "/etc/confd/confd.toml")',
      });
    }
    return [group, items];
  });
  groups.push(["Other", [
    { flag: "-version", usage: "print version, commit and runtime, then exit" },
    { flag: "-h, -help", usage: "print this help, then exit" },
  ]]);
  // One column for all groups, so the page reads as one table.
  const width = Math.max(...groups.flatMap(([, items]) => items.map((r) => r.flag.length))) + 2;
  for (const [title, items] of groups) sections.push(rows(title, items, width));
  sections.push(`Flags take one or two dashes (-onetime, --onetime) and a value as -flag value or -flag=value;
booleans are -flag or -flag=false. -node and -file may be repeated. Parsing stops at the first
argument that is not a flag.

Settings combine as: defaults < confd.toml < CONFD_* environment variables < flags.
Each setting's variable is CONFD_ plus its confd.toml key in upper case, - as _ (CONFD_BACKEND,
CONFD_NODES=a,b, CONFD_LOG_LEVEL, CONFD_SYNC_ONLY, ...); CONFD_CONFIG_FILE names the file.
`);
  return sections.join("\n");
}
