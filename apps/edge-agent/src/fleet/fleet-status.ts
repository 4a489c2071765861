import type { BoxHeartbeat, LeaderLease } from './fleet-records.js';
import type { FleetStore } from './fleet-store.js';

/** What `edge-agent fleet status` shows. */
export interface FleetStatus {
  readonly leader?: LeaderLease;
  readonly assignmentRevision: number;
  readonly boxes: readonly BoxHeartbeat[];
  /** camera id → box id, or `null` when no live box of its site can take it. */
  readonly cameras: Readonly<Record<string, string | null>>;
}

export async function readFleetStatus(store: FleetStore): Promise<FleetStatus> {
  const [lease, assignment, boxes, desired] = await Promise.all([
    store.lease(),
    store.assignment(),
    store.heartbeats(),
    store.desiredCameras(),
  ]);
  const assigned = assignment?.value.cameras ?? {};
  return {
    ...(lease ? { leader: lease.value } : {}),
    assignmentRevision: assignment?.revision ?? 0,
    boxes: Object.values(boxes).map((b) => b.value),
    cameras: Object.fromEntries(Object.keys(desired).map((id) => [id, assigned[id] ?? null])),
  };
}

export function formatFleetStatus(status: FleetStatus, now = Date.now()): string {
  const lines = [
    `leader: ${status.leader ? `${status.leader.box} (since ${new Date(status.leader.since).toISOString()})` : 'none'}`,
    `assignment revision: ${status.assignmentRevision}`,
    `boxes (${status.boxes.length} with a heartbeat):`,
    ...status.boxes.map(
      (b) =>
        `  ${b.box}  heartbeat ${Math.max(0, Math.round((now - b.at) / 1000))} s ago  site ${b.site}  capacity ${b.capacity} images/s  load ${b.load} images/s  cameras ${b.cameras.length}${b.leader ? '  leader' : ''}`,
    ),
    `cameras (${Object.keys(status.cameras).length}):`,
    ...Object.entries(status.cameras).map(
      ([id, box]) => `  ${id} → ${box ?? '(unplaced: no live box of its site)'}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
