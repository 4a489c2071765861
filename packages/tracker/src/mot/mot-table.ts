import type { MotMetrics } from './mot-evaluate.js';

const COLUMNS: ReadonlyArray<readonly [title: string, cell: (m: MotMetrics) => string]> = [
  ['IDF1', (m) => pct(m.idf1)],
  ['IDP', (m) => pct(m.idp)],
  ['IDR', (m) => pct(m.idr)],
  ['Rcll', (m) => pct(m.recall)],
  ['Prcn', (m) => pct(m.precision)],
  ['GT', (m) => `${m.gt}`],
  ['MT', (m) => `${m.mt}`],
  ['PT', (m) => `${m.pt}`],
  ['ML', (m) => `${m.ml}`],
  ['FP', (m) => `${m.fp}`],
  ['FN', (m) => `${m.fn}`],
  ['IDs', (m) => `${m.idSwitches}`],
  ['FM', (m) => `${m.fragmentations}`],
  ['MOTA', (m) => pct(m.mota)],
  ['MOTP', (m) => m.motp.toFixed(3)],
];

/**
 * Renders metrics the way py-motmetrics' `render_summary` with MOTChallenge names does: one row
 * per sequence, percentages to one decimal, MOTP as mean distance (1 − IoU).
 */
export function formatMotTable(
  rows: ReadonlyArray<{ readonly name: string; readonly metrics: MotMetrics }>,
): string {
  const cells = [
    ['', ...COLUMNS.map(([title]) => title)],
    ...rows.map(({ name, metrics }) => [name, ...COLUMNS.map(([, cell]) => cell(metrics))]),
  ];
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  return `${cells.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' ')).join('\n')}\n`;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
