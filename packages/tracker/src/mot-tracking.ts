import type { Detection } from '@rxvision/detector';
import type { BoxTracker } from './box-tracker.js';
import type { ByteTrackOptions } from './bytetrack.js';
import { ByteTracker } from './bytetrack.js';
import type { TrackerKind } from './camera-tracker.js';
import type { MotRow } from './mot-format.js';
import { byFrame, formatMot, parseMot } from './mot-format.js';
import type { SortOptions } from './sort.js';
import { SortTracker } from './sort.js';

export interface MotTrackingOptions {
  /** `bytetrack` (default) or `sort` (SORT's reference preset unless `sort` overrides it). */
  readonly tracker?: TrackerKind;
  /** The sequence's frame rate; scales ByteTrack's lost-track buffer (default 30, ByteTrack's). */
  readonly fps?: number;
  readonly sort?: SortOptions;
  readonly bytetrack?: ByteTrackOptions;
}

/**
 * Runs a tracker over MOTChallenge detections (`frame,-1,x,y,w,h,score,…`) and returns its
 * results as rows with track ids, reporting in each frame exactly what the reference
 * implementation outputs (SORT: tracks with `min_hits` consecutive hits; ByteTrack: activated
 * tracked tracks) with the filter's box. Scores are used as given; every frame from 1 to the
 * last one is stepped, with or without detections.
 */
export function trackMotDetections(
  detections: readonly MotRow[],
  options: MotTrackingOptions = {},
): MotRow[] {
  const tracker: BoxTracker =
    options.tracker === 'sort'
      ? new SortTracker(options.sort)
      : new ByteTracker({ ...options.bytetrack, ...(options.fps ? { frameRate: options.fps } : {}) });
  const frames = byFrame(detections);
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
      const [x1, y1, x2, y2] = t.bbox;
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
