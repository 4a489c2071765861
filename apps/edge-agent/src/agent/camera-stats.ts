import type { SourceStats } from '@rxvision/decode';
import type { DetectorStats } from '@rxvision/detector';

/** One camera's figures as /api/cameras, /metrics and the console status read them. */
export interface CameraStats {
  readonly id: string;
  /** Redacted source URL. */
  readonly url: string;
  readonly state: CameraState;
  readonly framesIn: number;
  readonly framesProcessed: number;
  /** Frames the detector dropped for this camera (newest frame wins while it is busy). */
  readonly dropped: number;
  readonly reconnects: number;
  readonly stalls: number;
  readonly restarts: number;
  /** Processed frames per second, smoothed. */
  readonly fps: number;
  readonly inferenceMs: number;
  readonly objects: number;
  readonly lastFrameAt?: number;
  readonly lastError?: string;
}

export type CameraState =
  | 'starting'
  | 'connecting'
  | 'online'
  | 'stalled'
  | 'offline'
  | 'restarting'
  | 'stopped';

/** The counters a camera's pipeline does not keep itself: its source's and its detector's own. */
export interface CameraCounters {
  readonly source: { stats(): Pick<SourceStats, 'reconnects' | 'stalls'> };
  readonly detector: { stats(): Pick<DetectorStats, 'cameras'> };
}

/**
 * A running camera's figures: the pipeline and the manager set what only they know (state, frames,
 * fps); `read()` adds the source's and the detector's counters as they are at that moment.
 */
export class LiveCameraStats {
  state: CameraState = 'starting';
  framesIn = 0;
  framesProcessed = 0;
  restarts = 0;
  fps = 0;
  inferenceMs = 0;
  objects = 0;
  lastFrameAt: number | undefined;
  lastError: string | undefined;
  private counters: CameraCounters | undefined;

  constructor(
    readonly id: string,
    readonly url: string,
  ) {}

  /** The source and detector of the pipeline now running; a restarted pipeline attaches its new ones. */
  attach(counters: CameraCounters): void {
    this.counters = counters;
  }

  /** Updates the smoothed fps from the gap since the previous processed frame. */
  markProcessed(now: number, inferenceMs: number, objects: number): void {
    if (this.lastFrameAt !== undefined && now > this.lastFrameAt) {
      const instant = 1000 / (now - this.lastFrameAt);
      this.fps = this.fps === 0 ? instant : this.fps * 0.8 + instant * 0.2;
    }
    this.lastFrameAt = now;
    this.framesProcessed++;
    this.inferenceMs = this.inferenceMs === 0 ? inferenceMs : this.inferenceMs * 0.8 + inferenceMs * 0.2;
    this.objects = objects;
  }

  /** The figures now, the source's and detector's counters read at this call. */
  read(): CameraStats {
    const source = this.counters?.source.stats();
    return {
      id: this.id,
      url: this.url,
      state: this.state,
      framesIn: this.framesIn,
      framesProcessed: this.framesProcessed,
      dropped: this.counters?.detector.stats().cameras[this.id]?.dropped ?? 0,
      reconnects: source?.reconnects ?? 0,
      stalls: source?.stalls ?? 0,
      restarts: this.restarts,
      fps: this.fps,
      inferenceMs: this.inferenceMs,
      objects: this.objects,
      ...(this.lastFrameAt !== undefined ? { lastFrameAt: this.lastFrameAt } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }
}
