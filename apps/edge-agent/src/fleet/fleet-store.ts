import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { FleetConfig } from '../config/types.js';
import {
  type AssignmentRecord,
  type BoxHeartbeat,
  type LeaderLease,
  parseRecord,
  type StoredCamera,
} from './fleet-records.js';

const LEASE_KEY = 'leader';
const ASSIGNMENT_KEY = 'assignment';

/** A value with the KV revision it was read at (for compare-and-set writes). */
export interface Revisioned<T> {
  readonly value: T;
  readonly revision: number;
}

/**
 * The fleet's four JetStream key-value buckets: desired cameras (`<bucket>_cameras`), heartbeats
 * with the heartbeat TTL (`<bucket>_boxes`), the leader lease with the lease TTL
 * (`<bucket>_leader`) and the assignment (`<bucket>_assignment`).
 */
export class FleetStore {
  private constructor(
    readonly connection: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly names: Readonly<Record<'cameras' | 'boxes', string>>,
    private readonly cameras: KV,
    private readonly boxes: KV,
    private readonly leader: KV,
    private readonly assignments: KV,
  ) {}

  /**
   * Connects (waiting for a server that is not up yet, reconnecting forever) and opens the
   * buckets, creating them when missing.
   */
  static async open(
    fleet: Pick<FleetConfig, 'nats' | 'bucket' | 'heartbeatTtlMs' | 'leaseTtlMs' | 'heartbeatIntervalMs'>,
    name: string,
    /** Wait for a server that is not up yet (the agent) instead of failing at once (the CLI). */
    waitForServer = true,
  ): Promise<FleetStore> {
    const { nats } = fleet;
    // Half a TTL: a slow server still counts as answering, well before anyone is declared dead.
    const timeout = Math.max(2000, fleet.heartbeatTtlMs / 2);
    const connection = await connect({
      servers: nats.servers,
      name,
      ...(nats.user ? { user: nats.user } : {}),
      ...(nats.password ? { pass: nats.password } : {}),
      ...(nats.token ? { token: nats.token } : {}),
      waitOnFirstConnect: waitForServer,
      maxReconnectAttempts: waitForServer ? -1 : 0,
      reconnectTimeWait: Math.min(fleet.heartbeatIntervalMs, 2000),
      timeout,
    });
    try {
      const kvm = new Kvm(connection);
      const bucket = async (suffix: string, ttl?: number) =>
        kvm.create(`${fleet.bucket}_${suffix}`, {
          history: 1,
          timeout,
          ...(ttl ? { ttl } : {}),
        });
      return new FleetStore(
        connection,
        await jetstreamManager(connection, { timeout }),
        { cameras: `${fleet.bucket}_cameras`, boxes: `${fleet.bucket}_boxes` },
        await bucket('cameras'),
        await bucket('boxes', fleet.heartbeatTtlMs),
        await bucket('leader', fleet.leaseTtlMs),
        await bucket('assignment'),
      );
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => {});
  }

  /** Every desired camera (skipping values that are not ours). */
  async desiredCameras(): Promise<Record<string, StoredCamera>> {
    return this.readAll<StoredCamera>(
      this.names.cameras,
      this.cameras,
      (v) => typeof v.camera === 'object' && v.camera !== null,
    );
  }

  /** Makes the desired cameras exactly `cameras`: puts each, deletes the others. */
  async replaceCameras(cameras: Readonly<Record<string, StoredCamera>>): Promise<{ removed: string[] }> {
    const removed = Object.keys(await this.desiredCameras()).filter((id) => !(id in cameras));
    for (const [id, camera] of Object.entries(cameras)) await this.cameras.put(id, JSON.stringify(camera));
    for (const id of removed) await this.cameras.delete(id);
    return { removed };
  }

  async heartbeat(beat: BoxHeartbeat): Promise<void> {
    await this.boxes.put(beat.box, JSON.stringify(beat));
  }

  /** The heartbeats JetStream still holds (a dead box's stays until the bucket's TTL removes it). */
  async heartbeats(): Promise<Record<string, Revisioned<BoxHeartbeat>>> {
    return this.readAllRevisioned<BoxHeartbeat>(
      this.names.boxes,
      this.boxes,
      (v) => typeof v.box === 'string' && typeof v.capacity === 'number',
    );
  }

  /** The box leaving cleanly removes its heartbeat at once instead of waiting for the TTL. */
  async leave(box: string): Promise<void> {
    await this.boxes.delete(box);
  }

  async lease(): Promise<Revisioned<LeaderLease> | undefined> {
    return readOne<LeaderLease>(this.leader, LEASE_KEY);
  }

  /** Takes the lease if nobody holds it; resolves its revision, or `undefined` when another box holds it. */
  async acquireLease(lease: LeaderLease): Promise<number | undefined> {
    return this.leader.create(LEASE_KEY, JSON.stringify(lease)).catch(casFailure);
  }

  /** Renews the lease held at `revision` (or takes over a stale one); `undefined` when another box wrote it first. */
  async renewLease(lease: LeaderLease, revision: number): Promise<number | undefined> {
    return this.leader.update(LEASE_KEY, JSON.stringify(lease), revision).catch(casFailure);
  }

  async releaseLease(revision: number): Promise<void> {
    await this.leader.delete(LEASE_KEY, { previousSeq: revision }).catch(() => {});
  }

  async assignment(): Promise<Revisioned<AssignmentRecord> | undefined> {
    return readOne<AssignmentRecord>(this.assignments, ASSIGNMENT_KEY);
  }

  /** Writes the assignment if it is still at `revision` (0: none yet); `undefined` when someone wrote first. */
  async writeAssignment(record: AssignmentRecord, revision: number): Promise<number | undefined> {
    const payload = JSON.stringify(record);
    const write =
      revision === 0
        ? this.assignments.create(ASSIGNMENT_KEY, payload)
        : this.assignments.update(ASSIGNMENT_KEY, payload, revision);
    return write.catch(casFailure);
  }

  /**
   * Every key's current value. Keys are listed from the stream's subjects (one request/reply)
   * rather than with `kv.keys()`, whose consumer can end early on a loaded server and return none.
   */
  private async readAllRevisioned<T>(
    bucket: string,
    kv: KV,
    valid: (value: Partial<T> & Record<string, unknown>) => boolean,
  ): Promise<Record<string, Revisioned<T>>> {
    const prefix = `$KV.${bucket}.`;
    const info = await this.jsm.streams.info(`KV_${bucket}`, { subjects_filter: `${prefix}>` });
    const keys = Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(prefix.length));
    const out: Record<string, Revisioned<T>> = {};
    for (const key of keys.sort()) {
      const entry = await kv.get(key);
      if (entry?.operation !== 'PUT') continue;
      const value = parseRecord<Partial<T> & Record<string, unknown>>(entry.string());
      if (value && valid(value)) out[key] = { value: value as T, revision: entry.revision };
    }
    return out;
  }

  private async readAll<T>(
    bucket: string,
    kv: KV,
    valid: (value: Partial<T> & Record<string, unknown>) => boolean,
  ): Promise<Record<string, T>> {
    const out: Record<string, T> = {};
    for (const [key, entry] of Object.entries(await this.readAllRevisioned<T>(bucket, kv, valid)))
      out[key] = entry.value;
    return out;
  }
}

/** A compare-and-set write that lost the race resolves `undefined`; anything else (NATS down) throws. */
function casFailure(error: Error): undefined {
  if (/wrong last sequence|key exists/i.test(error.message)) return undefined;
  throw error;
}

async function readOne<T>(kv: KV, key: string): Promise<Revisioned<T> | undefined> {
  const entry = await kv.get(key);
  if (entry?.operation !== 'PUT') return undefined;
  const value = parseRecord<T>(entry.string());
  return value ? { value, revision: entry.revision } : undefined;
}
