import { type HttpRoute, notFound } from '../http-routes.js';
import { applyState, areaApplyRoute } from './area-apply.js';
import { MjpegHub } from './mjpeg-hub.js';
import { mjpegRoute } from './mjpeg-route.js';
import { readStaticAssets, type StaticFile } from './static-assets.js';
import type { WebSource } from './web-source.js';

const NOT_BUILT =
  '<!doctype html><title>rxvision</title><p>The web page is not built: run <code>npm run build</code> in the repository.</p>';

/**
 * The web page (`/`, `/assets/…`), its JSON (`/web/cameras/<camera>`), the editor's apply
 * (`POST /api/<camera>/areas`) and the MJPEG streams (`/api/<camera>`). Last in the route table: `/api/:camera` would match every other `/api/x`.
 */
export function webRoutes(source: WebSource, hub = webMjpegHub(source)): HttpRoute[] {
  const assets = readStaticAssets();
  const file = (found: StaticFile | undefined, cache: string) =>
    found
      ? { status: 200, body: found.body, contentType: found.contentType, headers: { 'cache-control': cache } }
      : notFound('no such file');
  const index = assets.get('/index.html');
  return [
    {
      pattern: '/',
      handle: () =>
        index
          ? file(index, 'no-cache')
          : { status: 200, body: NOT_BUILT, contentType: 'text/html; charset=utf-8' },
    },
    // Vite names assets by content hash, so a browser may keep them for good.
    {
      pattern: '/assets/:file',
      handle: ({ params }) => file(assets.get(`/assets/${params.file}`), 'max-age=31536000, immutable'),
    },
    {
      pattern: '/web/cameras/:camera',
      handle: async ({ params }) => {
        const camera = params.camera ?? '';
        const config = source.config().cameras[camera];
        if (!config) return notFound(`no camera named "${camera}"`);
        const tracked = source.latest.get(camera);
        return {
          status: 200,
          json: {
            camera,
            frame: tracked ? { width: tracked.frame.width, height: tracked.frame.height } : null,
            zones: config.zones.map((z) => ({ name: z.name, points: z.coordinates })),
            lines: config.lines.map((l) => ({ name: l.name, points: l.coordinates })),
            counts: countByLabel(tracked?.tracks ?? []),
            lineCounts: tracked?.lineCounts ?? {},
            lineTotals: await source.lineTotals(camera),
            history: source.history.samples(camera),
            apply: applyState(source.areasEditor),
          },
        };
      },
    },
    areaApplyRoute(source.areasEditor, source),
    mjpegRoute(hub, (camera) => source.config().cameras[camera] !== undefined),
  ];
}

/** The MJPEG hub over the agent's newest frames and each camera's configured zones and lines. */
export function webMjpegHub(source: WebSource): MjpegHub {
  return new MjpegHub({
    latest: source.latest,
    areas: (camera) => {
      const config = source.config().cameras[camera];
      return {
        zones: (config?.zones ?? []).map((z) => ({ name: z.name, points: z.coordinates })),
        lines: (config?.lines ?? []).map((l) => ({ name: l.name, points: l.coordinates })),
      };
    },
    ...(source.ffmpegPath ? { ffmpegPath: source.ffmpegPath } : {}),
  });
}

function countByLabel(tracks: readonly { label: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tracks) counts[t.label] = (counts[t.label] ?? 0) + 1;
  return counts;
}
