import type { DetectedFrame, Detection } from '@rxvision/detector';

export type TrackState = 'tentative' | 'confirmed' | 'lost';

/** A tracked object: the detection that last updated it plus its identity and history. */
export interface Track extends Detection {
  /** Unique and increasing per camera. */
  readonly trackId: number;
  readonly state: TrackState;
  /** ms since the epoch (frame capture time). */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly hits: number;
  /** Highest score seen over the track's life. */
  readonly topScore: number;
  /** Box centre velocity in source pixels per frame, from the Kalman state. */
  readonly velocity: readonly [vx: number, vy: number];
  readonly stationary: boolean;
  /** Zones whose polygon currently holds the track's anchor (bottom centre). */
  readonly currentZones: readonly string[];
  /** Every zone the track has entered during its life. */
  readonly enteredZones: readonly string[];
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
      readonly direction: 'in' | 'out';
      readonly track: Track;
      readonly at: number;
    };

export interface TrackedFrame extends DetectedFrame {
  /** Confirmed tracks matched in this frame (what a user would draw). */
  readonly tracks: readonly Track[];
  readonly events: readonly TrackEvent[];
}
