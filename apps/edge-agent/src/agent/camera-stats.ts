/** Live figures of one camera, read by /api/cameras, /metrics and the console status. */
export interface CameraStats {
  readonly id: string;
  /** Redacted source URL. */
  url: string;
  state: 'starting' | 'connecting' | 'online' | 'stalled' | 'offline' | 'restarting' | 'stopped';
  framesIn: number;
  framesProcessed: number;
  /** Frames dropped anywhere (decoder and detector queue). */
  dropped: number;
  /** Of which dropped by the decoder. */
  sourceDrops: number;
  reconnects: number;
  stalls: number;
  restarts: number;
  /** Processed frames per second, smoothed. */
  fps: number;
  inferenceMs: number;
  objects: number;
  lastFrameAt?: number;
  lastError?: string;
}

export function newCameraStats(id: string, url: string): CameraStats {
  return {
    id,
    url,
    state: 'starting',
    framesIn: 0,
    framesProcessed: 0,
    dropped: 0,
    sourceDrops: 0,
    reconnects: 0,
    stalls: 0,
    restarts: 0,
    fps: 0,
    inferenceMs: 0,
    objects: 0,
  };
}

/** Updates the smoothed fps from the gap since the previous processed frame. */
export function markProcessed(stats: CameraStats, now: number, inferenceMs: number, objects: number): void {
  if (stats.lastFrameAt !== undefined && now > stats.lastFrameAt) {
    const instant = 1000 / (now - stats.lastFrameAt);
    stats.fps = stats.fps === 0 ? instant : stats.fps * 0.8 + instant * 0.2;
  }
  stats.lastFrameAt = now;
  stats.framesProcessed++;
  stats.inferenceMs = stats.inferenceMs === 0 ? inferenceMs : stats.inferenceMs * 0.8 + inferenceMs * 0.2;
  stats.objects = objects;
}
