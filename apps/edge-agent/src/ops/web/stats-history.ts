import { asyncScheduler, interval, type SchedulerLike, type Subscription } from 'rxjs';
import type { CameraStats } from '../../agent/camera-stats.js';

/** One sample of a camera's figures for the page's charts: seconds since the epoch, then the figures. */
export interface StatsSample {
  readonly t: number;
  readonly fps: number;
  readonly inferenceMs: number;
  readonly objects: number;
}

/** 10 s apart, 360 samples: the last hour, 360 × 4 numbers per camera at most. */
export const SAMPLE_PERIOD_MS = 10_000;
export const SAMPLES_KEPT = 360;

/**
 * The last hour of each camera's fps, inference ms and object count, sampled every
 * `SAMPLE_PERIOD_MS` into a bounded ring per camera; a camera gone from `read()` is forgotten.
 */
export class StatsHistory {
  readonly #rings = new Map<string, StatsSample[]>();
  #subscription?: Subscription;

  constructor(
    private readonly read: () => readonly CameraStats[],
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  start(): void {
    this.sample();
    this.#subscription = interval(SAMPLE_PERIOD_MS, this.scheduler).subscribe(() => this.sample());
  }

  stop(): void {
    this.#subscription?.unsubscribe();
  }

  samples(camera: string): readonly StatsSample[] {
    return this.#rings.get(camera) ?? [];
  }

  private sample(): void {
    const t = Math.round(this.scheduler.now() / 1000);
    const seen = new Set<string>();
    for (const s of this.read()) {
      seen.add(s.id);
      const ring = this.#rings.get(s.id) ?? [];
      ring.push({ t, fps: round(s.fps), inferenceMs: round(s.inferenceMs), objects: s.objects });
      if (ring.length > SAMPLES_KEPT) ring.splice(0, ring.length - SAMPLES_KEPT);
      this.#rings.set(s.id, ring);
    }
    for (const id of [...this.#rings.keys()]) if (!seen.has(id)) this.#rings.delete(id);
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
