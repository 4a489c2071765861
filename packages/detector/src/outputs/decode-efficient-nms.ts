import type { Candidate, TensorLike } from '../candidate.js';
import { floatData, numberData } from './tensor-values.js';

export interface EfficientNmsOutputs {
  readonly numDets: TensorLike;
  readonly boxes: TensorLike;
  readonly scores: TensorLike;
  readonly classes: TensorLike;
}

/**
 * Decodes TensorRT `EfficientNMS_TRT` outputs: `num_dets [b,1]`, `det_boxes [b,k,4]` (x0, y0,
 * x1, y1 in input pixels), `det_scores [b,k]`, `det_classes [b,k]`; only the first `num_dets`
 * rows of each image are valid.
 */
export function decodeEfficientNms(
  outputs: EfficientNmsOutputs,
  images: number,
  minScore: number,
): Candidate[][] {
  const counts = numberData(outputs.numDets, 'num_dets');
  const boxes = floatData(outputs.boxes, 'det_boxes');
  const scores = floatData(outputs.scores, 'det_scores');
  const classes = numberData(outputs.classes, 'det_classes');
  const topK = outputs.scores.dims[1] ?? 0;
  const result: Candidate[][] = [];
  for (let b = 0; b < images; b++) {
    const out: Candidate[] = [];
    const n = Math.min(counts[b] ?? 0, topK);
    for (let i = 0; i < n; i++) {
      const k = b * topK + i;
      const score = scores[k]!;
      if (score < minScore) continue;
      out.push({
        x1: boxes[k * 4]!,
        y1: boxes[k * 4 + 1]!,
        x2: boxes[k * 4 + 2]!,
        y2: boxes[k * 4 + 3]!,
        score,
        classId: Math.round(classes[k]!),
      });
    }
    result.push(out);
  }
  return result;
}
