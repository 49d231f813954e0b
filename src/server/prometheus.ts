// A writer of Prometheus' text exposition format (version 0.0.4): one
// `# HELP` and `# TYPE` line per metric family, then its samples, label values
// escaped. Knows nothing about reconfd; metrics.ts says what to write.

/** The Content-Type of the text format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type Labels = Readonly<Record<string, string>>;

export type MetricType = "counter" | "gauge" | "histogram";

/** A label value with `\`, `"` and newlines escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text with `\` and newlines escaped. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value as Prometheus reads it (Go's float formatting for the special values). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function labelText(labels: Labels | undefined): string {
  if (labels === undefined) return "";
  const parts = Object.keys(labels).map((k) => `${k}="${escapeLabelValue(labels[k])}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Cumulative bucket counts with their sum and count (an observation lands in every bucket >= it). */
export class Histogram {
  readonly bounds: readonly number[];
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = bounds.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]) this.counts[i]++;
  }
}

/** Collects metric families and prints them in the order they were started. */
export class ExpositionWriter {
  readonly #lines: string[] = [];

  /** Starts a family: its HELP and TYPE lines. */
  family(name: string, type: MetricType, help: string): this {
    this.#lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, value: number, labels?: Labels): this {
    this.#lines.push(`${name}${labelText(labels)} ${formatValue(value)}`);
    return this;
  }

  /** The samples of one histogram series: _bucket (with le, +Inf last), _sum and _count. */
  histogram(name: string, h: Histogram, labels: Labels = {}): this {
    h.bounds.forEach((b, i) => this.sample(`${name}_bucket`, h.counts[i], { ...labels, le: formatValue(b) }));
    this.sample(`${name}_bucket`, h.count, { ...labels, le: "+Inf" });
    this.sample(`${name}_sum`, h.sum, labels);
    return this.sample(`${name}_count`, h.count, labels);
  }

  text(): string {
    return this.#lines.join("\n") + "\n";
  }
}
