/**
 * When each key's KV revision last changed, on this box's own clock: a heartbeat or a lease whose
 * revision stood still for longer than its TTL is dead, whatever the clocks of other boxes say and
 * however late JetStream expires the key.
 */
export class RevisionWatch {
  private readonly seen = new Map<string, { revision: number; since: number }>();
  /** Keys read at least once since the last `forget()`, including those gone since. */
  private readonly known = new Set<string>();

  /** Records the revisions read now; keys not in `revisions` are forgotten. */
  observe(revisions: ReadonlyMap<string, number>, now: number): void {
    for (const key of [...this.seen.keys()]) if (!revisions.has(key)) this.seen.delete(key);
    for (const [key, revision] of revisions) {
      this.known.add(key);
      if (this.seen.get(key)?.revision !== revision) this.seen.set(key, { revision, since: now });
    }
  }

  /** Whether `key` is known and its revision has not changed for more than `ttlMs`. */
  stale(key: string, now: number, ttlMs: number): boolean {
    const entry = this.seen.get(key);
    return entry !== undefined && now - entry.since > ttlMs;
  }

  /** Whether `key` was read since the last `forget()`, even if it is gone now. */
  wasSeen(key: string): boolean {
    return this.known.has(key);
  }

  /** After NATS was unreachable nothing is known: every key starts its TTL again. */
  forget(): void {
    this.seen.clear();
    this.known.clear();
  }
}
