import { roundTo } from '@rxvision/decode';
import type { PublisherMetrics } from './publisher-metrics.js';

/** Per-camera figures gathered between two stats messages. */
interface CameraWindow {
  frames: number;
  inferenceMsSum: number;
  framesTotal: number;
}

/**
 * The `<prefix>/stats` message (Frigate's stats topic): per-camera fps and inference speed over
 * the last window, MQTT figures, uptime, and whatever `extra` adds.
 */
export class StatsMessage {
  readonly #windows = new Map<string, CameraWindow>();

  /** Counts a processed frame. */
  recordFrame(camera: string, inferenceMs: number): void {
    let window = this.#windows.get(camera);
    if (!window) {
      window = { frames: 0, inferenceMsSum: 0, framesTotal: 0 };
      this.#windows.set(camera, window);
    }
    window.frames++;
    window.framesTotal++;
    window.inferenceMsSum += inferenceMs;
  }

  /** The JSON payload for a window of `seconds`; starts the next window. */
  take(
    seconds: number,
    metrics: PublisherMetrics,
    uptimeSeconds: number,
    extra?: Readonly<Record<string, unknown>>,
  ): string {
    const perCamera: Record<string, unknown> = {};
    for (const [camera, window] of this.#windows) {
      perCamera[camera] = {
        camera_fps: Math.round((window.frames / seconds) * 10) / 10,
        inference_speed: window.frames > 0 ? roundTo(window.inferenceMsSum / window.frames, 2) : 0,
        frames: window.framesTotal,
      };
      window.frames = 0;
      window.inferenceMsSum = 0;
    }
    return JSON.stringify({
      cameras: perCamera,
      mqtt: {
        queue_depth: metrics.queueDepth,
        in_flight: metrics.inFlight,
        published: metrics.published,
        dropped: metrics.dropped,
        reconnects: metrics.reconnects,
      },
      service: { uptime: uptimeSeconds },
      ...extra,
    });
  }
}
