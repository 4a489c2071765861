import { exhaustMap, from, type SchedulerLike, type Subscription, timer } from 'rxjs';
import type { FleetConfig } from '../config/types.js';
import type { AgentLogger } from '../ops/logger.js';
import { type Assignment, assignCameras } from './assignment.js';
import { cameraCost } from './camera-cost.js';
import type { AssignmentRecord, BoxHeartbeat, StoredCamera } from './fleet-records.js';
import { FleetStore, type Revisioned } from './fleet-store.js';
import { RevisionWatch } from './revision-watch.js';

/** What `/api/cameras`, `/metrics` and `fleet status` show of this agent's place in the fleet. */
export interface FleetState {
  readonly box: string;
  readonly site: string;
  readonly capacity: number;
  readonly role: 'connecting' | 'leader' | 'member';
  /** Whether the last round trip to NATS worked. */
  readonly connected: boolean;
  /** KV revision of the assignment this box applied (0: none yet). */
  readonly assignmentRevision: number;
  readonly cameras: readonly string[];
}

export interface FleetMemberOptions {
  readonly fleet: FleetConfig;
  /** images/s this box can detect. */
  readonly capacity: number;
  readonly version: string;
  readonly log: AgentLogger;
  /** Runs exactly these fleet cameras on this box (the agent's `reload()`); rejects when it cannot. */
  readonly apply: (cameras: Readonly<Record<string, StoredCamera>>) => Promise<void>;
  readonly scheduler?: SchedulerLike;
  readonly now?: () => number;
}

/**
 * One agent's part in the fleet, once per heartbeat interval: heartbeat, hold or try the leader
 * lease, rebalance when leader, and run the cameras the assignment gives this box. When NATS is
 * unreachable nothing changes: the box keeps its cameras and reconciles once NATS answers again.
 */
export class FleetMember {
  private store?: FleetStore;
  private opening?: Promise<void>;
  private loop?: Subscription;
  private leaseRevision?: number;
  private leaderSince = 0;
  private connected = false;
  private unreachableSince?: number;
  /** The assignment the agent refused, so its error is logged once, not every interval. */
  private refusedJson?: string;
  private assignmentRevision = 0;
  private applied: Readonly<Record<string, StoredCamera>> = {};
  private appliedJson = '{}';
  private stopped = false;
  private readonly boxes = new RevisionWatch();
  private readonly lease = new RevisionWatch();
  private applying?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: FleetMemberOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const { fleet, log } = this.options;
    this.opening = FleetStore.open(fleet, `rxvision ${fleet.box}`).then(
      (store) => {
        if (this.stopped) return store.close();
        this.store = store;
        log.info('fleet: connected to NATS', { servers: fleet.nats.servers, box: fleet.box });
      },
      (error: Error) =>
        log.error('fleet: cannot open the JetStream buckets; running local cameras only', {
          error: error.message,
          hint: 'start nats-server with JetStream (`nats-server -js`) and check `fleet.nats`',
        }),
    );
    this.loop = timer(0, fleet.heartbeatIntervalMs, this.options.scheduler)
      .pipe(exhaustMap(() => from(this.tick())))
      .subscribe();
  }

  state(): FleetState {
    const { fleet, capacity } = this.options;
    return {
      box: fleet.box,
      site: fleet.site,
      capacity,
      role: !this.store ? 'connecting' : this.leaseRevision !== undefined ? 'leader' : 'member',
      connected: this.connected,
      assignmentRevision: this.assignmentRevision,
      cameras: Object.keys(this.applied),
    };
  }

  /** Applies the current assignment again (after the agent's own config file changed). */
  reapply(): Promise<void> {
    return this.options.apply(this.applied);
  }

  /** Leaves the fleet: gives the lease up and removes the heartbeat, so the cameras move at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.loop?.unsubscribe();
    await this.opening;
    await this.applying;
    const store = this.store;
    if (!store) return;
    if (this.leaseRevision !== undefined) await store.releaseLease(this.leaseRevision);
    await store.leave(this.options.fleet.box).catch(() => {});
    await store.close();
  }

  private async tick(): Promise<void> {
    const store = this.store;
    if (!store || this.stopped) return;
    const { fleet } = this.options;
    try {
      await store.heartbeat({
        box: fleet.box,
        site: fleet.site,
        capacity: this.options.capacity,
        load: Object.values(this.applied).reduce((sum, c) => sum + cameraCost(c), 0),
        cameras: Object.keys(this.applied),
        leader: this.leaseRevision !== undefined,
        version: this.options.version,
        at: this.now(),
      });
      await this.holdLease(store);
      const [beats, desired, current] = await Promise.all([
        store.heartbeats(),
        store.desiredCameras(),
        store.assignment(),
      ]);
      this.boxes.observe(new Map(Object.entries(beats).map(([box, b]) => [box, b.revision])), this.now());
      const assignment =
        this.leaseRevision !== undefined ? await this.rebalance(store, beats, desired, current) : current;
      this.follow(beats, desired, assignment);
      if (this.unreachableSince !== undefined)
        this.options.log.info('fleet: NATS answers again; assignment reconciled', {
          afterMs: this.now() - this.unreachableSince,
        });
      this.unreachableSince = undefined;
      this.connected = true;
    } catch (error) {
      if (this.unreachableSince === undefined)
        this.options.log.warn('fleet: NATS unreachable; keeping the running cameras', {
          error: (error as Error).message,
        });
      this.unreachableSince ??= this.now();
      this.connected = false;
      // Nothing seen while NATS was away says a box or the leader died: their TTLs start again.
      this.boxes.forget();
      this.lease.forget();
    }
  }

  /** Renews the lease; or takes it when there is none, or when its revision stood still past the lease TTL. */
  private async holdLease(store: FleetStore): Promise<void> {
    const { box, leaseTtlMs } = this.options.fleet;
    const now = this.now();
    if (this.leaseRevision !== undefined) {
      this.leaseRevision = await store.renewLease({ box, since: this.leaderSince }, this.leaseRevision);
      if (this.leaseRevision === undefined) this.options.log.warn('fleet: lost the leader lease');
      return;
    }
    const current = await store.lease();
    this.lease.observe(new Map(current ? [['leader', current.revision]] : []), now);
    if (current && !this.lease.stale('leader', now, leaseTtlMs)) return;
    const lease = { box, since: now };
    this.leaseRevision = current
      ? await store.renewLease(lease, current.revision)
      : await store.acquireLease(lease);
    if (this.leaseRevision === undefined) return;
    this.leaderSince = now;
    this.options.log.info('fleet: became leader', {
      box,
      ...(current ? { after: current.value.box, reason: 'its lease was not renewed' } : {}),
    });
  }

  /** Writes a new assignment when the live boxes or the desired cameras call for one; resolves the one in force. */
  private async rebalance(
    store: FleetStore,
    beats: Readonly<Record<string, Revisioned<BoxHeartbeat>>>,
    desired: Readonly<Record<string, StoredCamera>>,
    current: Revisioned<AssignmentRecord> | undefined,
  ): Promise<Revisioned<AssignmentRecord> | undefined> {
    const previous = current?.value.cameras ?? {};
    const now = this.now();
    const { heartbeatTtlMs, heartbeatIntervalMs } = this.options.fleet;
    const alive = Object.values(beats)
      .filter((b) => !this.boxes.stale(b.value.box, now, heartbeatTtlMs))
      .map((b) => b.value);
    // A new leader waits two intervals so boxes starting together all heartbeat before its first
    // write, and one heartbeat TTL before it takes cameras from a box whose heartbeat it never saw
    // (NATS just restarted with every heartbeat expired).
    const leaderFor = now - this.leaderSince;
    const unseen = Object.values(previous).some((box) => !beats[box] && !this.boxes.wasSeen(box));
    if (leaderFor < 2 * heartbeatIntervalMs || (unseen && leaderFor < heartbeatTtlMs)) return current;
    // A read that lacks the heartbeat this box has just written is not a view to act on.
    if (!beats[this.options.fleet.box]) return current;
    const next = assignCameras({
      cameras: Object.entries(desired).map(([id, c]) => ({
        id,
        ...(c.site !== undefined ? { site: c.site } : {}),
        cost: cameraCost(c),
      })),
      boxes: alive.map((b) => ({ id: b.box, site: b.site, capacity: b.capacity })),
      previous,
      imbalance: this.options.fleet.rebalanceThreshold,
    });
    if (sameAssignment(next, previous)) return current;
    const record = { leader: this.options.fleet.box, at: now, cameras: next };
    const written = await store.writeAssignment(record, current?.revision ?? 0);
    if (written === undefined) return current;
    const moved = Object.keys(next).filter((id) => previous[id] !== undefined && previous[id] !== next[id]);
    this.options.log.info('fleet: assignment written', {
      revision: written,
      cameras: Object.keys(next).length,
      boxes: alive.map((b) => b.box),
      moved,
      unplaced: Object.keys(desired).filter((id) => next[id] === undefined),
    });
    return { value: record, revision: written };
  }

  /**
   * Runs the cameras assigned to this box. Break before make: a camera moving here starts only once
   * its previous box (while alive) no longer lists it in its heartbeat.
   */
  private follow(
    beats: Readonly<Record<string, Revisioned<BoxHeartbeat>>>,
    desired: Readonly<Record<string, StoredCamera>>,
    current: Revisioned<AssignmentRecord> | undefined,
  ): void {
    if (!current) return;
    const { box, heartbeatTtlMs } = this.options.fleet;
    const now = this.now();
    const elsewhere = new Set(
      Object.values(beats)
        .filter((b) => b.value.box !== box && !this.boxes.stale(b.value.box, now, heartbeatTtlMs))
        .flatMap((b) => b.value.cameras),
    );
    const mine: Record<string, StoredCamera> = {};
    for (const [id, assigned] of Object.entries(current.value.cameras)) {
      const camera = desired[id];
      if (assigned !== box || !camera) continue;
      if (elsewhere.has(id) && !(id in this.applied)) continue;
      mine[id] = camera;
    }
    const json = JSON.stringify(mine);
    if (json === this.appliedJson) this.assignmentRevision = current.revision;
    // Applied beside the loop, one at a time: starting cameras must not hold up heartbeats and lease renewals.
    if (json !== this.appliedJson && !this.applying) {
      this.applying = this.applyCameras(mine, json, current.revision).finally(() => {
        this.applying = undefined;
      });
    }
  }

  private async applyCameras(
    mine: Readonly<Record<string, StoredCamera>>,
    json: string,
    revision: number,
  ): Promise<void> {
    try {
      await this.options.apply(mine);
      this.applied = mine;
      this.appliedJson = json;
      this.assignmentRevision = revision;
      this.refusedJson = undefined;
    } catch (error) {
      if (json !== this.refusedJson)
        this.options.log.error('fleet: cannot run the assigned cameras; retrying every interval', {
          cameras: Object.keys(mine),
          error: (error as Error).message,
        });
      this.refusedJson = json;
    }
  }
}

function sameAssignment(a: Assignment, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
