/** Small HTML helpers for self-contained reports: escaping and tables. */
import type { ReportTable } from './table.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The table as a real `<table>`, its cells escaped, numbers right-aligned like the terminal's. */
export function htmlTable(table: ReportTable, id: string): string {
  const cls = (i: number): string => (table.columns[i]?.align === 'left' ? '' : ' class="num"');
  const cells = (tag: 'th' | 'td', row: readonly string[]): string => `<tr>${row.map((cell, i) => `<${tag}${cls(i)}>${escapeHtml(cell)}</${tag}>`).join('')}</tr>`;
  const parts = [
    `<table id="${escapeHtml(id)}">`,
    `<caption>${escapeHtml(table.title)}</caption>`,
    `<thead>${cells('th', table.columns.map((c) => c.header))}</thead>`,
    `<tbody>\n${table.rows.map((r) => cells('td', r)).join('\n')}\n</tbody>`,
  ];
  if (table.footer.length > 0) parts.push(`<tfoot>${table.footer.map((r) => cells('td', r)).join('\n')}</tfoot>`);
  parts.push('</table>');
  const notes = table.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  return parts.join('\n') + (notes ? `\n${notes}` : '');
}
