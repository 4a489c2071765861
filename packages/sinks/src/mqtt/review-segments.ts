import { roundTo } from '@rxvision/decode';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { FrigateObject } from './frigate-object.js';
import { randomTag } from './random-tag.js';

export type ReviewSeverity = 'alert' | 'detection';

/** Frigate's review segment as `frigate/reviews` carries it (`before` / `after`). */
export interface ReviewSegment {
  /** `<start seconds>-<random tag>`. */
  readonly id: string;
  readonly camera: string;
  readonly start_time: number;
  /** Time of the last activity once ended; null while open. */
  readonly end_time: number | null;
  readonly severity: ReviewSeverity;
  /** rxvision stores no review thumbnails. */
  readonly thumb_path: null;
  readonly data: {
    /** Event ids of the objects seen. */
    readonly detections: readonly string[];
    /** Their labels. */
    readonly objects: readonly string[];
    readonly sub_labels: readonly string[];
    readonly zones: readonly string[];
    readonly audio: readonly string[];
  };
}

export interface ReviewOptions {
  /** Labels that make a segment an alert (Frigate `review.alerts.labels`; default person, car). */
  readonly alertLabels?: readonly string[];
  /** Quiet seconds after which an alert ends (Frigate: 120). */
  readonly alertQuietS?: number;
  /** Quiet seconds after which a detection ends (Frigate: 30). */
  readonly detectionQuietS?: number;
}

export const DEFAULT_ALERT_LABELS: readonly string[] = ['person', 'car'];

interface Open {
  readonly id: string;
  readonly startedAt: number;
  lastActivity: number;
  severity: ReviewSeverity;
  readonly detections: Map<string, string>;
  readonly zones: string[];
  /** What the last message's `after` said. */
  before?: ReviewSegment;
}

/**
 * One camera's review segments, as Frigate's review maintainer makes them: a segment opens with
 * the first active object, collects every active object and zone while activity goes on, turns
 * into an alert once an alert label takes part, and ends after a quiet period (120 s for an
 * alert, 30 s for a detection) — also when frames stop coming, as the quiet timer runs on
 * `scheduler`, the clock every time here comes from.
 */
export class ReviewSegments {
  private open: Open | undefined;
  private timer: Subscription | undefined;
  private readonly alertLabels: ReadonlySet<string>;
  private readonly alertQuietMs: number;
  private readonly detectionQuietMs: number;

  constructor(
    private readonly camera: string,
    private readonly publish: (payload: string) => void,
    private readonly scheduler: SchedulerLike,
    options: ReviewOptions = {},
  ) {
    this.alertLabels = new Set(options.alertLabels ?? DEFAULT_ALERT_LABELS);
    this.alertQuietMs = (options.alertQuietS ?? 120) * 1000;
    this.detectionQuietMs = (options.detectionQuietS ?? 30) * 1000;
  }

  /** Feeds the objects active in one frame (moving or loitering, not false positives). */
  observe(active: readonly FrigateObject[]): void {
    if (active.length === 0) return;
    const now = this.scheduler.now();
    const segment = this.open;
    if (!segment) {
      this.start(active, now);
      return;
    }
    segment.lastActivity = now;
    let changed = false;
    for (const object of active) {
      if (!segment.detections.has(object.id)) {
        segment.detections.set(object.id, object.label);
        changed = true;
      }
      if (segment.severity === 'detection' && this.alertLabels.has(object.label)) {
        segment.severity = 'alert';
        changed = true;
      }
      for (const zone of object.current_zones)
        if (!segment.zones.includes(zone)) {
          segment.zones.push(zone);
          changed = true;
        }
    }
    if (changed) this.send('update', segment, null);
  }

  /** Ends the open segment now (the camera's pipeline stops). */
  close(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    if (this.open) this.end(this.open);
  }

  private start(active: readonly FrigateObject[], now: number): void {
    const detections = new Map(active.map((o) => [o.id, o.label]));
    const segment: Open = {
      id: `${(now / 1000).toFixed(6)}-${randomTag()}`,
      startedAt: now,
      lastActivity: now,
      severity: active.some((o) => this.alertLabels.has(o.label)) ? 'alert' : 'detection',
      detections,
      zones: [...new Set(active.flatMap((o) => o.current_zones))],
    };
    this.open = segment;
    this.send('new', segment, null);
    this.armQuietTimer();
  }

  private armQuietTimer(): void {
    const segment = this.open;
    if (!segment) return;
    const due = segment.lastActivity + this.quietMs(segment) - this.scheduler.now();
    this.timer = this.scheduler.schedule(
      () => {
        this.timer = undefined;
        if (this.open !== segment) return;
        if (this.scheduler.now() >= segment.lastActivity + this.quietMs(segment)) this.end(segment);
        else this.armQuietTimer();
      },
      Math.max(0, due),
    );
  }

  private end(segment: Open): void {
    this.open = undefined;
    this.send('end', segment, segment.lastActivity);
  }

  private quietMs(segment: Open): number {
    return segment.severity === 'alert' ? this.alertQuietMs : this.detectionQuietMs;
  }

  private send(type: 'new' | 'update' | 'end', segment: Open, endedAt: number | null): void {
    const after = this.snapshot(segment, endedAt);
    this.publish(JSON.stringify({ type, before: segment.before ?? after, after }));
    segment.before = after;
  }

  private snapshot(segment: Open, endedAt: number | null): ReviewSegment {
    return {
      id: segment.id,
      camera: this.camera,
      start_time: roundTo(segment.startedAt / 1000, 3),
      end_time: endedAt === null ? null : roundTo(endedAt / 1000, 3),
      severity: segment.severity,
      thumb_path: null,
      data: {
        detections: [...segment.detections.keys()],
        objects: [...new Set(segment.detections.values())],
        sub_labels: [],
        zones: [...segment.zones],
        audio: [],
      },
    };
  }
}
