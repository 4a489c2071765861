import type { BackoffOptions, Logger } from '@rxvision/decode';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { fromEvent, type SchedulerLike, type Subscription } from 'rxjs';
import type { MessageKind, OutgoingMessage, QoS } from './message.js';
import { reconnectSchedule } from './reconnect-schedule.js';

/** What the connection tells the publish policy. */
export interface ConnectionEvents {
  /** The broker acknowledged (QoS ≥ 1) or took (QoS 0) a message. */
  acknowledged(message: OutgoingMessage): void;
  /** A publish failed, or the connection went before it was acknowledged. */
  undelivered(message: OutgoingMessage, why: 'failed' | 'connection lost'): void;
  /** Connected (`again` from the second time on), right after `available: online` went out. */
  connected(again: boolean): void;
}

export interface MqttConnectionOptions {
  readonly url: string;
  /** Passed to mqtt.js as they are (the Last Will and the reconnect period are set here). */
  readonly clientOptions: IClientOptions;
  /** Retained `online` on connect, `offline` as the Last Will. */
  readonly availableTopic: string;
  readonly qos: Readonly<Record<MessageKind, QoS>>;
  readonly backoff: BackoffOptions;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  readonly events: ConnectionEvents;
}

/**
 * One mqtt.js client: Last Will and `online` birth message, reconnect with backoff, and the
 * publishes handed to mqtt.js that are not acknowledged yet (requeued through `undelivered` when
 * the connection goes).
 */
export class MqttConnection {
  readonly client: MqttClient;
  readonly #options: MqttConnectionOptions;
  readonly #pending = new Set<OutgoingMessage>();
  readonly #reconnects: Subscription;
  #connections = 0;

  constructor(options: MqttConnectionOptions) {
    this.#options = options;
    const { url, logger, events } = options;
    const client = mqtt.connect(url, {
      ...options.clientOptions,
      // Reconnection is ours (with backoff); mqtt.js's own retries at a fixed period.
      reconnectPeriod: 0,
      will: { topic: options.availableTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('error', (err) => logger.warn(`mqtt ${url}: ${err.message}`));
    client.on('close', () => {
      // Not acknowledged before the connection went: handed back, in send order, for the next one (at least once).
      for (const message of this.#pending) {
        this.#pending.delete(message);
        events.undelivered(message, 'connection lost');
      }
      // `client.reconnect()` gives mqtt.js a fresh outgoing store, so it never re-sends these itself, yet it
      // would keep their ids in `client.outgoing` for good: an in-flight count that never drains, and an
      // `end()` that waits forever. Drop mqtt.js's copies (their callbacks find nothing pending now).
      for (const [id, waiting] of Object.entries(client.outgoing)) {
        if (waiting.cmd === 'publish' || waiting.cmd === 'pubrel') client.removeOutgoingMessage(Number(id));
      }
    });
    client.on('connect', () => {
      this.#connections++;
      if (this.#connections > 1) logger.info(`mqtt ${url}: reconnected`);
      this.send({ kind: 'available', topic: options.availableTopic, payload: 'online', retain: true });
      events.connected(this.#connections > 1);
    });
    this.#reconnects = reconnectSchedule(
      fromEvent(client, 'close'),
      fromEvent(client, 'connect'),
      options.backoff,
      options.scheduler,
    ).subscribe(() => {
      if (!client.connected) client.reconnect();
    });
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Handed to mqtt.js and not acknowledged yet. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Successful connections after the first one. */
  get reconnects(): number {
    return Math.max(0, this.#connections - 1);
  }

  /** Hands one message to mqtt.js at its kind's QoS. */
  send(message: OutgoingMessage): void {
    // One entry per send: the same retained state may be in flight twice across quick reconnects.
    const entry = { ...message };
    this.#pending.add(entry);
    this.client.publish(
      entry.topic,
      entry.payload,
      { qos: this.#options.qos[entry.kind], retain: entry.retain },
      (err) => {
        if (!this.#pending.delete(entry)) return;
        if (err) this.#options.events.undelivered(entry, 'failed');
        else this.#options.events.acknowledged(entry);
      },
    );
  }

  /** Stops reconnecting and disconnects; a graceful end (`force` false) waits at most 1 s for acknowledgements. */
  end(force: boolean): Promise<void> {
    this.#reconnects.unsubscribe();
    return new Promise<void>((resolve) => {
      // A graceful end waits for every acknowledgement: a broker that stops answering now must not hold it.
      const timer = setTimeout(() => {
        this.client.stream?.destroy();
        resolve();
      }, 1000);
      this.client.end(force, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
