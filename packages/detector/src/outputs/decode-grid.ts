import type { Candidate, TensorLike } from '../candidate.js';
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
      const candidate = gridRow(data, o, cols, minScore);
      if (candidate) out.push(candidate);
    }
    result.push(out);
  }
  return result;
};

/**
 * Decodes the rows a wrapped model's pre-filter let through (`rows` `[K, 5+classes]`, `rowIndex`
 * `[K, 2]` = image, row) exactly as `decodeGrid` decodes them in the whole grid: the graph's filter
 * is a superset at a threshold a hair lower, the same test as there runs here.
 */
export function decodeGridRows(
  rows: TensorLike,
  rowIndex: TensorLike,
  images: number,
  minScore: number,
): Candidate[][] {
  const data = floatData(rows, 'rows');
  const cols = rows.dims[1] ?? 0;
  const index = rowIndex.data;
  if (!(index instanceof BigInt64Array))
    throw new TypeError(`pre-filter row index is ${rowIndex.type}; expected int64`);
  const result: Candidate[][] = Array.from({ length: images }, () => []);
  const count = rows.dims[0] ?? 0;
  for (let k = 0; k < count; k++) {
    const candidate = gridRow(data, k * cols, cols, minScore);
    if (candidate) result[Number(index[2 * k])]?.push(candidate);
  }
  return result;
}

function gridRow(data: Float32Array, o: number, cols: number, minScore: number): Candidate | undefined {
  const obj = data[o + 4]!;
  if (obj < minScore) return undefined;
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
  if (score < minScore) return undefined;
  const cx = data[o]!;
  const cy = data[o + 1]!;
  const hw = data[o + 2]! / 2;
  const hh = data[o + 3]! / 2;
  return { x1: cx - hw, y1: cy - hh, x2: cx + hw, y2: cy + hh, score, classId };
}
