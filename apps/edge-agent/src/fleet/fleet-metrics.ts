import { Gauge, type Registry } from 'prom-client';
import type { FleetState } from './fleet-member.js';

/** Registers the fleet gauges in the agent's registry; each reads `state()` at scrape time. */
export function registerFleetMetrics(registry: Registry, state: () => FleetState): void {
  const gauge = (name: string, help: string, value: (s: FleetState) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['box', 'site'] as const,
      registers: [registry],
      collect() {
        const s = state();
        this.reset();
        this.set({ box: s.box, site: s.site }, value(s));
      },
    });
  gauge('rxvision_fleet_leader', '1 while this box holds the fleet leader lease.', (s) =>
    s.role === 'leader' ? 1 : 0,
  );
  gauge('rxvision_fleet_connected', '1 while the last round trip to NATS worked.', (s) =>
    s.connected ? 1 : 0,
  );
  gauge(
    'rxvision_fleet_assignment_revision',
    'KV revision of the camera assignment this box applied (0: none yet).',
    (s) => s.assignmentRevision,
  );
  gauge('rxvision_fleet_cameras', 'Fleet cameras assigned to and run by this box.', (s) => s.cameras.length);
  gauge(
    'rxvision_fleet_capacity_images_per_second',
    "This box's detection capacity, images/s.",
    (s) => s.capacity,
  );
}
