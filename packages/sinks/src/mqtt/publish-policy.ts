import type { Logger } from '@rxvision/decode';
import type { MqttConnection } from './connection.js';
import type { MessageKind, OutgoingMessage, PublishOptions, QoS } from './message.js';
import { OfflineQueue, type OfflineQueueDrops, type OfflineQueueLimits } from './offline-queue.js';
import type { PersistentQueue } from './persistent-queue.js';
import type { StoredMessage } from './queue-log-record.js';

export interface PublishPolicyOptions {
  readonly url: string;
  readonly qos: Readonly<Record<MessageKind, QoS>>;
  readonly availableTopic: string;
  readonly queueLimits: OfflineQueueLimits;
  readonly dropDetectionsWhileOffline: boolean;
  readonly logger: Logger;
  /** The queue's clock (ms). */
  readonly now: () => number;
  /** Keeps every accepted QoS ≥ 1 message on disk until the broker acknowledges it. */
  readonly store?: PersistentQueue;
  /** What `store` still held when it was opened, queued first, in order. */
  readonly replayed?: readonly StoredMessage[];
  /** Called once `close` has flushed, before it disconnects (to stop timers). */
  readonly onClosed?: () => void;
}

/**
 * What happens to a message depending on the connection: sent now, held in the bounded offline
 * queue (QoS ≥ 1), or dropped and counted (QoS 0); the latest retained counts and statuses replayed
 * after a reconnect; flush and close.
 */
export class PublishPolicy {
  /** Messages the broker took, per kind. */
  readonly published: Record<MessageKind, number>;
  readonly #connection: MqttConnection;
  readonly #options: PublishPolicyOptions;
  readonly #queue: OfflineQueue;
  // Latest retained state (counts, camera status): re-sent after a reconnect in case the broker lost it.
  readonly #retained = new Map<string, OutgoingMessage>();
  #offlineDrops = 0;
  #closed = false;
  #flushing = false;

  constructor(connection: MqttConnection, options: PublishPolicyOptions) {
    this.#connection = connection;
    this.#options = options;
    this.published = Object.fromEntries(Object.keys(options.qos).map((k) => [k, 0])) as Record<
      MessageKind,
      number
    >;
    this.#queue = new OfflineQueue(
      options.queueLimits,
      options.now,
      (reason, message) => {
        this.#settle(message);
        this.#logDrop(
          reason === 'overflow'
            ? 'offline queue full (offlineQueue.maxMessages/maxBytes; detections, stats and updates go first)'
            : 'message too old (offlineQueue.maxAgeMs)',
          this.#queue.drops[reason],
          message.topic,
        );
      },
      (replaced) => this.#settle(replaced),
    );
    const replayed = options.replayed ?? [];
    if (replayed.length > 0)
      options.logger.info(
        `mqtt ${options.url}: ${replayed.length} message(s) from the offline queue file wait for the broker`,
      );
    for (const { id, ...message } of replayed) this.#queue.push({ ...message, storeId: id });
  }

  /** Messages waiting in the offline queue. */
  get queueDepth(): number {
    return this.#queue.size;
  }

  /** What the offline queue's bounds pushed out, and the QoS 0 messages lost while offline. */
  drops(): OfflineQueueDrops & { readonly offline: number } {
    return { ...this.#queue.drops, offline: this.#offlineDrops };
  }

  /** Publishes now, or queues while the broker is unreachable (QoS ≥ 1), or drops and counts (QoS 0). */
  publish(kind: MessageKind, topic: string, payload: string | Buffer, options: PublishOptions = {}): void {
    if (this.#closed) return;
    const accepted: OutgoingMessage = { kind, topic, payload, retain: options.retain ?? false };
    if (accepted.retain && (kind === 'counts' || kind === 'status')) this.#retained.set(topic, accepted);
    const message = this.#persist(accepted);
    if (this.#connection.connected && this.#queue.size === 0) {
      this.#connection.send(message);
      return;
    }
    if (this.#options.qos[kind] > 0 || (kind === 'detections' && !this.#options.dropDetectionsWhileOffline)) {
      this.#enqueue(message);
      if (this.#connection.connected) this.#deliverQueue();
      return;
    }
    this.#offlineDrops++;
    this.#logDrop('QoS 0 message not queued', this.#offlineDrops, topic);
  }

  /** The connection's `acknowledged` event. */
  acknowledged(message: OutgoingMessage): void {
    this.published[message.kind]++;
    this.#settle(message);
  }

  /** The connection's `undelivered` event: QoS ≥ 1 goes back in the queue (at least once). */
  undelivered(message: OutgoingMessage, why: 'failed' | 'connection lost'): void {
    if (this.#closed) return;
    if (this.#options.qos[message.kind] > 0) this.#enqueue(message);
    else if (why === 'connection lost') {
      // A QoS 0 write the dead socket never drained.
      this.#offlineDrops++;
      this.#logDrop('QoS 0 message lost with the connection', this.#offlineDrops, message.topic);
    }
  }

  /** The connection's `connected` event: replay retained state after a reconnect, then the queue. */
  connected(again: boolean): void {
    if (again) for (const message of this.#retained.values()) this.#connection.send(message);
    this.#deliverQueue();
  }

  /** Resolves true once nothing waits in the queue or for an acknowledgement, false after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#queue.size > 0 || this.#connection.inFlight > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  /** Publishes `offline`, flushes for up to `timeoutMs`, then disconnects. Resolves whether everything went out. */
  async close(timeoutMs: number): Promise<boolean> {
    if (this.#closed) return true;
    const { url, logger } = this.#options;
    this.publish('available', this.#options.availableTopic, 'offline', { retain: true });
    const delivered = await this.flush(timeoutMs);
    this.#closed = true;
    this.#options.onClosed?.();
    if (!delivered) {
      logger.warn(
        `mqtt ${url}: closing with ${this.#queue.size + this.#connection.inFlight} message(s) undelivered after ${timeoutMs} ms`,
      );
    }
    await this.#connection.end(!delivered);
    // What is still unacknowledged stays in the file for the next start.
    this.#options.store?.close();
    return delivered;
  }

  /** Writes a QoS ≥ 1 message to the offline queue file before it is sent or queued. */
  #persist(message: OutgoingMessage): OutgoingMessage {
    const { store, qos, now } = this.#options;
    // `available` is the connection's own state (birth message and Last Will), never replayed.
    if (!store || qos[message.kind] === 0 || message.kind === 'available') return message;
    const queuedAt = now();
    return { ...message, queuedAt, storeId: store.append({ ...message, qos: qos[message.kind], queuedAt }) };
  }

  #settle(message: OutgoingMessage): void {
    if (message.storeId !== undefined) this.#options.store?.done(message.storeId);
  }

  #enqueue(message: OutgoingMessage): void {
    this.#queue.push({ ...message, qos: this.#options.qos[message.kind] });
  }

  #deliverQueue(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    const waiting = this.#queue.drain();
    if (waiting.length > 0)
      this.#options.logger.info(
        `mqtt ${this.#options.url}: connected, delivering ${waiting.length} queued message(s)`,
      );
    for (const message of waiting) this.#connection.send(message);
    this.#flushing = false;
  }

  #logDrop(what: string, count: number, topic: string): void {
    // First drop, then each power of ten: visible without flooding the log during a long outage.
    if (count === 1 || Number.isInteger(Math.log10(count))) {
      this.#options.logger.warn(
        `mqtt ${this.#options.url}: broker unreachable, ${what}: dropped ${count} message(s) so far (latest on ${topic})`,
      );
    }
  }
}
