import { DEFAULT_TOPIC_PREFIX } from '@rxvision/sinks';
import type { AgentConfig, CameraConfig } from '../../config/types.js';
import type { HttpRoute } from '../http-routes.js';
import { redactText } from '../redact.js';
import { FRIGATE_API_VERSION, type FrigateApiSource } from './frigate-source.js';

/**
 * `/api/config`: the running config in Frigate's shape, with every key the Home Assistant
 * integration reads without a default (`mqtt.topic_prefix`, `model`, and per camera
 * `objects.track`, `zones`, `audio.enabled_in_config`, `motion.threshold/contour_area`).
 * What rxvision does not do (recording, motion, audio) is present and off.
 */
export function configRoute(source: FrigateApiSource): HttpRoute {
  return { pattern: '/api/config', handle: () => ({ status: 200, json: frigateConfig(source.config()) }) };
}

export function frigateConfig(config: AgentConfig): Record<string, unknown> {
  const cameras = Object.values(config.cameras);
  const streams = Object.fromEntries(
    cameras
      .filter((c) => c.restream.enabled)
      .map((c) => [streamName(c), [`rtsp://127.0.0.1:${config.rtsp.port}${c.restream.path}`]]),
  );
  return {
    version: FRIGATE_API_VERSION.split('.').slice(0, 2).join('.'),
    mqtt: {
      enabled: config.mqtt !== undefined,
      topic_prefix: config.mqtt?.topicPrefix ?? DEFAULT_TOPIC_PREFIX,
      ...(config.mqtt?.clientId ? { client_id: config.mqtt.clientId } : {}),
    },
    detectors: Object.fromEntries(
      Object.entries(config.detectors).map(([name, d]) => [name, { type: 'onnx', model: { path: d.model } }]),
    ),
    model: { non_logo_attributes: [], all_attributes: [] },
    birdseye: { enabled: false, restream: false },
    go2rtc: { streams },
    cameras: Object.fromEntries(cameras.map((c) => [c.id, frigateCamera(c)])),
  };
}

function frigateCamera(c: CameraConfig): Record<string, unknown> {
  const snapshots = c.snapshots;
  return {
    name: c.id,
    enabled: c.enabled,
    ffmpeg: { inputs: [{ path: redactText(c.url), roles: ['detect'] }] },
    detect: { enabled: true, ...(c.fps ? { fps: c.fps } : {}) },
    objects: { track: [...(c.objects ?? ['person'])], filters: {} },
    zones: Object.fromEntries(
      c.zones.map((z) => [
        z.name,
        { coordinates: z.coordinates.map((p) => p.join(',')).join(','), objects: [...(z.objects ?? [])] },
      ]),
    ),
    snapshots:
      snapshots === false
        ? { enabled: false }
        : {
            enabled: true,
            bounding_box: snapshots.boundingBox ?? true,
            crop: snapshots.crop ?? true,
            quality: snapshots.quality ?? 70,
            ...(snapshots.height ? { height: snapshots.height } : {}),
          },
    live: c.restream.enabled ? { streams: { [streamName(c)]: streamName(c) } } : { streams: {} },
    record: { enabled: false, enabled_in_config: false },
    motion: { enabled: false, enabled_in_config: false, threshold: 30, contour_area: 10 },
    audio: { enabled: false, enabled_in_config: false, listen: [] },
    onvif: { autotracking: { enabled: false, enabled_in_config: false } },
  };
}

/** The annotated restream's name as the integration's stream URL `rtsp://<host>:8554/<name>` wants it. */
function streamName(c: CameraConfig): string {
  return c.restream.path.replace(/^\//, '');
}
