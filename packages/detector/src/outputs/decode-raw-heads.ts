import type { Candidate, TensorLike } from '../candidate.js';
import { floatData } from './tensor-values.js';

/** Anchor (width, height) pairs in input pixels per head, finest grid first. */
export type Anchors = readonly (readonly number[])[];

/** YOLOv7-tiny anchors (`cfg/deploy/yolov7-tiny.yaml`), strides 8/16/32. */
export const YOLOV7_TINY_ANCHORS: Anchors = [
  [10, 13, 16, 30, 33, 23],
  [30, 61, 62, 45, 59, 119],
  [116, 90, 156, 198, 373, 326],
];

/** YOLOv7 anchors (`cfg/deploy/yolov7.yaml`), strides 8/16/32. */
export const YOLOV7_ANCHORS: Anchors = [
  [12, 16, 19, 36, 40, 28],
  [36, 75, 76, 55, 72, 146],
  [142, 110, 192, 243, 459, 401],
];

/** YOLOv7-w6/e6/d6/e6e anchors (`cfg/deploy/yolov7-w6.yaml`, P6: 1280 input), strides 8/16/32/64. */
export const YOLOV7_W6_ANCHORS: Anchors = [
  [19, 27, 44, 40, 38, 94],
  [96, 68, 86, 152, 180, 137],
  [140, 301, 303, 264, 238, 542],
  [436, 615, 739, 380, 925, 792],
];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Decodes raw YOLOv7 head outputs (`export.py` without `--grid`): three (P5) or four (P6)
 * `[batch, 3, H, W, 5+C]` logits tensors. Applies YOLOv7's `IDetect` decode: `xy = (2σ(t) − 0.5 +
 * cell) × stride`, `wh = (2σ(t))² × anchor`, confidence = σ(obj) × σ(best class). Stride = input
 * height / H of the tensor as it came back, so a dynamic-size model decodes at any size; heads
 * are taken finest grid first by those run-time sizes, whatever order the graph lists them in.
 */
export function decodeRawHeads(
  heads: readonly { readonly name: string; readonly tensor: TensorLike }[],
  anchors: Anchors,
  inputHeight: number,
  images: number,
  minScore: number,
): Candidate[][] {
  if (anchors.length !== heads.length)
    throw new RangeError(
      `raw-head model has ${heads.length} heads but ${anchors.length} anchor sets were given`,
    );
  const result: Candidate[][] = Array.from({ length: images }, () => []);
  // σ(obj) ≥ minScore ⇔ obj ≥ logit(minScore): skips most cells without an exp().
  const objLogit =
    minScore > 0 && minScore < 1 ? Math.log(minScore / (1 - minScore)) : Number.NEGATIVE_INFINITY;
  const finestFirst = [...heads].sort((a, b) => (b.tensor.dims[2] ?? 0) - (a.tensor.dims[2] ?? 0));
  finestFirst.forEach(({ name, tensor }, level) => {
    const data = floatData(tensor, name);
    const [, na = 3, ny = 0, nx = 0, no = 0] = tensor.dims;
    const stride = inputHeight / ny;
    const levelAnchors = anchors[level]!;
    for (let b = 0; b < images; b++) {
      const out = result[b]!;
      for (let a = 0; a < na; a++) {
        const aw = levelAnchors[a * 2]!;
        const ah = levelAnchors[a * 2 + 1]!;
        for (let y = 0; y < ny; y++) {
          for (let x = 0; x < nx; x++) {
            const o = (((b * na + a) * ny + y) * nx + x) * no;
            if (data[o + 4]! < objLogit) continue;
            const obj = sigmoid(data[o + 4]!);
            let bestLogit = Number.NEGATIVE_INFINITY;
            let classId = 0;
            for (let c = 5; c < no; c++) {
              if (data[o + c]! > bestLogit) {
                bestLogit = data[o + c]!;
                classId = c - 5;
              }
            }
            const score = obj * sigmoid(bestLogit);
            if (score < minScore) continue;
            const cx = (sigmoid(data[o]!) * 2 - 0.5 + x) * stride;
            const cy = (sigmoid(data[o + 1]!) * 2 - 0.5 + y) * stride;
            const w = (sigmoid(data[o + 2]!) * 2) ** 2 * aw;
            const h = (sigmoid(data[o + 3]!) * 2) ** 2 * ah;
            out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, classId });
          }
        }
      }
    }
  });
  return result;
}
