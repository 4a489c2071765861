import type { QueuedMessage } from './message.js';

export interface OfflineQueueLimits {
  /** Most messages held; the oldest goes first when a new one arrives at the bound. */
  readonly maxMessages: number;
  /** A message older than this is discarded instead of being delivered late. */
  readonly maxAgeMs: number;
}

export interface OfflineQueueDrops {
  /** Pushed out by the count bound. */
  overflow: number;
  /** Expired by the age bound. */
  expired: number;
}

/**
 * A FIFO of messages produced while the broker is unreachable, bounded by count and by age.
 * A retained message replaces a queued one on the same topic: only the latest state matters.
 */
export class OfflineQueue {
  readonly #items: QueuedMessage[] = [];
  readonly drops: OfflineQueueDrops = { overflow: 0, expired: 0 };

  constructor(
    private readonly limits: OfflineQueueLimits,
    private readonly now: () => number,
    private readonly onDrop: (reason: keyof OfflineQueueDrops, message: QueuedMessage) => void = () => {},
  ) {}

  get size(): number {
    return this.#items.length;
  }

  push(message: Omit<QueuedMessage, 'queuedAt'> & { queuedAt?: number }): void {
    this.expire();
    const queued: QueuedMessage = { ...message, queuedAt: message.queuedAt ?? this.now() };
    if (queued.retain) {
      const same = this.#items.findIndex((m) => m.retain && m.topic === queued.topic);
      if (same >= 0) this.#items.splice(same, 1);
    }
    while (this.#items.length >= this.limits.maxMessages) {
      const oldest = this.#items.shift();
      if (!oldest) break;
      this.drops.overflow++;
      this.onDrop('overflow', oldest);
    }
    if (this.limits.maxMessages > 0) this.#items.push(queued);
    else {
      this.drops.overflow++;
      this.onDrop('overflow', queued);
    }
  }

  /** Takes every message still within the age bound, oldest first. */
  drain(): QueuedMessage[] {
    this.expire();
    return this.#items.splice(0, this.#items.length);
  }

  /** Drops messages older than the age bound. */
  expire(): void {
    const cutoff = this.now() - this.limits.maxAgeMs;
    while (this.#items.length > 0 && this.#items[0]!.queuedAt < cutoff) {
      const old = this.#items.shift()!;
      this.drops.expired++;
      this.onDrop('expired', old);
    }
  }
}
