import { roundTo } from '@rxvision/decode';
import type { Track } from '@rxvision/tracker';

type Box = readonly [number, number, number, number];

/** The moment a tracked object looked best (Frigate's `snapshot`: its thumbnail's data). */
export interface FrigateSnapshot {
  readonly frame_time: number;
  readonly box: Box;
  readonly area: number;
  readonly region: Box;
  readonly score: number;
  readonly attributes: readonly never[];
}

/** A tracked object as Frigate's `frigate/events` payload describes it (`before` / `after`). */
export interface FrigateObject {
  /** `<start seconds>-<run id>-<track id>`: unique across restarts of the agent. */
  readonly id: string;
  readonly camera: string;
  readonly track_id: number;
  readonly label: string;
  /** Always null: rxvision recognises no faces, plates or logos. */
  readonly sub_label: null;
  readonly score: number;
  /** Highest computed score (median of the last 10 scores), as Frigate computes it. */
  readonly top_score: number;
  /** True until the computed score reached the label's threshold; a published object never is. */
  readonly false_positive: boolean;
  /** `[x1, y1, x2, y2]` in source pixels. */
  readonly box: Box;
  readonly area: number;
  readonly ratio: number;
  /** The area the detector looked at: the whole frame, as rxvision detects on full frames. */
  readonly region: Box;
  /** Seconds since the epoch (Frigate uses float seconds). */
  readonly frame_time: number;
  readonly start_time: number;
  readonly end_time: number | null;
  /** Moving (not stationary). */
  readonly active: boolean;
  readonly stationary: boolean;
  readonly motionless_count: number;
  readonly position_changes: number;
  readonly current_zones: readonly string[];
  readonly entered_zones: readonly string[];
  /** rxvision's: seconds inside each entered zone over the object's life. */
  readonly zone_dwell_time: Readonly<Record<string, number>>;
  /** rxvision's: zones with `loitering_time` the object has stayed in at least that long. */
  readonly loitering_zones: readonly string[];
  /** rxvision records no clips. */
  readonly has_clip: false;
  readonly has_snapshot: boolean;
  readonly snapshot: FrigateSnapshot | null;
  /** Frigate sends the thumbnail only over its websocket; null on MQTT, as Frigate does. */
  readonly thumbnail: null;
  readonly attributes: Readonly<Record<string, number>>;
  readonly current_attributes: readonly never[];
}

/** What `frigateObject` needs beyond the track. */
export interface FrigateObjectContext {
  readonly camera: string;
  readonly id: string;
  /** ms since the epoch when the object ended; null while it lives. */
  readonly endedAt: number | null;
  readonly hasSnapshot: boolean;
  readonly falsePositive: boolean;
  /** Frame size, the region a full-frame detector looked at. */
  readonly frame: { readonly width: number; readonly height: number };
  /** The best moment so far (score, box, capture time in ms). */
  readonly best?: { readonly score: number; readonly bbox: Track['bbox']; readonly at: number };
}

/** A Frigate-style event id: start time in seconds, a per-run random tag, the track id. */
export function eventId(runId: string, track: Track): string {
  return `${(track.firstSeen / 1000).toFixed(6)}-${runId}-${track.trackId}`;
}

export function frigateObject(track: Track, context: FrigateObjectContext): FrigateObject {
  const { width, height } = context.frame;
  const region: Box = [0, 0, width, height];
  const { box, area, ratio } = geometry(track.bbox);
  const best = context.best;
  return {
    id: context.id,
    camera: context.camera,
    track_id: track.trackId,
    label: track.label,
    sub_label: null,
    score: roundTo(track.score, 3),
    top_score: roundTo(track.topScore, 3),
    false_positive: context.falsePositive,
    box,
    area,
    ratio,
    region,
    frame_time: roundTo(track.lastSeen / 1000, 3),
    start_time: roundTo(track.firstSeen / 1000, 3),
    end_time: context.endedAt === null ? null : roundTo(context.endedAt / 1000, 3),
    active: !track.stationary,
    stationary: track.stationary,
    motionless_count: track.motionlessCount,
    position_changes: track.positionChanges,
    current_zones: [...track.currentZones],
    entered_zones: [...track.enteredZones],
    zone_dwell_time: Object.fromEntries(
      Object.entries(track.zoneDwellMs).map(([zone, ms]) => [zone, roundTo(ms / 1000, 1)]),
    ),
    loitering_zones: [...track.loiteringZones],
    has_clip: false,
    has_snapshot: context.hasSnapshot,
    snapshot: best
      ? {
          frame_time: roundTo(best.at / 1000, 3),
          ...geometryOnly(best.bbox),
          region,
          score: roundTo(best.score, 3),
          attributes: [],
        }
      : null,
    thumbnail: null,
    attributes: {},
    current_attributes: [],
  };
}

function geometry(bbox: Track['bbox']): { box: Box; area: number; ratio: number } {
  const [x1, y1, x2, y2] = bbox;
  const width = Math.max(0, x2 - x1);
  const height = Math.max(0, y2 - y1);
  return {
    box: [Math.round(x1), Math.round(y1), Math.round(x2), Math.round(y2)],
    area: Math.round(width * height),
    ratio: height > 0 ? roundTo(width / height, 3) : 0,
  };
}

function geometryOnly(bbox: Track['bbox']): { box: Box; area: number } {
  const { box, area } = geometry(bbox);
  return { box, area };
}

/** Frigate sends an `update` at least this often while an object lives (`frame_time` seconds apart). */
export const UPDATE_AT_LEAST_EVERY_S = 60;

/** Whether `after` differs from `before` enough to be worth an `update` event (as Frigate decides). */
export function significantChange(before: FrigateObject, after: FrigateObject): boolean {
  return (
    before.label !== after.label ||
    before.active !== after.active ||
    before.position_changes !== after.position_changes ||
    after.top_score - before.top_score >= 0.02 ||
    sameList(before.current_zones, after.current_zones) === false ||
    sameList(before.entered_zones, after.entered_zones) === false ||
    sameList(before.loitering_zones, after.loitering_zones) === false ||
    before.has_snapshot !== after.has_snapshot ||
    after.frame_time - before.frame_time > UPDATE_AT_LEAST_EVERY_S
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
