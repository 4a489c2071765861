/** A box in source pixels with its class, and a score for predictions. */
export interface EvalBox {
  readonly image: string;
  readonly classId: number;
  readonly bbox: readonly [number, number, number, number];
  readonly score?: number;
}

function iou(a: EvalBox['bbox'], b: EvalBox['bbox']): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** COCO-style AP of one class at one IoU threshold: greedy matching by score, 101-point interpolation. */
function averagePrecision(predictions: EvalBox[], truths: EvalBox[], threshold: number): number {
  const sorted = [...predictions].sort((a, b) => b.score! - a.score!);
  const matched = new Set<EvalBox>();
  let tp = 0;
  let fp = 0;
  const recall: number[] = [];
  const precision: number[] = [];
  for (const p of sorted) {
    let best: EvalBox | undefined;
    let bestIou = threshold;
    for (const t of truths) {
      if (t.image !== p.image || matched.has(t)) continue;
      const o = iou(p.bbox, t.bbox);
      if (o >= bestIou) {
        bestIou = o;
        best = t;
      }
    }
    if (best) {
      matched.add(best);
      tp++;
    } else fp++;
    recall.push(tp / truths.length);
    precision.push(tp / (tp + fp));
  }
  for (let i = precision.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i]!, precision[i + 1]!);
  let sum = 0;
  for (let k = 0; k <= 100; k++) {
    const r = k / 100;
    const i = recall.findIndex((v) => v >= r);
    sum += i === -1 ? 0 : precision[i]!;
  }
  return sum / 101;
}

/** mAP@0.5 and mAP@0.5:0.95 over the classes that have ground truth (the COCO convention). */
export function meanAveragePrecision(
  predictions: EvalBox[],
  truths: EvalBox[],
): { map50: number; map: number } {
  const classes = [...new Set(truths.map((t) => t.classId))];
  const thresholds = Array.from({ length: 10 }, (_, i) => 0.5 + i * 0.05);
  const perThreshold = thresholds.map((t) => {
    const aps = classes.map((c) =>
      averagePrecision(
        predictions.filter((p) => p.classId === c),
        truths.filter((g) => g.classId === c),
        t,
      ),
    );
    return aps.reduce((a, b) => a + b, 0) / aps.length;
  });
  return { map50: perThreshold[0]!, map: perThreshold.reduce((a, b) => a + b, 0) / perThreshold.length };
}

/** Reads YOLO-format labels (`class cx cy w h`, normalised) into source-pixel boxes. */
export function parseYoloLabels(image: string, text: string, width: number, height: number): EvalBox[] {
  return text
    .trim()
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const [c, cx, cy, w, h] = line.trim().split(/\s+/).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      return {
        image,
        classId: c,
        bbox: [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height],
      };
    });
}
