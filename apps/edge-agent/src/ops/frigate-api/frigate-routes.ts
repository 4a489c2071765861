import type { HttpRoute } from '../http-routes.js';
import { configRoute } from './config-route.js';
import { eventRoutes } from './events-route.js';
import type { FrigateApiSource } from './frigate-source.js';
import { latestRoute } from './latest-route.js';
import { statsRoute } from './stats-route.js';
import { versionRoute } from './version-route.js';

/** The read-only part of Frigate's HTTP API that the Home Assistant integration and notification blueprints use (docs/frigate-api.md). */
export function frigateRoutes(source: FrigateApiSource): HttpRoute[] {
  // The events routes come before `/api/:camera/latest.jpg`, so a camera named `events` cannot shadow them.
  return [
    versionRoute(source),
    configRoute(source),
    statsRoute(source),
    ...eventRoutes(source),
    latestRoute(source),
  ];
}
