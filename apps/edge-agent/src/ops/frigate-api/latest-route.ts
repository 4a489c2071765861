import { fullImage } from '@rxvision/decode';
import { frameJpeg } from '@rxvision/sinks';
import { busy, type HttpRoute, notFound } from '../http-routes.js';
import type { FrigateApiSource } from './frigate-source.js';

/**
 * `/api/<camera>/latest.jpg`: the camera's newest processed frame as JPEG; `?bbox=1` draws its
 * tracks, zones and lines, `?h=` scales it to that height, `?quality=` sets the JPEG quality.
 */
export function latestRoute(source: FrigateApiSource): HttpRoute {
  return {
    pattern: '/api/:camera/latest.jpg',
    handle: async ({ params, query }) => {
      const camera = params.camera ?? '';
      const config = source.config().cameras[camera];
      if (!config) return notFound(`no camera named "${camera}"`);
      const tracked = source.latest.get(camera);
      if (!tracked) return notFound(`camera ${camera} has processed no frame yet`);
      const image = fullImage(tracked.frame);
      if (!image) return notFound(`camera ${camera} decodes the model input only`);
      const height = positive(query.get('h'));
      const quality = positive(query.get('quality'));
      const jpeg = await frameJpeg(
        image,
        {
          ...(height ? { height } : {}),
          ...(quality ? { quality } : {}),
          ...(query.get('bbox') === '1'
            ? {
                annotate: {
                  tracks: tracked.tracks,
                  options: {
                    zones: config.zones.map((z) => ({ name: z.name, points: z.coordinates })),
                    lines: config.lines.map((l) => ({ name: l.name, points: l.coordinates })),
                  },
                },
              }
            : {}),
        },
        source.ffmpegPath,
      );
      if (jpeg === 'skipped') return busy();
      return { status: 200, body: jpeg, contentType: 'image/jpeg', headers: { 'cache-control': 'no-store' } };
    },
  };
}

function positive(raw: string | null): number | undefined {
  const value = Number(raw);
  return raw !== null && Number.isFinite(value) && value > 0 ? value : undefined;
}
