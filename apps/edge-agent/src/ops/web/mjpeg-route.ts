import { type HttpRoute, notFound } from '../http-routes.js';
import { MJPEG_CONTENT_TYPE, type MjpegHub, type MjpegVariant } from './mjpeg-hub.js';

/** Frigate's defaults for `/api/<camera>` (fps 3, 360 px high), and the bounds a viewer may ask within. */
const FPS = { default: 3, min: 1, max: 10 };
const HEIGHT = { default: 360, min: 90, max: 1080 };

/**
 * `/api/<camera>`: the camera's processed frames as MJPEG (what browsers and Home Assistant's MJPEG
 * camera show), with Frigate's `fps`, `height`, `bbox=1` (tracks) and `zones=1` (zones and lines).
 */
export function mjpegRoute(hub: MjpegHub, hasCamera: (camera: string) => boolean): HttpRoute {
  return {
    pattern: '/api/:camera',
    handle: ({ params, query }) => {
      const camera = params.camera ?? '';
      if (!hasCamera(camera)) return notFound(`no camera named "${camera}"`);
      const variant: MjpegVariant = {
        fps: bounded(query.get('fps'), FPS),
        height: bounded(query.get('height'), HEIGHT),
        bbox: query.get('bbox') === '1',
        zones: query.get('zones') === '1',
      };
      return {
        status: 200,
        contentType: MJPEG_CONTENT_TYPE,
        headers: { 'cache-control': 'no-store', connection: 'close' },
        stream: (sink) => hub.watch(camera, variant, sink),
      };
    },
  };
}

function bounded(raw: string | null, rule: { default: number; min: number; max: number }): number {
  const value = Math.round(Number(raw));
  if (raw === null || !Number.isFinite(value)) return rule.default;
  return Math.min(rule.max, Math.max(rule.min, value));
}
