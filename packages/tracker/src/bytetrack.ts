import type { Detection } from '@rxvision/detector';
import type { Box } from './box.js';
import { boxIou } from './box.js';
import type { BoxTracker, CoreTrack, IdSource, TrackerStep } from './box-tracker.js';
import { counterIds } from './box-tracker.js';
import type { FilteredTrack } from './filtered-track.js';
import type { Motion } from './kalman.js';
import { kalmanInit, kalmanPredict, kalmanUpdate } from './kalman.js';
import { linearAssignment } from './linear-assignment.js';

/** ByteTrack's parameters, named as in ifzhang/ByteTrack (`track_thresh`, `match_thresh`, …). */
export interface ByteTrackOptions {
  /** Boxes above this score take part in the first association; new tracks need `+ 0.1`. */
  readonly trackThresh?: number;
  /** Boxes above this (and below `trackThresh`) only rescue existing tracks in the second stage. */
  readonly lowThresh?: number;
  /** Maximum fused cost (1 − IoU·score) of a first-stage match. */
  readonly matchThresh?: number;
  /** Frames a lost track is kept, at 30 fps; scaled by `frameRate`. */
  readonly trackBuffer?: number;
  /** The stream's frame rate (Frigate's `detect.fps`). */
  readonly frameRate?: number;
  /** Multiply IoU by detection score in the first and unconfirmed stages (off for MOT20). */
  readonly fuseScore?: boolean;
}

/** ByteTrack's reference settings (Zhang et al. 2022, `tools/track.py` defaults). */
export const BYTETRACK_DEFAULTS: Required<ByteTrackOptions> = {
  trackThresh: 0.5,
  lowThresh: 0.1,
  matchThresh: 0.8,
  trackBuffer: 30,
  frameRate: 30,
  fuseScore: true,
};

// State [cx, cy, a, h, ċx, ċy, ȧ, ḣ] (DeepSORT's filter, as ByteTrack ships it).
const MOTION: Motion = [
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];
const W_POS = 1 / 20;
const W_VEL = 1 / 160;

interface STrack extends FilteredTrack {
  phase: 'tracked' | 'lost';
  activated: boolean;
  frameId: number;
  startFrame: number;
  matched: boolean;
  removed: boolean;
  /** Frame in which the track was last put on the tracked list (deduplicates joins). */
  listedAt: number;
}

/**
 * ByteTrack as published: every detection box counts. Confident boxes are matched first to tracked
 * and lost tracks on IoU fused with score; low-score boxes then rescue the remaining tracked
 * tracks; only confident boxes start tracks, which are activated by a second hit; lost tracks are
 * kept for `trackBuffer · frameRate / 30` frames.
 */
export class ByteTracker implements BoxTracker {
  private readonly options: Required<ByteTrackOptions>;
  private readonly nextId: IdSource;
  private tracked: STrack[] = [];
  private lost: STrack[] = [];
  private frameId = 0;
  private maxTimeLost: number;

  /** `elapsedFrames`: frames the camera already saw, so only a camera's first frame activates tracks at once. */
  constructor(options: ByteTrackOptions = {}, ids: IdSource = counterIds(), elapsedFrames = 0) {
    this.options = { ...BYTETRACK_DEFAULTS, ...options };
    this.nextId = ids;
    this.frameId = elapsedFrames;
    this.maxTimeLost = bufferFrames(this.options);
  }

  get size(): number {
    return this.tracked.length + this.lost.length;
  }

  /** Re-scales the lost-track buffer once a stream's real frame rate is known. */
  setFrameRate(fps: number): void {
    this.maxTimeLost = bufferFrames({ ...this.options, frameRate: fps });
  }

  update(detections: readonly Detection[]): TrackerStep {
    const { trackThresh, lowThresh, matchThresh, fuseScore } = this.options;
    const frame = ++this.frameId;
    const high = detections.filter((d) => d.score > trackThresh);
    const low = detections.filter((d) => d.score > lowThresh && d.score < trackThresh);
    const activated: STrack[] = [];
    const refound: STrack[] = [];
    const newlyLost: STrack[] = [];
    const removed: STrack[] = [];
    for (const t of this.tracked) t.matched = false;
    for (const t of this.lost) t.matched = false;

    const unconfirmed = this.tracked.filter((t) => !t.activated);
    const confirmed = this.tracked.filter((t) => t.activated);
    const pool = [...confirmed, ...this.lost];
    for (const t of pool) predict(t);

    // Stage 1: confident boxes against tracked and lost tracks.
    const first = match(pool, high, matchThresh, fuseScore);
    for (const [ti, di] of first.matches) {
      const t = pool[ti]!;
      const wasTracked = t.phase === 'tracked';
      correct(t, high[di]!, frame);
      (wasTracked ? activated : refound).push(t);
    }

    // Stage 2: low-score boxes against the tracked tracks stage 1 left over.
    const leftover = first.unmatchedRows.map((i) => pool[i]!).filter((t) => t.phase === 'tracked');
    const second = match(leftover, low, 0.5, false);
    for (const [ti, di] of second.matches) {
      const t = leftover[ti]!;
      const wasTracked = t.phase === 'tracked';
      correct(t, low[di]!, frame);
      (wasTracked ? activated : refound).push(t);
    }
    for (const ti of second.unmatchedRows) {
      const t = leftover[ti]!;
      if (t.phase !== 'lost') {
        t.phase = 'lost';
        newlyLost.push(t);
      }
    }

    // Unconfirmed (one-hit) tracks get one chance with the remaining confident boxes.
    const rest = first.unmatchedCols.map((i) => high[i]!);
    const third = match(unconfirmed, rest, 0.7, fuseScore);
    for (const [ti, di] of third.matches) {
      const t = unconfirmed[ti]!;
      correct(t, rest[di]!, frame);
      activated.push(t);
    }
    for (const ti of third.unmatchedRows) removed.push(unconfirmed[ti]!);

    // New tracks only from boxes confident enough (det_thresh = track_thresh + 0.1).
    for (const di of third.unmatchedCols) {
      const det = rest[di]!;
      if (det.score < trackThresh + 0.1) continue;
      activated.push(start(this.nextId(), det, frame));
    }

    for (const t of this.lost) {
      if (frame - t.frameId > this.maxTimeLost) removed.push(t);
    }

    for (const t of removed) t.removed = true;
    // ByteTrack's joint_stracks / sub_stracks, with flags instead of id sets.
    const tracked: STrack[] = [];
    for (const list of [this.tracked, activated, refound]) {
      for (const t of list) {
        if (t.phase !== 'tracked' || t.removed || t.listedAt === frame) continue;
        t.listedAt = frame;
        tracked.push(t);
      }
    }
    const lost: STrack[] = [];
    for (const list of [this.lost, newlyLost]) {
      for (const t of list) if (t.phase === 'lost' && !t.removed) lost.push(t);
    }
    const [keptTracked, keptLost, duplicates] = removeDuplicates(tracked, lost);
    this.tracked = keptTracked;
    this.lost = keptLost;

    const tracks = [...this.tracked, ...this.lost].map(view);
    // Tracks dropped as duplicates leave memory too; ByteTrack just forgets them.
    const gone = [...removed, ...duplicates].map(view);
    return { tracks, removed: gone };
  }
}

function bufferFrames(o: Required<ByteTrackOptions>): number {
  return Math.trunc((o.frameRate / 30) * o.trackBuffer);
}

interface Match {
  readonly matches: ReadonlyArray<readonly [number, number]>;
  readonly unmatchedRows: readonly number[];
  readonly unmatchedCols: readonly number[];
}

function match(tracks: readonly STrack[], dets: readonly Detection[], thresh: number, fuse: boolean): Match {
  const cost = tracks.map((t) => {
    const row = new Float64Array(dets.length);
    for (let j = 0; j < dets.length; j++) {
      const d = dets[j]!;
      const sim = boxIou(t.box, d.bbox);
      row[j] = 1 - (fuse ? sim * d.score : sim);
    }
    return row;
  });
  if (tracks.length === 0 || dets.length === 0) {
    return {
      matches: [],
      unmatchedRows: tracks.map((_, i) => i),
      unmatchedCols: dets.map((_, i) => i),
    };
  }
  return linearAssignment(cost, { costLimit: thresh });
}

function start(id: number, det: Detection, frame: number): STrack {
  const [cx, cy, a, h] = toXyah(det.bbox);
  const p = 2 * W_POS * h;
  const v = 10 * W_VEL * h;
  const kf = kalmanInit([cx, cy, a, h, 0, 0, 0, 0], [p * p, p * p, 1e-4, p * p, v * v, v * v, 1e-10, v * v]);
  return {
    id,
    kf,
    box: fromXyah(kf.x),
    detectionBox: det.bbox,
    score: det.score,
    classId: det.classId,
    label: det.label,
    phase: 'tracked',
    // ByteTrack activates tracks born on the first frame at once.
    activated: frame === 1,
    frameId: frame,
    startFrame: frame,
    hits: 1,
    matched: true,
    removed: false,
    listedAt: 0,
  };
}

function predict(t: STrack): void {
  const x = t.kf.x;
  if (t.phase !== 'tracked') x[7] = 0;
  const h = x[3]!;
  const p = W_POS * h;
  const v = W_VEL * h;
  kalmanPredict(t.kf, MOTION, [p * p, p * p, 1e-4, p * p, v * v, v * v, 1e-10, v * v]);
  t.box = fromXyah(x);
}

function correct(t: STrack, det: Detection, frame: number): void {
  const z = toXyah(det.bbox);
  const p = W_POS * t.kf.x[3]!;
  kalmanUpdate(t.kf, z, [p * p, p * p, 1e-2, p * p]);
  t.box = fromXyah(t.kf.x);
  t.detectionBox = det.bbox;
  t.score = det.score;
  t.classId = det.classId;
  t.label = det.label;
  t.phase = 'tracked';
  t.activated = true;
  t.frameId = frame;
  t.hits++;
  t.matched = true;
}

function view(t: STrack): CoreTrack {
  const tracked = t.phase === 'tracked';
  return {
    id: t.id,
    bbox: t.box,
    ...(t.matched ? { detectionBox: t.detectionBox } : {}),
    score: t.score,
    classId: t.classId,
    label: t.label,
    state: !tracked ? 'lost' : t.activated ? 'confirmed' : 'tentative',
    matched: t.matched,
    reported: tracked && t.activated,
    hits: t.hits,
    velocity: [t.kf.x[4]!, t.kf.x[5]!],
  };
}

/** ByteTrack's `remove_duplicate_stracks`: of a tracked/lost pair overlapping > 0.85 IoU, keep the older. */
function removeDuplicates(tracked: STrack[], lost: STrack[]): [STrack[], STrack[], STrack[]] {
  const dupTracked = new Set<number>();
  const dupLost = new Set<number>();
  for (let p = 0; p < tracked.length; p++) {
    for (let q = 0; q < lost.length; q++) {
      const a = tracked[p]!;
      const b = lost[q]!;
      if (1 - boxIou(a.box, b.box) >= 0.15) continue;
      if (a.frameId - a.startFrame > b.frameId - b.startFrame) dupLost.add(q);
      else dupTracked.add(p);
    }
  }
  const dropped = [...tracked.filter((_, i) => dupTracked.has(i)), ...lost.filter((_, i) => dupLost.has(i))];
  return [tracked.filter((_, i) => !dupTracked.has(i)), lost.filter((_, i) => !dupLost.has(i)), dropped];
}

function toXyah(b: Box): [number, number, number, number] {
  const w = b[2] - b[0];
  const h = b[3] - b[1];
  return [b[0] + w / 2, b[1] + h / 2, w / h, h];
}

function fromXyah(x: Float64Array): Box {
  const h = x[3]!;
  const w = x[2]! * h;
  return [x[0]! - w / 2, x[1]! - h / 2, x[0]! + w / 2, x[1]! + h / 2];
}
