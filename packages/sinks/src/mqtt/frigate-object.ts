import { roundTo } from '@rxvision/decode';
import type { Track } from '@rxvision/tracker';

/** A tracked object as Frigate's `frigate/events` payload describes it (`before` / `after`). */
export interface FrigateObject {
  /** `<start seconds>-<run id>-<track id>`: unique across restarts of the agent. */
  readonly id: string;
  readonly camera: string;
  readonly track_id: number;
  readonly label: string;
  readonly score: number;
  readonly top_score: number;
  /** `[x1, y1, x2, y2]` in source pixels. */
  readonly box: readonly [number, number, number, number];
  readonly area: number;
  readonly ratio: number;
  /** Seconds since the epoch (Frigate uses float seconds). */
  readonly frame_time: number;
  readonly start_time: number;
  readonly end_time: number | null;
  readonly current_zones: readonly string[];
  readonly entered_zones: readonly string[];
  readonly stationary: boolean;
  readonly has_snapshot: boolean;
}

/** A Frigate-style event id: start time in seconds, a per-run random tag, the track id. */
export function eventId(runId: string, track: Track): string {
  return `${(track.firstSeen / 1000).toFixed(6)}-${runId}-${track.trackId}`;
}

export function frigateObject(
  camera: string,
  id: string,
  track: Track,
  endedAt: number | null,
  hasSnapshot: boolean,
): FrigateObject {
  const [x1, y1, x2, y2] = track.bbox;
  const width = Math.max(0, x2 - x1);
  const height = Math.max(0, y2 - y1);
  return {
    id,
    camera,
    track_id: track.trackId,
    label: track.label,
    score: roundTo(track.score, 3),
    top_score: roundTo(track.topScore, 3),
    box: [Math.round(x1), Math.round(y1), Math.round(x2), Math.round(y2)],
    area: Math.round(width * height),
    ratio: height > 0 ? roundTo(width / height, 3) : 0,
    frame_time: roundTo(track.lastSeen / 1000, 3),
    start_time: roundTo(track.firstSeen / 1000, 3),
    end_time: endedAt === null ? null : roundTo(endedAt / 1000, 3),
    current_zones: [...track.currentZones],
    entered_zones: [...track.enteredZones],
    stationary: track.stationary,
    has_snapshot: hasSnapshot,
  };
}

/** Whether `after` differs from `before` enough to be worth an `update` event (as Frigate decides). */
export function significantChange(before: FrigateObject, after: FrigateObject): boolean {
  return (
    before.label !== after.label ||
    before.stationary !== after.stationary ||
    after.top_score - before.top_score >= 0.02 ||
    before.current_zones.join('\u0000') !== after.current_zones.join('\u0000') ||
    before.entered_zones.join('\u0000') !== after.entered_zones.join('\u0000') ||
    before.has_snapshot !== after.has_snapshot
  );
}
