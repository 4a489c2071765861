/** What `fleet apply` stores per camera: the camera's own config section and, optionally, its site. */
export interface StoredCamera {
  readonly site?: string;
  /** `cameras.<id>` exactly as written in cameras.yml, validated when it is applied. */
  readonly camera: Readonly<Record<string, unknown>>;
}

/** A box's heartbeat, refreshed every interval; the bucket's TTL removes it when the box dies. */
export interface BoxHeartbeat {
  readonly box: string;
  readonly site: string;
  /** images/s this box can detect. */
  readonly capacity: number;
  /** images/s its running cameras ask for. */
  readonly load: number;
  readonly cameras: readonly string[];
  readonly leader: boolean;
  readonly version: string;
  /** ms since the epoch. */
  readonly at: number;
}

/** The leader's lease. */
export interface LeaderLease {
  readonly box: string;
  readonly since: number;
}

/** The assignment the leader writes: camera id → box id. */
export interface AssignmentRecord {
  readonly leader: string;
  readonly at: number;
  readonly cameras: Readonly<Record<string, string>>;
}

/** `T` from a KV value written by another agent, or `undefined` when it is not JSON of an object. */
export function parseRecord<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
