import { roundTo } from '@rxvision/decode';
import type { HttpRoute } from '../http-routes.js';
import { type FrigateApiSource, frigateVersion } from './frigate-source.js';

/**
 * `/api/stats` in Frigate's shape: per camera `camera_fps`, `process_fps`, `detection_fps` (0 while
 * the camera is not online, which the integration reads as unavailable), per detector
 * `inference_speed` in ms, the total `detection_fps`, and `service.uptime`/`version`.
 */
export function statsRoute(source: FrigateApiSource): HttpRoute {
  return { pattern: '/api/stats', handle: () => ({ status: 200, json: frigateStats(source) }) };
}

export function frigateStats(source: FrigateApiSource): Record<string, unknown> {
  const config = source.config();
  const cameras: Record<string, unknown> = {};
  const perDetector = new Map<string, number[]>();
  let detectionFps = 0;
  for (const s of source.cameras()) {
    const fps = s.state === 'online' ? roundTo(s.fps, 1) : 0;
    detectionFps += fps;
    cameras[s.id] = {
      camera_fps: fps,
      process_fps: fps,
      skipped_fps: 0,
      detection_fps: fps,
      detection_enabled: 1,
      state: s.state,
    };
    const detector = config.cameras[s.id]?.detector;
    if (detector && s.inferenceMs > 0)
      perDetector.set(detector, [...(perDetector.get(detector) ?? []), s.inferenceMs]);
  }
  const detectors = Object.fromEntries(
    Object.keys(config.detectors).map((name) => {
      const speeds = perDetector.get(name) ?? [];
      const mean = speeds.length > 0 ? speeds.reduce((a, b) => a + b, 0) / speeds.length : 0;
      return [name, { inference_speed: roundTo(mean, 2), detection_start: 0 }];
    }),
  );
  return {
    cameras,
    detectors,
    detection_fps: roundTo(detectionFps, 1),
    service: {
      uptime: source.uptimeSeconds(),
      version: frigateVersion(source),
      last_updated: Math.floor(Date.now() / 1000),
      storage: {},
      temperatures: {},
    },
  };
}
