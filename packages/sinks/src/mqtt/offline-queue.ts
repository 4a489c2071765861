import { type DropClass, dropClass } from './drop-rank.js';
import type { QueuedMessage } from './message.js';

export interface OfflineQueueLimits {
  /** Most messages held; at the bound the least valuable goes first (see `dropClass`), oldest first within a rank. */
  readonly maxMessages: number;
  /** A message older than this is discarded instead of being delivered late. */
  readonly maxAgeMs: number;
  /** Most bytes (topics and payloads) held, bounded like `maxMessages`. Default: unbounded. */
  readonly maxBytes?: number;
}

export interface OfflineQueueDrops {
  /** Pushed out by the count or byte bound. */
  overflow: number;
  /** Expired by the age bound. */
  expired: number;
}

interface Entry extends DropClass {
  readonly message: QueuedMessage;
  readonly seq: number;
  readonly bytes: number;
}

/**
 * The messages produced while the broker is unreachable, delivered in the order they came, bounded
 * by count, bytes and age. When full it drops the least valuable first: detections, stats and
 * retained state before `update` events before `new`/`end` events; among `new`/`end` only, a whole
 * object (its `new` and `end` both queued) goes before a lone half, so a subscriber never sees a
 * start without its end. A retained message replaces a queued one on the same topic.
 */
export class OfflineQueue {
  // One FIFO per drop rank; `seq` restores the overall order on drain.
  readonly #ranks: [Entry[], Entry[], Entry[]] = [[], [], []];
  readonly drops: OfflineQueueDrops = { overflow: 0, expired: 0 };
  #seq = 0;
  #size = 0;
  #bytes = 0;

  constructor(
    private readonly limits: OfflineQueueLimits,
    private readonly now: () => number,
    private readonly onDrop: (reason: keyof OfflineQueueDrops, message: QueuedMessage) => void = () => {},
    /** Told about a queued retained message that a newer one on its topic replaced. */
    private readonly onReplaced: (message: QueuedMessage) => void = () => {},
  ) {}

  get size(): number {
    return this.#size;
  }

  /** Topic and payload bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  push(message: Omit<QueuedMessage, 'queuedAt'> & { queuedAt?: number }): void {
    this.expire();
    const queued: QueuedMessage = { ...message, queuedAt: message.queuedAt ?? this.now() };
    if (queued.retain) {
      for (const rank of this.#ranks) {
        const same = rank.findIndex((e) => e.message.retain && e.message.topic === queued.topic);
        if (same < 0) continue;
        const [old] = rank.splice(same, 1) as [Entry];
        this.#forget(old);
        this.onReplaced(old.message);
      }
    }
    const entry: Entry = {
      ...dropClass(queued),
      message: queued,
      seq: this.#seq++,
      bytes: Buffer.byteLength(queued.topic) + Buffer.byteLength(queued.payload),
    };
    const maxBytes = this.limits.maxBytes ?? Number.POSITIVE_INFINITY;
    if (this.limits.maxMessages <= 0 || entry.bytes > maxBytes) {
      this.drops.overflow++;
      this.onDrop('overflow', queued);
      return;
    }
    while (this.#size >= this.limits.maxMessages || this.#bytes + entry.bytes > maxBytes) {
      const rank = this.#ranks.findIndex((entries) => entries.length > 0);
      if (rank < 0) break;
      if (rank > entry.rank) {
        // Everything held is worth more than the newcomer: it is the one to lose.
        this.drops.overflow++;
        this.onDrop('overflow', queued);
        return;
      }
      for (const victim of this.#takeVictims(rank)) {
        this.drops.overflow++;
        this.onDrop('overflow', victim.message);
      }
    }
    this.#ranks[entry.rank].push(entry);
    this.#size++;
    this.#bytes += entry.bytes;
  }

  /** Takes every message still within the age bound, oldest first. */
  drain(): QueuedMessage[] {
    this.expire();
    const all = this.#ranks.flatMap((rank) => rank.splice(0, rank.length));
    this.#size = 0;
    this.#bytes = 0;
    return all.sort((a, b) => a.seq - b.seq).map((e) => e.message);
  }

  /** Drops messages older than the age bound. */
  expire(): void {
    const cutoff = this.now() - this.limits.maxAgeMs;
    for (const rank of this.#ranks) {
      while (rank.length > 0 && rank[0]!.message.queuedAt < cutoff) {
        const old = rank.shift()!;
        this.#forget(old);
        this.drops.expired++;
        this.onDrop('expired', old.message);
      }
    }
  }

  #forget(entry: Entry): void {
    this.#size--;
    this.#bytes -= entry.bytes;
  }

  /** Removes the oldest message of `rank`; among `new`/`end` events, the oldest whole object first. */
  #takeVictims(rank: number): Entry[] {
    const entries = this.#ranks[rank]!;
    const taken = rank === 2 ? takeWholeObject(entries) : entries.splice(0, 1);
    for (const entry of taken) this.#forget(entry);
    return taken;
  }
}

/** Removes the oldest `new` whose `end` is queued too, with that `end`; else the oldest entry. */
function takeWholeObject(entries: Entry[]): Entry[] {
  const ended = new Set<string>();
  for (const e of entries) if (e.eventType === 'end' && e.trackId) ended.add(e.trackId);
  const start = entries.findIndex((e) => e.eventType === 'new' && e.trackId && ended.has(e.trackId));
  if (start < 0) return entries.splice(0, 1);
  const id = entries[start]!.trackId;
  const end = entries.findIndex((e, i) => i > start && e.eventType === 'end' && e.trackId === id);
  if (end < 0) return entries.splice(start, 1);
  const [last] = entries.splice(end, 1);
  const [first] = entries.splice(start, 1);
  return [first!, last!];
}
