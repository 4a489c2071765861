import type { Detection } from '@rxvision/detector';
import type { BoxTracker, ReportedBox } from '../box-tracker.js';
import { reportedBox } from '../box-tracker.js';
import type { ByteTrackOptions } from '../bytetrack.js';
import { ByteTracker } from '../bytetrack.js';
import type { TrackerKind } from '../camera-tracker.js';
import type { SortOptions } from '../sort.js';
import { SortTracker } from '../sort.js';
import type { MotRow } from './mot-format.js';
import { byFrame, formatMot, parseMot } from './mot-format.js';

export interface MotTrackingOptions {
  /** `bytetrack` (default) or `sort` (SORT's reference preset unless `sort` overrides it). */
  readonly tracker?: TrackerKind;
  /** The sequence's frame rate; scales ByteTrack's lost-track buffer (default 30, ByteTrack's). */
  readonly fps?: number;
  readonly sort?: SortOptions;
  readonly bytetrack?: ByteTrackOptions;
  /**
   * Rescale the file's scores linearly so its lowest becomes 0 and its highest 1 (default true).
   * For detection files already cut at some confidence (the MOT15 Faster R-CNN files start at
   * 0.5), so that ByteTrack's high/low split falls inside the range the file actually covers; a
   * file that spans [0, 1] is left as it is. SORT ignores scores.
   */
  readonly normalizeScores?: boolean;
  /**
   * The box written for a matched track: `filter` (the Kalman estimate, what both reference
   * implementations write) or `detection` (the detector's box, rxvision's default in the live
   * pipeline). Default: `filter` for the SORT preset, so it reproduces SORT's published numbers;
   * `detection` for ByteTrack.
   */
  readonly box?: ReportedBox;
}

/**
 * Runs a tracker over MOTChallenge detections (`frame,-1,x,y,w,h,score,…`) and returns its
 * results as rows with track ids, reporting in each frame exactly the tracks the reference
 * implementation outputs (SORT: tracks with `min_hits` consecutive hits; ByteTrack: activated
 * tracked tracks), with the box `box` picks. Every frame from 1 to the last one is stepped, with or
 * without detections.
 */
export function trackMotDetections(
  detections: readonly MotRow[],
  options: MotTrackingOptions = {},
): MotRow[] {
  const tracker: BoxTracker =
    options.tracker === 'sort'
      ? new SortTracker(options.sort)
      : new ByteTracker({ ...options.bytetrack, ...(options.fps ? { frameRate: options.fps } : {}) });
  const box = options.box ?? (options.tracker === 'sort' ? 'filter' : 'detection');
  const frames = byFrame((options.normalizeScores ?? true) ? normalizeScores(detections) : detections);
  const last = Math.max(0, ...frames.keys());
  const out: MotRow[] = [];
  for (let frame = 1; frame <= last; frame++) {
    const dets: Detection[] = (frames.get(frame) ?? []).map((r) => ({
      bbox: [r.x, r.y, r.x + r.w, r.y + r.h],
      score: r.score,
      classId: 0,
      label: 'person',
    }));
    for (const t of tracker.update(dets).tracks) {
      if (!t.reported) continue;
      const [x1, y1, x2, y2] = reportedBox(t, box);
      out.push({ frame, id: t.id, x: x1, y: y1, w: x2 - x1, h: y2 - y1, score: t.score });
    }
  }
  return out;
}

/**
 * Text in, text out: what `edge-agent track --det det.txt --out res.txt` does.
 *
 * ## Example
 * ```ts
 * writeFileSync('res.txt', runMotTracking(readFileSync('det.txt', 'utf8'), { tracker: 'sort' }));
 * ```
 */
export function runMotTracking(detText: string, options: MotTrackingOptions = {}): string {
  return formatMot(trackMotDetections(parseMot(detText, 'detections'), options));
}

function normalizeScores(rows: readonly MotRow[]): MotRow[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    lo = Math.min(lo, r.score);
    hi = Math.max(hi, r.score);
  }
  const span = hi - lo;
  return rows.map((r) => ({ ...r, score: span > 0 ? (r.score - lo) / span : 1 }));
}
