import type { Box } from './box.js';
import type { Point } from './geometry-config.js';
import { parsePoints } from './geometry-config.js';

/** A counting line (a tripwire; Frigate has none, DeepStream's nvdsanalytics calls it `line-crossing`). */
export interface LineOptions {
  /** Two points in source pixels: `[[x1, y1], [x2, y2]]` or `"x1,y1,x2,y2"`. */
  readonly coordinates: string | readonly Point[];
  /** Consecutive frames on the new side before a crossing counts (default 3). */
  readonly inertia?: number;
  /** Anchors closer to the line than this fraction of the box height are ignored (default 0.05). */
  readonly deadband?: number;
  /** Labels this line counts; all when absent. */
  readonly objects?: readonly string[];
}

export const DEFAULT_LINE_INERTIA = 3;
export const DEFAULT_LINE_DEADBAND = 0.05;

export type Side = -1 | 1;

/** A line ready for testing. */
export class Line {
  readonly from: Point;
  readonly to: Point;
  readonly inertia: number;
  readonly deadband: number;
  private readonly objects: ReadonlySet<string> | undefined;
  private readonly length: number;

  constructor(
    readonly name: string,
    config: LineOptions,
  ) {
    const points = parsePoints(config.coordinates, `line "${name}"`, 2);
    if (points.length !== 2) throw new Error(`line "${name}": needs exactly 2 points, got ${points.length}`);
    [this.from, this.to] = points as [Point, Point];
    this.length = Math.hypot(this.to[0] - this.from[0], this.to[1] - this.from[1]);
    if (this.length === 0) throw new Error(`line "${name}": its two points are the same; give a segment`);
    this.inertia = Math.max(1, config.inertia ?? DEFAULT_LINE_INERTIA);
    this.deadband = config.deadband ?? DEFAULT_LINE_DEADBAND;
    this.objects = config.objects ? new Set(config.objects) : undefined;
  }

  appliesTo(label: string): boolean {
    return this.objects === undefined || this.objects.has(label);
  }

  /**
   * Which side of the line the anchor is on (+1: right of from→to on the image, y down),
   * `undefined` inside the dead band, `0` beyond the segment's ends (walking round a line is no crossing).
   */
  sideOf(p: Point, box: Box): Side | 0 | undefined {
    const dx = this.to[0] - this.from[0];
    const dy = this.to[1] - this.from[1];
    const px = p[0] - this.from[0];
    const py = p[1] - this.from[1];
    const along = (px * dx + py * dy) / (this.length * this.length);
    if (along < 0 || along > 1) return 0;
    const distance = (dx * py - dy * px) / this.length;
    if (Math.abs(distance) <= this.deadband * (box[3] - box[1])) return undefined;
    return distance > 0 ? 1 : -1;
  }
}

/** One track's side of one line, debounced; reports a crossing when the settled side flips. */
export class LineSide {
  private side: Side | undefined;
  private pending: Side | undefined;
  private streak = 0;

  observe(side: Side | 0 | undefined, inertia: number): 'in' | 'out' | undefined {
    if (side === undefined) return undefined;
    if (side === 0) {
      this.side = undefined;
      this.pending = undefined;
      this.streak = 0;
      return undefined;
    }
    if (side === this.side) {
      this.streak = 0;
      return undefined;
    }
    if (side === this.pending) this.streak++;
    else {
      this.pending = side;
      this.streak = 1;
    }
    if (this.streak < inertia) return undefined;
    const before = this.side;
    this.side = side;
    this.streak = 0;
    if (before === undefined) return undefined;
    return side === 1 ? 'in' : 'out';
  }
}
