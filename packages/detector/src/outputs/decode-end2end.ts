import type { Candidate } from '../candidate.js';
import type { SingleOutputDecoder } from './single-output-decoder.js';
import { floatData } from './tensor-values.js';

/**
 * Decodes YOLOv7's onnxruntime end-to-end output `[num_dets, 7]` (batch index, x0, y0, x1, y1,
 * class, score in input pixels; NMS already done in the graph) into candidates per image.
 */
export const decodeEnd2End: SingleOutputDecoder = (tensor, name, images, minScore) => {
  const data = floatData(tensor, name);
  const result: Candidate[][] = Array.from({ length: images }, () => []);
  const rows = tensor.dims[0] ?? 0;
  for (let r = 0; r < rows; r++) {
    const o = r * 7;
    const score = data[o + 6]!;
    const image = result[Math.round(data[o]!)];
    if (!image || score < minScore) continue;
    image.push({
      x1: data[o + 1]!,
      y1: data[o + 2]!,
      x2: data[o + 3]!,
      y2: data[o + 4]!,
      classId: Math.round(data[o + 5]!),
      score,
    });
  }
  return result;
};
