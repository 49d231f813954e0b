// Loads go_oracle.json: the results Go 1.19 gave for the cases in go_oracle.go.

import { readFileSync } from "node:fs";

type Row = (string | number | boolean | string[] | null)[];

const data = JSON.parse(readFileSync(new URL("./go_oracle.json", import.meta.url), "utf8")) as Record<
  string,
  Row[]
>;

/** The rows of one section, in the order go_oracle.go produced them. */
export function oracle(section: string): Row[] {
  const rows = data[section];
  if (rows === undefined) throw new Error(`go_oracle.json has no section ${section}`);
  return rows;
}
