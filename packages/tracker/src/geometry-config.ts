/** A point in source pixels. */
export type Point = readonly [x: number, y: number];

/**
 * Reads Frigate-style coordinates: an array of `[x, y]` pairs, or the flat string
 * `"x1,y1,x2,y2,…"` Frigate's config uses.
 */
export function parsePoints(coordinates: string | readonly Point[], what: string, min: number): Point[] {
  let points: Point[];
  if (typeof coordinates === 'string') {
    const n = coordinates.split(',').map((s) => Number(s.trim()));
    if (n.length % 2 !== 0 || n.some((v) => !Number.isFinite(v))) {
      throw new Error(`${what}: coordinates "${coordinates}" must be "x1,y1,x2,y2,…" numbers in pixels`);
    }
    points = [];
    for (let i = 0; i < n.length; i += 2) points.push([n[i]!, n[i + 1]!]);
  } else {
    points = coordinates.map((p) => [p[0], p[1]] as const);
  }
  if (points.length < min) throw new Error(`${what}: needs at least ${min} points, got ${points.length}`);
  return points;
}
