import type { StoredCamera } from './fleet-records.js';

/** images/s a camera without `fps` is counted at (Frigate's default `detect.fps`). */
export const DEFAULT_CAMERA_FPS = 5;

/** images/s a fleet camera asks of its box's detector: its `fps`. */
export function cameraCost(stored: StoredCamera): number {
  const fps = Number(stored.camera.fps);
  return Number.isFinite(fps) && fps > 0 ? fps : DEFAULT_CAMERA_FPS;
}
