import type { Detection } from '@rxvision/detector';
import type { Box } from './box.js';
import { iouMatrix } from './box.js';
import type { BoxTracker, CoreTrack, IdSource, TrackerStep } from './box-tracker.js';
import { counterIds } from './box-tracker.js';
import type { FilteredTrack } from './filtered-track.js';
import type { Motion } from './kalman.js';
import { kalmanInit, kalmanPredict, kalmanUpdate } from './kalman.js';
import { linearAssignment } from './linear-assignment.js';

/** SORT's parameters, named as in abewley/sort (`max_age`, `min_hits`, `iou_threshold`). */
export interface SortOptions {
  /** Frames a track survives without a detection before it is removed. */
  readonly maxAge?: number;
  /** Consecutive hits before a track is reported. */
  readonly minHits?: number;
  /** Minimum IoU for a detection to update a track. */
  readonly iouThreshold?: number;
}

/** SORT's reference settings (Bewley et al. 2016, the MOT15 results in the SORT README). */
export const SORT_DEFAULTS: Required<SortOptions> = { maxAge: 1, minHits: 3, iouThreshold: 0.3 };

// State [u, v, s, r, u̇, v̇, ṡ]: centre, area, aspect ratio, and velocities of the first three.
const MOTION: Motion = [
  [0, 4],
  [1, 5],
  [2, 6],
];
const Q = [1, 1, 1, 1, 0.01, 0.01, 0.0001];
const R = [1, 1, 10, 10];
const P0 = [10, 10, 10, 10, 10_000, 10_000, 10_000];

interface SortTrack extends FilteredTrack {
  hitStreak: number;
  timeSinceUpdate: number;
  everReported: boolean;
}

/**
 * SORT (Simple Online and Realtime Tracking) as published: a Kalman filter on box centre, area
 * and aspect ratio, IoU association solved optimally, tracks reported after `minHits` consecutive
 * hits (or in the first `minHits` frames) and removed `maxAge` frames after their last hit.
 */
export class SortTracker implements BoxTracker {
  private readonly options: Required<SortOptions>;
  private readonly nextId: IdSource;
  private tracks: SortTrack[] = [];
  private frameCount = 0;

  /** `elapsedFrames`: frames the camera already saw, so a tracker added later skips SORT's start-up reporting. */
  constructor(options: SortOptions = {}, ids: IdSource = counterIds(), elapsedFrames = 0) {
    this.options = { ...SORT_DEFAULTS, ...options };
    this.nextId = ids;
    this.frameCount = elapsedFrames;
  }

  get size(): number {
    return this.tracks.length;
  }

  update(detections: readonly Detection[]): TrackerStep {
    const { maxAge, minHits, iouThreshold } = this.options;
    this.frameCount++;
    const removed: CoreTrack[] = [];
    const alive: SortTrack[] = [];
    for (const t of this.tracks) {
      predict(t);
      // A negative predicted area makes the box NaN; SORT drops such tracks.
      if (t.box.some(Number.isNaN)) removed.push(view(t, false, false));
      else alive.push(t);
    }
    this.tracks = alive;

    const overlap = iouMatrix(
      detections.map((d) => d.bbox),
      alive.map((t) => t.box),
    );
    const matchedTrack = new Uint8Array(alive.length);
    const matchedDet = new Uint8Array(detections.length);
    for (const [d, t] of associate(overlap, iouThreshold)) {
      correct(alive[t]!, detections[d]!);
      matchedTrack[t] = 1;
      matchedDet[d] = 1;
    }
    for (let d = 0; d < detections.length; d++) {
      if (matchedDet[d]) continue;
      const t = create(this.nextId(), detections[d]!);
      this.tracks.push(t);
    }

    const out: CoreTrack[] = [];
    const kept: SortTrack[] = [];
    for (const t of this.tracks) {
      const matched = t.timeSinceUpdate < 1;
      const reported = matched && (t.hitStreak >= minHits || this.frameCount <= minHits);
      if (reported) t.everReported = true;
      const snapshot = view(t, matched, reported);
      if (t.timeSinceUpdate > maxAge) {
        removed.push(snapshot);
      } else {
        kept.push(t);
        out.push(snapshot);
      }
    }
    this.tracks = kept;
    return { tracks: out, removed };
  }
}

/** SORT's association: the IoU-maximising assignment, then pairs under the threshold dropped. */
function associate(iou: Float64Array[], threshold: number): Array<readonly [number, number]> {
  if (iou.length === 0 || iou[0]!.length === 0) return [];
  // Maximising total IoU: pairs that do not overlap add nothing, so limit 0 leaves them out.
  const cost = iou.map((row) => {
    const neg = new Float64Array(row.length);
    for (let j = 0; j < row.length; j++) neg[j] = -row[j]!;
    return neg;
  });
  return linearAssignment(cost, { costLimit: 0 }).matches.filter(([d, t]) => iou[d]![t]! >= threshold);
}

function create(id: number, det: Detection): SortTrack {
  const kf = kalmanInit([...toZ(det.bbox), 0, 0, 0], P0);
  return {
    id,
    kf,
    classId: det.classId,
    label: det.label,
    score: det.score,
    hits: 0,
    hitStreak: 0,
    timeSinceUpdate: 0,
    everReported: false,
    box: det.bbox,
    detectionBox: det.bbox,
  };
}

function predict(t: SortTrack): void {
  const x = t.kf.x;
  if (x[6]! + x[2]! <= 0) x[6] = 0;
  kalmanPredict(t.kf, MOTION, Q);
  if (t.timeSinceUpdate > 0) t.hitStreak = 0;
  t.timeSinceUpdate++;
  t.box = toBox(t.kf.x);
}

function correct(t: SortTrack, det: Detection): void {
  t.timeSinceUpdate = 0;
  t.hits++;
  t.hitStreak++;
  kalmanUpdate(t.kf, toZ(det.bbox), R);
  t.box = toBox(t.kf.x);
  t.detectionBox = det.bbox;
  t.score = det.score;
  t.classId = det.classId;
  t.label = det.label;
}

function view(t: SortTrack, matched: boolean, reported: boolean): CoreTrack {
  return {
    id: t.id,
    bbox: t.box,
    ...(matched ? { detectionBox: t.detectionBox } : {}),
    score: t.score,
    classId: t.classId,
    label: t.label,
    state: !matched ? 'lost' : t.everReported ? 'confirmed' : 'tentative',
    matched,
    reported,
    // SORT's `hits` leaves out the detection that started the track; ours counts it.
    hits: t.hits + 1,
    velocity: [t.kf.x[4]!, t.kf.x[5]!],
  };
}

function toZ(b: Box): [number, number, number, number] {
  const w = b[2] - b[0];
  const h = b[3] - b[1];
  return [b[0] + w / 2, b[1] + h / 2, w * h, w / h];
}

function toBox(x: Float64Array): Box {
  const w = Math.sqrt(x[2]! * x[3]!);
  const h = x[2]! / w;
  return [x[0]! - w / 2, x[1]! - h / 2, x[0]! + w / 2, x[1]! + h / 2];
}
