import type { Logger } from '@rxvision/decode';
import type { IClientOptions } from 'mqtt';
import type { SchedulerLike } from 'rxjs';
import type { MessageKind, QoS } from './message.js';
import type { OfflineQueueLimits } from './offline-queue.js';
import type { PersistentQueueOptions } from './persistent-queue.js';

/**
 * The offline queue's bounds and, with `path`, the file that keeps it across restarts of the
 * process (see `PersistentQueue` and `FsyncPolicy` for what each `fsync` policy risks).
 */
export interface OfflineQueueOptions extends Partial<OfflineQueueLimits>, Partial<PersistentQueueOptions> {}

/**
 * Options of `createMqttPublisher`. Every mqtt.js client option (`clientId`, `username`,
 * `password`, `ca`/`cert`/`key`/`rejectUnauthorized` for TLS, `keepalive`, `clean`,
 * `protocolVersion`, `connectTimeout`…) passes straight through to mqtt.js under its own name.
 */
export interface MqttPublisherOptions
  extends Omit<IClientOptions, 'will' | 'reconnectPeriod' | 'manualConnect'> {
  /** Broker URL: `mqtt://host:1883`, `mqtts://host:8883` (TLS), `ws://…`. */
  readonly url: string;
  /** First level of every topic (Frigate `mqtt.topic_prefix`). Default `rxvision`. Wildcards are refused. */
  readonly topicPrefix?: string;
  /** First reconnect delay in ms; doubles (±20 % jitter) on each failed attempt (mqtt.js `reconnectPeriod`). Default 1000. */
  readonly reconnectPeriod?: number;
  /** Ceiling of the reconnect backoff in ms. Default 30000. */
  readonly reconnectPeriodMax?: number;
  /** QoS per kind of message. Defaults: events, available, counts, status, discovery 1; detections, snapshot, stats 0. */
  readonly qos?: Partial<Record<MessageKind, QoS>>;
  /**
   * The queue that holds QoS ≥ 1 messages while the broker is unreachable. Default 10000 messages,
   * 64 MiB, 1 hour, in memory; with `path`, also on disk (replayed on start, each message
   * settled when the broker acknowledges it), `fsync: interval` (1 s).
   */
  readonly offlineQueue?: OfflineQueueOptions;
  /** Drop per-frame detections while the broker is unreachable instead of queueing them. Default true. */
  readonly dropDetectionsWhileOffline?: boolean;
  /** Ms between `<prefix>/stats` messages (Frigate `mqtt.stats_interval`, which is in seconds). Default 60 000; 0 turns stats off. */
  readonly statsIntervalMs?: number;
  /** Extra figures merged into each stats message (decode drops, detector queue…), called at publish time. */
  readonly stats?: () => Readonly<Record<string, unknown>>;
  /** Publish Home Assistant MQTT discovery configs (retained). Default true. */
  readonly discovery?: boolean;
  /** Home Assistant's discovery prefix (HA `discovery_prefix`). Default `homeassistant`. */
  readonly discoveryPrefix?: string;
  /**
   * This agent's id when several agents share one broker without a bridge: availability and stats
   * move to `<prefix>/agents/<agentId>/available|stats`, and it goes into every Home Assistant
   * discovery node id, unique id and device identifier. Default none: `<prefix>/available` and
   * `<prefix>/stats`, Frigate's topics.
   */
  readonly agentId?: string;
  /** Where the publisher and the operators using it report problems. Default `console`. */
  readonly logger?: Logger;
  /** Clock for stats, reconnect backoff and queue ages (tests pass a TestScheduler). */
  readonly scheduler?: SchedulerLike;
}
