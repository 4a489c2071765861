/** `[x1, y1, x2, y2]` in source pixels, the detector's box layout. */
export type Box = readonly [x1: number, y1: number, x2: number, y2: number];

/** Intersection over union of two corner boxes (0 when either is empty). */
export function boxIou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  if (iw <= 0) return 0;
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/** Rows = `rows`, columns = `cols`, each entry the IoU of the pair. */
export function iouMatrix(rows: readonly Box[], cols: readonly Box[]): Float64Array[] {
  return rows.map((r) => {
    const out = new Float64Array(cols.length);
    for (let j = 0; j < cols.length; j++) out[j] = boxIou(r, cols[j]!);
    return out;
  });
}

/** The point a ground-plane zone or line is tested with: the middle of the box's bottom edge. */
export function bottomCentre(box: Box): [x: number, y: number] {
  return [(box[0] + box[2]) / 2, box[3]];
}
