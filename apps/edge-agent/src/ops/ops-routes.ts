import type { HttpRoute } from './http-routes.js';

/** What the ops endpoints ask the running agent. */
export interface HttpProbe {
  /** The process is alive and its loop answers. */
  health(): { ok: boolean; detail?: unknown };
  /** Detectors loaded and every enabled camera online (with reasons when not). */
  ready(): { ok: boolean; detail?: unknown };
  metrics(): Promise<{ contentType: string; body: string }>;
  cameras(): unknown;
}

/** `/healthz`, `/readyz`, `/metrics` (Prometheus text) and `/api/cameras` (JSON). */
export function opsRoutes(probe: HttpProbe): HttpRoute[] {
  return [
    {
      pattern: '/healthz',
      handle: () => {
        const h = probe.health();
        return { status: h.ok ? 200 : 503, json: { status: h.ok ? 'ok' : 'unhealthy', detail: h.detail } };
      },
    },
    {
      pattern: '/readyz',
      handle: () => {
        const r = probe.ready();
        return { status: r.ok ? 200 : 503, json: { status: r.ok ? 'ready' : 'not ready', detail: r.detail } };
      },
    },
    {
      pattern: '/metrics',
      handle: async () => {
        const m = await probe.metrics();
        return { status: 200, body: m.body, contentType: m.contentType };
      },
    },
    { pattern: '/api/cameras', handle: () => ({ status: 200, json: probe.cameras() }) },
  ];
}
