import type { Frame } from '@rxvision/decode';

/** One object found in a frame. `bbox` is `[x1, y1, x2, y2]` in source-frame pixels. */
export interface Detection {
  readonly bbox: readonly [x1: number, y1: number, x2: number, y2: number];
  readonly score: number;
  readonly classId: number;
  readonly label: string;
}

export interface DetectedFrame {
  readonly frame: Frame;
  readonly detections: readonly Detection[];
  /** Wall time of the inference call that served this frame (shared by a whole batch). */
  readonly inferenceMs: number;
}
