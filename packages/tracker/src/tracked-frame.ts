import type { DetectedFrame, Detection } from '@rxvision/detector';

/** Lifecycle: `tentative` until confirmed by hits, `confirmed` while matched, `lost` while coasting. */
export type TrackState = 'tentative' | 'confirmed' | 'lost';

/** A tracked object: the detection that last updated it plus its identity and history. */
export interface Track extends Detection {
  /** Unique and increasing per camera (across classes). */
  readonly trackId: number;
  readonly state: TrackState;
  /** ms since the epoch (capture time of the frame the track was born in). */
  readonly firstSeen: number;
  /** ms since the epoch (capture time of the last frame with a matching detection). */
  readonly lastSeen: number;
  /** Detections matched over the track's life. */
  readonly hits: number;
  /** Frigate's computed score: median of the last 10 frames' scores, 0 for a frame without a match. */
  readonly computedScore: number;
  /** Highest computed score over the track's life (Frigate's `top_score`, not the highest raw score). */
  readonly topScore: number;
  /** Box centre velocity in source pixels per frame, from the Kalman state. */
  readonly velocity: readonly [vx: number, vy: number];
  /** Not moved (beyond `stationary.maxDisplacement`) for `stationary.threshold` frames (Frigate's word). */
  readonly stationary: boolean;
  /** Frames matched without moving beyond `stationary.maxDisplacement` (Frigate's `motionless_count`). */
  readonly motionlessCount: number;
  /** Its first move, plus each move out of a stationary stay (Frigate's `position_changes`). */
  readonly positionChanges: number;
  /** Zones whose polygon currently holds the track's anchor (bottom centre), after inertia. */
  readonly currentZones: readonly string[];
  /** Every zone the track has entered during its life. */
  readonly enteredZones: readonly string[];
  /** Per entered zone: ms inside over the track's life, the current stay included. */
  readonly zoneDwellMs: Readonly<Record<string, number>>;
  /** Zones with a `loiteringTime` the track has stayed in, without leaving, for at least that long. */
  readonly loiteringZones: readonly string[];
}

export type TrackEvent =
  | { readonly type: 'new' | 'update' | 'end'; readonly track: Track; readonly at: number }
  | {
      readonly type: 'zone-enter' | 'zone-exit';
      readonly zone: string;
      readonly track: Track;
      readonly at: number;
    }
  | {
      readonly type: 'line-cross';
      readonly line: string;
      /** `in`: from the left of the line's from→to direction to its right, as seen on the image. */
      readonly direction: 'in' | 'out';
      readonly track: Track;
      readonly at: number;
    };

/** How many confirmed tracks a zone holds right now, in total and per label. */
export interface ZoneOccupancy {
  readonly count: number;
  readonly objects: Readonly<Record<string, number>>;
}

/** Crossings of one line, in each direction. */
export interface Crossings {
  readonly in: number;
  readonly out: number;
}

/** Crossings of one line since the camera's tracker started (or since the totals it was given), in total and per label. */
export interface LineCount extends Crossings {
  readonly objects: Readonly<Record<string, Crossings>>;
}

export interface TrackedFrame extends DetectedFrame {
  /** Confirmed tracks matched in this frame (what a user would draw). */
  readonly tracks: readonly Track[];
  readonly events: readonly TrackEvent[];
  /** Per zone of this camera: tracks inside right now. */
  readonly zoneOccupancy: Readonly<Record<string, ZoneOccupancy>>;
  /** Per line of this camera: running in/out counts. */
  readonly lineCounts: Readonly<Record<string, LineCount>>;
}
