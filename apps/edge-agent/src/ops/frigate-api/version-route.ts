import type { HttpRoute } from '../http-routes.js';
import { type FrigateApiSource, frigateVersion } from './frigate-source.js';

/** `/api/version`: plain text, as Frigate answers it (the integration compares it with 0.12). */
export function versionRoute(source: FrigateApiSource): HttpRoute {
  return {
    pattern: '/api/version',
    handle: () => ({ status: 200, body: frigateVersion(source), contentType: 'text/plain; charset=utf-8' }),
  };
}
