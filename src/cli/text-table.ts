/** Plain-text tables for terminal output: the first column left-aligned, the rest right-aligned. */

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n') + '\n';
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
