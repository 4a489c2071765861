import type { IClientOptions } from 'mqtt';
import type { SchedulerLike } from 'rxjs';
import type { OfflineQueueLimits } from './offline-queue.js';

/** MQTT quality of service. */
export type QoS = 0 | 1 | 2;

/** What a message is, which decides its QoS, retention and fate while the broker is away. */
export type MessageKind =
  | 'available'
  | 'events'
  | 'detections'
  | 'counts'
  | 'status'
  | 'snapshot'
  | 'stats'
  | 'discovery';

/** Where the sinks say what went wrong; `console` by default. */
export interface SinkLogger {
  warn(message: string): void;
  info?(message: string): void;
}

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
  /** First reconnect delay in ms; doubles on each failed attempt (mqtt.js `reconnectPeriod`). Default 1000. */
  readonly reconnectPeriod?: number;
  /** Ceiling of the reconnect backoff in ms. Default 30000. */
  readonly reconnectPeriodMax?: number;
  /** QoS per kind of message. Defaults: events, available, counts, status, discovery 1; detections, snapshot, stats 0. */
  readonly qos?: Partial<Record<MessageKind, QoS>>;
  /** Bound of the queue that holds QoS ≥ 1 messages while the broker is unreachable. Default 10000 messages, 1 hour. */
  readonly offlineQueue?: Partial<OfflineQueueLimits>;
  /** Drop per-frame detections while the broker is unreachable instead of queueing them. Default true. */
  readonly dropDetectionsWhileOffline?: boolean;
  /** Seconds between `<prefix>/stats` messages (Frigate `mqtt.stats_interval`). Default 60; 0 turns stats off. */
  readonly statsInterval?: number;
  /** Extra figures merged into each stats message (decode drops, detector queue…), called at publish time. */
  readonly stats?: () => Readonly<Record<string, unknown>>;
  /** Publish Home Assistant MQTT discovery configs (retained). Default true. */
  readonly discovery?: boolean;
  /** Home Assistant's discovery prefix (HA `discovery_prefix`). Default `homeassistant`. */
  readonly discoveryPrefix?: string;
  readonly logger?: SinkLogger;
  /** Clock for stats, reconnect backoff and queue ages (tests pass a TestScheduler). */
  readonly scheduler?: SchedulerLike;
}

export const DEFAULT_QOS: Readonly<Record<MessageKind, QoS>> = {
  available: 1,
  events: 1,
  detections: 0,
  counts: 1,
  status: 1,
  snapshot: 0,
  stats: 0,
  discovery: 1,
};
