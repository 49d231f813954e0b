// Calls a function of confd's FuncMap by name, as the template engine would after converting arguments.

import type { FuncMap, Value } from "../../../../src/template/value.ts";

export function call(funcs: FuncMap, name: string, ...args: Value[]): Value {
  const f = funcs.get(name);
  if (f === undefined) throw new Error(`no function ${name}`);
  return f.impl(...args);
}
