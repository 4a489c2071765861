/** A detector's counters for one camera (Frigate's per-camera `detection_fps` / `skipped_fps` come from these). */
export interface DetectorCameraStats {
  /** Frames handed to the detector. */
  readonly framesIn: number;
  /** Frames that went through inference and came back with detections. */
  readonly processed: number;
  /** Frames replaced by a newer frame of the same camera while the detector was busy. */
  readonly dropped: number;
}

/** Snapshot of a detector's counters, for the agent's `/metrics`. */
export interface DetectorStats {
  readonly model: string;
  readonly provider: string;
  readonly cameras: Readonly<Record<string, DetectorCameraStats>>;
  /** Inference calls made (warm-up excluded). */
  readonly batches: number;
  /** How many calls ran with each number of real frames (padding excluded). */
  readonly batchSizes: Readonly<Record<number, number>>;
  readonly inferenceMs: { readonly last: number; readonly total: number; readonly mean: number };
  /** Preprocessing plus postprocessing time, summed over all batches. */
  readonly overheadMs: number;
}

/** Mutable counters behind `DetectorStats`. */
export class StatsRecorder {
  private readonly cameras = new Map<string, { framesIn: number; processed: number; dropped: number }>();
  private readonly batchSizes: Record<number, number> = {};
  private batches = 0;
  private lastMs = 0;
  private totalMs = 0;
  private overheadMs = 0;

  constructor(
    private readonly model: string,
    private readonly provider: string,
  ) {}

  frameIn(camera: string): void {
    this.camera(camera).framesIn++;
  }

  dropped(camera: string): void {
    this.camera(camera).dropped++;
  }

  batch(cameras: readonly string[], inferenceMs: number, overheadMs: number): void {
    this.batches++;
    this.batchSizes[cameras.length] = (this.batchSizes[cameras.length] ?? 0) + 1;
    this.lastMs = inferenceMs;
    this.totalMs += inferenceMs;
    this.overheadMs += overheadMs;
    for (const camera of cameras) this.camera(camera).processed++;
  }

  snapshot(): DetectorStats {
    return {
      model: this.model,
      provider: this.provider,
      cameras: Object.fromEntries([...this.cameras].map(([id, c]) => [id, { ...c }])),
      batches: this.batches,
      batchSizes: { ...this.batchSizes },
      inferenceMs: {
        last: this.lastMs,
        total: this.totalMs,
        mean: this.batches ? this.totalMs / this.batches : 0,
      },
      overheadMs: this.overheadMs,
    };
  }

  private camera(id: string) {
    let c = this.cameras.get(id);
    if (!c) {
      c = { framesIn: 0, processed: 0, dropped: 0 };
      this.cameras.set(id, c);
    }
    return c;
  }
}
