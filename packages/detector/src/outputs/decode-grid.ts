import type { Candidate } from '../candidate.js';
import type { SingleOutputDecoder } from './single-output-decoder.js';
import { floatData } from './tensor-values.js';

/**
 * Decodes a grid output `[batch, N, 5+classes]` (rows `cx, cy, w, h, obj, cls...`, sigmoided,
 * input pixels) into candidates per image: confidence = objectness × best class score, kept when
 * ≥ `minScore`, as YOLOv7's `non_max_suppression` does before NMS.
 */
export const decodeGrid: SingleOutputDecoder = (tensor, name, images, minScore) => {
  const data = floatData(tensor, name);
  const rows = tensor.dims[1] ?? 0;
  const cols = tensor.dims[2] ?? 0;
  const result: Candidate[][] = [];
  for (let b = 0; b < images; b++) {
    const out: Candidate[] = [];
    const end = (b + 1) * rows * cols;
    for (let o = b * rows * cols; o < end; o += cols) {
      const obj = data[o + 4]!;
      if (obj < minScore) continue;
      let best = 0;
      let classId = 0;
      for (let c = 5; c < cols; c++) {
        const s = data[o + c]!;
        if (s > best) {
          best = s;
          classId = c - 5;
        }
      }
      const score = obj * best;
      if (score < minScore) continue;
      const cx = data[o]!;
      const cy = data[o + 1]!;
      const hw = data[o + 2]! / 2;
      const hh = data[o + 3]! / 2;
      out.push({ x1: cx - hw, y1: cy - hh, x2: cx + hw, y2: cy + hh, score, classId });
    }
    result.push(out);
  }
  return result;
};
