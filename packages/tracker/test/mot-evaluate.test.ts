import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { evaluateMot, summarizeMot } from '../src/mot/mot-evaluate.js';
import { formatMotTable } from '../src/mot/mot-table.js';

const read = (...p: string[]) => readFileSync(sharedPath(...p), 'utf8');

// py-motmetrics' own expected values for the CEM tracker (shared/mot/README.md).
const EXPECTED = {
  'TUD-Campus': {
    idf1: 0.557659,
    idp: 0.72973,
    idr: 0.451253,
    recall: 0.582173,
    precision: 0.941441,
    gt: 8,
    mt: 1,
    pt: 6,
    ml: 1,
    fp: 13,
    fn: 150,
    idSwitches: 7,
    fragmentations: 7,
    mota: 0.526462,
    motp: 0.277201,
  },
  'TUD-Stadtmitte': {
    idf1: 0.644619,
    idp: 0.81976,
    idr: 0.531142,
    recall: 0.608997,
    precision: 0.93992,
    gt: 10,
    mt: 5,
    pt: 4,
    ml: 1,
    fp: 45,
    fn: 452,
    idSwitches: 7,
    fragmentations: 6,
    mota: 0.564014,
    motp: 0.345904,
  },
  both: {
    idf1: 0.624296,
    idp: 0.799176,
    idr: 0.512211,
    recall: 0.60264,
    precision: 0.940268,
    gt: 18,
    mt: 6,
    pt: 10,
    ml: 2,
    fp: 58,
    fn: 602,
    idSwitches: 14,
    fragmentations: 13,
    mota: 0.555116,
    motp: 0.330177,
  },
} as const;

function expectMetrics(actual: object, expected: Record<string, number>): void {
  const got = actual as Record<string, number>;
  for (const [key, value] of Object.entries(expected)) {
    expect(Math.abs(got[key]! - value), `${key}: ${got[key]} vs ${value}`).toBeLessThan(1e-3);
  }
}

describe('evaluateMot', () => {
  const campus = evaluateMot(
    read('mot', 'TUD-Campus', 'gt.txt'),
    read('mot', 'TUD-Campus', 'cem-tracker-result.txt'),
  );
  const stadtmitte = evaluateMot(
    read('mot', 'TUD-Stadtmitte', 'gt.txt'),
    read('mot', 'TUD-Stadtmitte', 'cem-tracker-result.txt'),
  );

  it('reproduces py-motmetrics on the CEM result for TUD-Campus', () => {
    expectMetrics(campus, EXPECTED['TUD-Campus']);
  });

  it('reproduces py-motmetrics on the CEM result for TUD-Stadtmitte', () => {
    expectMetrics(stadtmitte, EXPECTED['TUD-Stadtmitte']);
  });

  it('reproduces the summed two-sequence row', () => {
    expectMetrics(summarizeMot([campus, stadtmitte]), EXPECTED.both);
  });

  it('scores a perfect result as perfect and a shuffled-id result with switches', () => {
    const gt =
      '1,1,0,0,10,10,1,-1,-1,-1\n1,2,50,50,10,10,1,-1,-1,-1\n2,1,1,0,10,10,1,-1,-1,-1\n2,2,51,50,10,10,1,-1,-1,-1\n';
    const perfect = evaluateMot(gt, gt);
    expect([perfect.mota, perfect.idf1, perfect.motp, perfect.idSwitches]).toEqual([1, 1, 0, 0]);
    const swapped = '1,7,0,0,10,10\n1,8,50,50,10,10\n2,8,1,0,10,10\n2,7,51,50,10,10\n';
    const m = evaluateMot(gt, swapped);
    expect(m.idSwitches).toBe(2);
    expect(m.mota).toBeCloseTo(0.5, 12);
    expect(m.idf1).toBeCloseTo(0.5, 12);
  });

  it('prints a table with one row per sequence', () => {
    const table = formatMotTable([
      { name: 'TUD-Campus', metrics: campus },
      { name: 'TUD-Stadtmitte', metrics: stadtmitte },
    ]);
    expect(table).toMatch(/IDF1/);
    expect(table).toMatch(/TUD-Campus\s+55\.8%/);
    expect(table.split('\n').filter((l) => l.trim() !== '')).toHaveLength(3);
  });

  it('names the file and line of a malformed row', () => {
    expect(() => evaluateMot('1,1,0,0,10,10\nnot,a,row\n', '')).toThrow(/ground truth:2/);
  });
});
