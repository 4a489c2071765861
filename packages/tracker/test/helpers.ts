import type { Frame } from '@rxvision/decode';
import type { DetectedFrame, Detection } from '@rxvision/detector';

/** A person-sized detection centred at (cx, cy). */
export function person(cx: number, cy: number, score = 0.9, w = 40, h = 100): Detection {
  return { bbox: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], score, classId: 0, label: 'person' };
}

export function car(cx: number, cy: number, score = 0.9): Detection {
  return { bbox: [cx - 60, cy - 30, cx + 60, cy + 30], score, classId: 2, label: 'car' };
}

/** A detected frame of camera `streamId`, number `seq`, at 10 fps. */
export function detected(streamId: string, seq: number, detections: Detection[], fps = 10): DetectedFrame {
  const frame: Frame = {
    streamId,
    seq,
    pts: seq / fps,
    capturedAt: 1_700_000_000_000 + (seq * 1000) / fps,
    width: 640,
    height: 480,
    format: 'rgb24',
    data: new Uint8Array(0),
  };
  return { frame, detections, inferenceMs: 5 };
}
