/**
 * @module
 * Benchmark rows shared by every benchmark script: one measured number with
 * its unit and, when the issue sets one, its target and whether it was met.
 */

/** One measured number. */
export interface BenchRow {
  /** What was measured. */
  name: string;
  /** The measurement. */
  value: number;
  /** Its unit: "ms", "MB/s", "req/s", "x", ... */
  unit: string;
  /** The goal, e.g. "< 20" or ">= 100", when there is one. */
  target?: string;
  /** Whether the goal is met (absent when there is no goal). */
  ok?: boolean;
}

/**
 * Build a row, checking the target.
 *
 * @param name what was measured
 * @param value the number
 * @param unit its unit
 * @param target "< N", "<= N", "> N" or ">= N"
 * @returns the row
 */
export function row(name: string, value: number, unit: string, target?: string): BenchRow {
  const r: BenchRow = { name, value: Math.round(value * 100) / 100, unit };
  if (target !== undefined) {
    const [op, limit] = target.split(" ") as [string, string];
    const l = Number(limit);
    r.target = target;
    r.ok = op === "<" ? value < l : op === "<=" ? value <= l : op === ">" ? value > l : value >= l;
  }
  return r;
}

/**
 * Format rows as an aligned text table.
 *
 * @param rows the rows
 * @returns the table
 */
export function formatRows(rows: BenchRow[]): string {
  const width = Math.max(...rows.map((r) => r.name.length));
  return rows.map((r) => {
    const value = Math.abs(r.value) >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
    const goal = r.target ? `  (target ${r.target}: ${r.ok ? "met" : "MISSED"})` : "";
    return `${r.name.padEnd(width)}  ${value.padStart(9)} ${r.unit}${goal}`;
  }).join("\n");
}

/**
 * Median of numbers.
 *
 * @param xs values (at least one)
 * @returns the median
 */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
