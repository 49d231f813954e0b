// The parsed form of each template file, kept from one render to the next. The text is still
// read at every render, so an edited template takes effect at the next one (as in confd), but
// it is parsed again only when it differs from the text parsed last for that path.

import type { Template } from "../template/template.ts";
import type { FuncMap } from "../template/value.ts";

export class TemplateCache {
  /** The last successful parse of each path, with the exact text it came from. */
  readonly #entries = new Map<string, { text: string; template: Template }>();
  /** How many texts were parsed (cache misses); tests observe the cache through it. */
  parses = 0;

  /**
   * @param parse Parses the text of `src`. The function map it parses with must hold exactly the
   * names of every map later passed to get() (see Template.withFuncs); it should bind nothing
   * large, as a cached template keeps it.
   */
  constructor(private readonly parse: (src: string, text: string) => Template) {}

  /**
   * The template of `src`, whose text is `text`, executing with `funcs`. A parse that throws is
   * not kept: the next call with that text parses (and fails) again.
   */
  get(src: string, text: string, funcs: FuncMap): Template {
    let entry = this.#entries.get(src);
    if (entry === undefined || entry.text !== text) {
      this.parses++;
      entry = { text, template: this.parse(src, text) };
      this.#entries.set(src, entry);
    }
    return entry.template.withFuncs(funcs);
  }
}
