import type { Detection } from '@rxvision/detector';
import type { Box } from './box.js';
import type { TrackState } from './tracked-frame.js';

/** One track as a tracking algorithm sees it after a frame. */
export interface CoreTrack {
  readonly id: number;
  /** The filter's box estimate: corrected when matched this frame, predicted otherwise. */
  readonly bbox: Box;
  /** The box of the detection matched in this frame; absent when the track was not matched. */
  readonly detectionBox?: Box;
  /** Score of the detection that last updated the track. */
  readonly score: number;
  readonly classId: number;
  readonly label: string;
  readonly state: TrackState;
  /** Updated by a detection in this frame. */
  readonly matched: boolean;
  /** What the reference implementation outputs for this frame (MOTChallenge results use this). */
  readonly reported: boolean;
  /** Detections matched over the track's life. */
  readonly hits: number;
  /** Box centre velocity, source pixels per frame. */
  readonly velocity: readonly [vx: number, vy: number];
}

/** The result of one frame: every live track, and the tracks dropped in this frame. */
export interface TrackerStep {
  readonly tracks: readonly CoreTrack[];
  readonly removed: readonly CoreTrack[];
}

/** A single-camera, single-stream tracking algorithm (SORT, ByteTrack). */
export interface BoxTracker {
  /** Advances one frame with that frame's detections (possibly none). */
  update(detections: readonly Detection[]): TrackerStep;
  /** Tracks held in memory right now (tentative, confirmed and lost). */
  readonly size: number;
}

/**
 * Which box a reported track carries: `detection`, the box the detector drew in this frame (Frigate
 * publishes that one; the filter's estimate only associates), or `filter`, the Kalman estimate
 * (what SORT's and ByteTrack's reference code write). A track coasting without a detection always
 * carries the filter's prediction.
 */
export type ReportedBox = 'detection' | 'filter';

export function reportedBox(track: CoreTrack, choice: ReportedBox): Box {
  return choice === 'detection' && track.detectionBox ? track.detectionBox : track.bbox;
}

/** Hands out track ids; one per camera so ids are unique and increasing across classes. */
export type IdSource = () => number;

export function counterIds(start = 1): IdSource {
  let next = start;
  return () => next++;
}
