import type { BenchReport } from '../../testing/bench-types.js';

type Row = Readonly<Record<string, string | number>>;

/** Column names in first-seen order across all rows. */
function columnsOf(rows: ReadonlyArray<Row>): string[] {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

/** A Markdown table (also readable as plain text in a terminal). */
export function markdownTable(rows: ReadonlyArray<Row>): string {
  if (rows.length === 0) return '_no rows_';
  const columns = columnsOf(rows);
  const cells = rows.map((row) => columns.map((c) => String(row[c] ?? '').replaceAll('|', '\\|')));
  const widths = columns.map((c, i) => Math.max(c.length, 3, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** One section: title, table, notes. */
export function renderSection(report: BenchReport, level = '##'): string {
  const parts = [`${level} ${report.name}`, '', markdownTable(report.rows)];
  if (report.notes) parts.push('', report.notes);
  return parts.join('\n');
}
