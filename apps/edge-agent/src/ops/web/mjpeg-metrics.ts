import { Gauge, type Registry } from 'prom-client';
import type { MjpegHub } from './mjpeg-hub.js';

/** `rxvision_mjpeg_encoders` and `rxvision_mjpeg_viewers` per camera, read from the hub at scrape time. */
export function registerMjpegMetrics(registry: Registry, hub: MjpegHub): void {
  const gauge = (name: string, help: string, value: (c: { encoders: number; viewers: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['camera'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const c of hub.counts()) this.set({ camera: c.camera }, value(c));
      },
    });
  gauge(
    'rxvision_mjpeg_encoders',
    'MJPEG encoders running (one per camera and picture watched; none unwatched).',
    (c) => c.encoders,
  );
  gauge('rxvision_mjpeg_viewers', 'Clients watching the MJPEG stream at /api/<camera>.', (c) => c.viewers);
}
