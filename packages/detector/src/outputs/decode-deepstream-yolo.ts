import type { Candidate, TensorLike } from '../candidate.js';
import type { SingleOutputDecoder } from './single-output-decoder.js';
import { floatData, numberData } from './tensor-values.js';

/**
 * Decodes DeepStream-Yolo's `export_yoloV7.py` output (since its 2024-11 "new model output
 * format"): `output [batch, N, 6]` = x1, y1, x2, y2 (input pixels), score (objectness × best
 * class), class. No NMS in the graph: DeepStream clusters afterwards, and so does the detector.
 */
export const decodeDeepStreamYolo: SingleOutputDecoder = (tensor, name, images, minScore) => {
  const data = floatData(tensor, name);
  const rows = tensor.dims[1] ?? 0;
  const result: Candidate[][] = [];
  for (let b = 0; b < images; b++) {
    const out: Candidate[] = [];
    for (let o = b * rows * 6, end = (b + 1) * rows * 6; o < end; o += 6) {
      const score = data[o + 4]!;
      if (score < minScore) continue;
      out.push({
        x1: data[o]!,
        y1: data[o + 1]!,
        x2: data[o + 2]!,
        y2: data[o + 3]!,
        score,
        classId: Math.round(data[o + 5]!),
      });
    }
    result.push(out);
  }
  return result;
};

/** The three outputs of DeepStream-Yolo's `export_yoloV7.py` from 2023-06 to 2024-11. */
export interface DeepStreamYoloSplitOutputs {
  readonly boxes: TensorLike;
  readonly scores: TensorLike;
  readonly classes: TensorLike;
}

/**
 * Decodes the older DeepStream-Yolo layout: `boxes [batch, N, 4]` = cx, cy, w, h (input pixels),
 * `scores [batch, N, 1]` (objectness × best class), `classes [batch, N, 1]`.
 */
export function decodeDeepStreamYoloSplit(
  outputs: DeepStreamYoloSplitOutputs,
  images: number,
  minScore: number,
): Candidate[][] {
  const boxes = floatData(outputs.boxes, 'boxes');
  const scores = floatData(outputs.scores, 'scores');
  const classes = numberData(outputs.classes, 'classes');
  const rows = outputs.scores.dims[1] ?? 0;
  const result: Candidate[][] = [];
  for (let b = 0; b < images; b++) {
    const out: Candidate[] = [];
    for (let k = b * rows, end = (b + 1) * rows; k < end; k++) {
      const score = scores[k]!;
      if (score < minScore) continue;
      const cx = boxes[k * 4]!;
      const cy = boxes[k * 4 + 1]!;
      const hw = boxes[k * 4 + 2]! / 2;
      const hh = boxes[k * 4 + 3]! / 2;
      out.push({
        x1: cx - hw,
        y1: cy - hh,
        x2: cx + hw,
        y2: cy + hh,
        score,
        classId: Math.round(classes[k]!),
      });
    }
    result.push(out);
  }
  return result;
}
