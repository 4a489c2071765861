import type { Point } from './geometry-config.js';
import { parsePoints } from './geometry-config.js';

/** A polygon zone, Frigate's `zones.<name>`. */
export interface ZoneOptions {
  /** Polygon in source pixels: `[[x, y], …]` or Frigate's `"x1,y1,x2,y2,…"`. */
  readonly coordinates: string | readonly Point[];
  /** Consecutive frames the anchor must be inside (or outside) before entering (or leaving); Frigate's `inertia`. */
  readonly inertia?: number;
  /** Labels this zone cares about, Frigate's `zones.<name>.objects`; all when absent. */
  readonly objects?: readonly string[];
  /** Seconds a track must stay inside before it is loitering here, Frigate's `loitering_time`; 0 or absent: never. */
  readonly loiteringTime?: number;
}

export const DEFAULT_ZONE_INERTIA = 3;

/** A zone ready for testing. */
export class Zone {
  readonly polygon: Point[];
  readonly inertia: number;
  /** ms inside before a stay is loitering; 0: this zone does not flag loitering. */
  readonly loiteringMs: number;
  private readonly objects: ReadonlySet<string> | undefined;

  constructor(
    readonly name: string,
    config: ZoneOptions,
  ) {
    this.polygon = parsePoints(config.coordinates, `zone "${name}"`, 3);
    this.inertia = Math.max(1, config.inertia ?? DEFAULT_ZONE_INERTIA);
    const loitering = config.loiteringTime ?? 0;
    if (!(loitering >= 0))
      throw new Error(`zone "${name}": loiteringTime must be ≥ 0 seconds, got ${loitering}`);
    this.loiteringMs = loitering * 1000;
    this.objects = config.objects ? new Set(config.objects) : undefined;
  }

  appliesTo(label: string): boolean {
    return this.objects === undefined || this.objects.has(label);
  }

  contains(p: Point): boolean {
    return pointInPolygon(p, this.polygon);
  }
}

/** Even-odd ray casting. */
export function pointInPolygon([x, y]: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** One track's presence in one zone, debounced by inertia, and how long it has been inside. */
export class ZonePresence {
  inside = false;
  private streak = 0;
  /** When the current stay began (ms), while inside. */
  private enteredAt = 0;
  /** ms inside over the finished stays. */
  private pastMs = 0;

  /** Feeds one observation at `at` ms; returns `enter`/`exit` when the debounced state flips. */
  observe(isInside: boolean, inertia: number, at: number): 'enter' | 'exit' | undefined {
    if (isInside === this.inside) {
      this.streak = 0;
      return undefined;
    }
    if (++this.streak < inertia) return undefined;
    this.streak = 0;
    this.inside = isInside;
    if (isInside) this.enteredAt = at;
    else this.pastMs += Math.max(0, at - this.enteredAt);
    return isInside ? 'enter' : 'exit';
  }

  /** Ends the current stay at `at` (the track is gone). */
  leave(at: number): void {
    if (!this.inside) return;
    this.inside = false;
    this.pastMs += Math.max(0, at - this.enteredAt);
  }

  /** ms inside over the track's life, the current stay up to `at` included. */
  dwellMs(at: number): number {
    return this.pastMs + (this.inside ? Math.max(0, at - this.enteredAt) : 0);
  }

  /** Inside for at least `loiteringMs` without leaving (never when `loiteringMs` is 0). */
  loitering(at: number, loiteringMs: number): boolean {
    return loiteringMs > 0 && this.inside && at - this.enteredAt >= loiteringMs;
  }
}
