import type { Box } from './box.js';
import type { KalmanState } from './kalman.js';

/** What SORT and ByteTrack both keep per track: its Kalman filter, its boxes and its last detection's class and score. */
export interface FilteredTrack {
  readonly id: number;
  readonly kf: KalmanState;
  /** The filter's box estimate. */
  box: Box;
  /** Box of the detection that last updated the track. */
  detectionBox: Box;
  score: number;
  classId: number;
  label: string;
  /** Detections matched over the track's life. */
  hits: number;
}
