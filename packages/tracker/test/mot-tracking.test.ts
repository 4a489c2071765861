import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import type { MotMetrics } from '../src/mot/mot-evaluate.js';
import { evaluateMot } from '../src/mot/mot-evaluate.js';
import { formatMot, parseMot } from '../src/mot/mot-format.js';
import type { MotTrackingOptions } from '../src/mot/mot-tracking.js';
import { runMotTracking } from '../src/mot/mot-tracking.js';

const TUD_FPS = 25;

function score(seq: string, options: MotTrackingOptions): MotMetrics {
  const det = readFileSync(sharedPath('mot', 'det', seq, 'det.txt'), 'utf8');
  const gt = readFileSync(sharedPath('mot', seq, 'gt.txt'), 'utf8');
  return evaluateMot(gt, runMotTracking(det, { fps: TUD_FPS, ...options }));
}

describe('MOT15 tracking with the public Faster R-CNN detections', () => {
  it('SORT preset reproduces the published TUD-Campus result (MOTA 62.7 ± 2)', () => {
    const m = score('TUD-Campus', { tracker: 'sort' });
    expect(Math.abs(m.mota * 100 - 62.7)).toBeLessThanOrEqual(2);
    // SORT README: Rcll 68.5, Prcn 94.3, FP 15, FN 113, IDs 6.
    expect(Math.abs(m.recall * 100 - 68.5)).toBeLessThanOrEqual(2);
    expect(Math.abs(m.precision * 100 - 94.3)).toBeLessThanOrEqual(2);
  });

  for (const seq of ['TUD-Campus', 'TUD-Stadtmitte']) {
    it(`ByteTrack (reference defaults, rxvision's reporting) scores at least SORT's MOTA and IDF1 on ${seq}`, () => {
      const sort = score(seq, { tracker: 'sort' });
      const byte = score(seq, { tracker: 'bytetrack' });
      expect(byte.mota).toBeGreaterThanOrEqual(sort.mota);
      expect(byte.idf1).toBeGreaterThanOrEqual(sort.idf1);
    });

    it(`ByteTrack's reference output (filter box, scores as given) still identifies better than SORT on ${seq}`, () => {
      const sort = score(seq, { tracker: 'sort' });
      const reference = score(seq, { tracker: 'bytetrack', box: 'filter', normalizeScores: false });
      expect(reference.idf1).toBeGreaterThanOrEqual(sort.idf1 - 0.03);
      // The reporting choices only change which boxes are written, never which tracks exist.
      expect(reference.gt).toBe(sort.gt);
    });
  }

  it('the box choice changes the written boxes, not the tracks', () => {
    const det = readFileSync(sharedPath('mot', 'det', 'TUD-Campus', 'det.txt'), 'utf8');
    const byDetection = parseMot(runMotTracking(det, { tracker: 'bytetrack', box: 'detection' }));
    const byFilter = parseMot(runMotTracking(det, { tracker: 'bytetrack', box: 'filter' }));
    expect(byDetection.map((r) => [r.frame, r.id])).toEqual(byFilter.map((r) => [r.frame, r.id]));
    const detBoxes = new Set(parseMot(det).map((r) => `${r.frame}:${r.x.toFixed(2)},${r.y.toFixed(2)}`));
    const written = byDetection.filter((r) => detBoxes.has(`${r.frame}:${r.x.toFixed(2)},${r.y.toFixed(2)}`));
    expect(written.length).toBe(byDetection.length);
    expect(
      byFilter.filter((r) => detBoxes.has(`${r.frame}:${r.x.toFixed(2)},${r.y.toFixed(2)}`)).length,
    ).toBeLessThan(byFilter.length / 2);
  });

  it('ByteTrack never starts a track from a box under track_thresh + 0.1', () => {
    const det =
      '1,-1,100,100,40,100,0.55,-1,-1,-1\n2,-1,101,100,40,100,0.55,-1,-1,-1\n3,-1,102,100,40,100,0.55,-1,-1,-1\n';
    const asGiven = { tracker: 'bytetrack', normalizeScores: false } as const;
    expect(runMotTracking(det, asGiven)).toBe('');
    const confident = det.replaceAll('0.55', '0.65');
    expect(parseMot(runMotTracking(confident, asGiven)).map((r) => r.id)).toEqual([1, 1, 1]);
  });

  it('writes frame,id,x,y,w,h,score,-1,-1,-1 and reads it back', () => {
    const rows = [{ frame: 3, id: 7, x: 1.234, y: 2, w: 30, h: 60.5, score: 0.9 }];
    const text = formatMot(rows);
    expect(text).toBe('3,7,1.23,2.00,30.00,60.50,0.9,-1,-1,-1\n');
    expect(parseMot(text)).toEqual([{ frame: 3, id: 7, x: 1.23, y: 2, w: 30, h: 60.5, score: 0.9 }]);
  });
});
