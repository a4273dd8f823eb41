/**
 * A report table as cells already formatted, so the terminal and the HTML report print
 * the very same numbers: one function makes the cells, two render them.
 */

export interface TableColumn {
  header: string;
  /** Numbers right, names left, as a reader scans them. */
  align: 'left' | 'right';
}

export interface ReportTable {
  title: string;
  columns: TableColumn[];
  rows: string[][];
  /** Summary rows (totals) set apart below the body. */
  footer: string[][];
  /** Sentences shown under the table. */
  notes: string[];
}

/** The table as monospace text: title, header, a rule, rows, footer, notes; no colors. */
export function formatTextTable(table: ReportTable): string {
  const lines = [table.columns.map((c) => c.header), ...table.rows, ...table.footer];
  const widths = table.columns.map((_, i) => Math.max(...lines.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    table.columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        return c.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [table.title, line(table.columns.map((c) => c.header)), rule, ...table.rows.map(line)];
  if (table.footer.length > 0) out.push(...(table.rows.length > 0 ? [rule] : []), ...table.footer.map(line));
  out.push(...table.notes);
  return out.join('\n') + '\n';
}
