import type { CameraConfig } from '../config/types.js';

/** The agent's outputs, besides the camera's own keys, that read a camera's full-resolution frames. */
export interface FrameConsumers {
  /** An MQTT publisher runs: it makes the camera's snapshot JPEGs (and feeds the HTTP API's snapshot store). */
  readonly mqtt: boolean;
  /** The HTTP API runs: `/api/<camera>/latest.jpg` encodes the newest frame. */
  readonly http: boolean;
}

/**
 * Whether FFmpeg must write this camera's full-resolution frames: only when something draws on or
 * encodes them (the annotated restream, snapshots, `latest.jpg`). Otherwise it writes the model
 * input alone, which is most of the decode cost saved on a camera that only detects and publishes.
 */
export function needsFullFrames(
  camera: Pick<CameraConfig, 'restream' | 'snapshots'>,
  consumers: FrameConsumers,
): boolean {
  return camera.restream.enabled || (consumers.mqtt && camera.snapshots !== false) || consumers.http;
}
