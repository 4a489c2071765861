import type { Logger } from '@rxvision/decode';
import type { MqttClient } from 'mqtt';
import { asyncScheduler, interval, type Subscription } from 'rxjs';
import { MqttConnection } from './connection.js';
import { type CameraEntities, type DiscoveryTopics, discoveryMessages } from './ha-discovery.js';
import { DEFAULT_QOS, type MessageKind, type PublishOptions, type QoS } from './message.js';
import { PersistentQueue } from './persistent-queue.js';
import { PublishPolicy } from './publish-policy.js';
import type { PublisherMetrics } from './publisher-metrics.js';
import type { MqttPublisherOptions } from './publisher-options.js';
import { StatsMessage } from './stats-message.js';
import { assertTopicLevel, assertTopicPrefix, DEFAULT_TOPIC_PREFIX } from './topics.js';

/**
 * One MQTT connection shared by every camera's sinks: topic prefix, QoS per kind, Last Will,
 * reconnect with backoff, a bounded offline queue, Home Assistant discovery and periodic stats.
 */
export interface MqttPublisher {
  readonly topicPrefix: string;
  /** Where the publisher and the operators using it report problems. */
  readonly logger: Logger;
  /** The underlying mqtt.js client (for extra subscriptions; do not `end()` it, call `close()`). */
  readonly client: MqttClient;
  /** `<prefix>/<levels…>`. */
  topic(...levels: string[]): string;
  /** Publishes now, or queues while the broker is unreachable (QoS ≥ 1), or drops and counts (QoS 0). */
  publish(kind: MessageKind, topic: string, payload: string | Buffer, options?: PublishOptions): void;
  /** `<prefix>/available`, or `<prefix>/agents/<agentId>/available` with `agentId`: `online` while connected, `offline` as the Last Will. */
  readonly availableTopic: string;
  /** `<prefix>/stats`, or `<prefix>/agents/<agentId>/stats` with `agentId`. */
  readonly statsTopic: string;
  /**
   * Declares a camera's entities for Home Assistant discovery (published now and on every HA
   * restart); entities an earlier declaration had and this one lacks are removed (empty retained config).
   */
  registerCamera(camera: string, entities: CameraEntities): void;
  /** Removes a camera's Home Assistant entities (a camera taken out of the config). */
  unregisterCamera(camera: string): void;
  /** Counts a processed frame for `<prefix>/stats`. */
  recordFrame(camera: string, inferenceMs: number): void;
  /** Counts a snapshot dropped for size. */
  recordSnapshotOversize(): void;
  metrics(): PublisherMetrics;
  /** Resolves true once nothing waits in the queue or for an acknowledgement, false after `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Publishes `offline`, flushes for up to `timeoutMs`, then disconnects. Resolves whether everything went out. */
  close(timeoutMs?: number): Promise<boolean>;
}

/**
 * Creates the MQTT connection that `toMqtt` and `toMqttStatus` publish through.
 *
 * Connects at once and keeps retrying with exponential, jittered backoff (`reconnectPeriod` doubling up
 * to `reconnectPeriodMax`) without ever failing the pipeline. `<prefix>/available` is `online`
 * (retained) while connected and `offline` as the Last Will. While the broker is unreachable,
 * QoS ≥ 1 messages wait in a queue bounded by count and age and go out after reconnect; what the
 * bounds push out is counted in `metrics()` and logged. Option names follow mqtt.js, and
 * Frigate's `mqtt.*` where they mean the same (`topicPrefix` = `topic_prefix`, `statsIntervalMs`
 * = `stats_interval` in ms, `clientId` = `client_id`).
 *
 * ## Example
 * ```ts
 * const mqtt = createMqttPublisher({ url: 'mqtt://broker:1883', topicPrefix: 'rxvision', clientId: 'garage-box' });
 * frames$.pipe(toMqtt(mqtt, { camera: 'front' })).subscribe();
 * process.once('SIGTERM', () => void mqtt.close(5000));
 * ```
 */
export function createMqttPublisher(options: MqttPublisherOptions): MqttPublisher {
  const {
    url,
    topicPrefix: rawPrefix = DEFAULT_TOPIC_PREFIX,
    reconnectPeriod = 1000,
    reconnectPeriodMax = 30_000,
    qos: qosOverrides,
    offlineQueue: queueLimits,
    dropDetectionsWhileOffline = true,
    statsIntervalMs = 60_000,
    stats: extraStats,
    discovery = true,
    discoveryPrefix = 'homeassistant',
    agentId,
    logger = console,
    scheduler = asyncScheduler,
    ...clientOptions
  } = options;
  const topicPrefix = assertTopicPrefix(rawPrefix);
  assertTopicPrefix(discoveryPrefix, 'discoveryPrefix');
  const qos: Record<MessageKind, QoS> = { ...DEFAULT_QOS, ...qosOverrides };
  if (agentId !== undefined) assertTopicLevel(agentId, 'agent id');
  // Frigate's own topics unless several agents share the broker, each under its id.
  const agentTopic = agentId === undefined ? topicPrefix : `${topicPrefix}/agents/${agentId}`;
  const availableTopic = `${agentTopic}/available`;
  const statsTopic = `${agentTopic}/stats`;
  const discoveryTopics: DiscoveryTopics = {
    topicPrefix,
    discoveryPrefix,
    availableTopic,
    statsTopic,
    ...(agentId !== undefined ? { agentId } : {}),
  };
  const haStatusTopic = `${discoveryPrefix}/status`;
  const startedAt = scheduler.now();
  const cameras = new Map<string, CameraEntities>();
  /** Discovery config topics last published per camera, to clear the ones a change or removal leaves behind. */
  const discoveryTopicsOf = new Map<string, Set<string>>();
  const stats = new StatsMessage();
  const timers: Subscription[] = [];
  let snapshotOversize = 0;

  const connection = new MqttConnection({
    url,
    clientOptions,
    availableTopic,
    qos,
    backoff: { initialDelayMs: reconnectPeriod, maxDelayMs: reconnectPeriodMax },
    scheduler,
    logger,
    events: {
      acknowledged: (message) => policy.acknowledged(message),
      undelivered: (message, why) => policy.undelivered(message, why),
      connected: (again) => {
        if (discovery) {
          client.subscribe(haStatusTopic, { qos: 1 }, (err) => {
            if (err) logger.warn(`mqtt ${url}: cannot subscribe to ${haStatusTopic}: ${err.message}`);
          });
          for (const [camera, entities] of cameras) publishDiscovery(camera, entities);
        }
        policy.connected(again);
      },
    },
  });
  const client = connection.client;
  const persistent = queueLimits?.path
    ? PersistentQueue.open(
        {
          path: queueLimits.path,
          ...(queueLimits.fsync ? { fsync: queueLimits.fsync } : {}),
          ...(queueLimits.fsyncIntervalMs !== undefined
            ? { fsyncIntervalMs: queueLimits.fsyncIntervalMs }
            : {}),
        },
        logger,
      )
    : undefined;
  const policy = new PublishPolicy(connection, {
    url,
    qos,
    availableTopic,
    queueLimits: {
      maxMessages: queueLimits?.maxMessages ?? 10_000,
      maxAgeMs: queueLimits?.maxAgeMs ?? 3_600_000,
      maxBytes: queueLimits?.maxBytes ?? 64 * 1024 * 1024,
    },
    ...(persistent ? { store: persistent.queue, replayed: persistent.replayed } : {}),
    dropDetectionsWhileOffline,
    logger,
    now: () => scheduler.now(),
    onClosed: () => {
      for (const timer of timers) timer.unsubscribe();
    },
  });
  const publish = policy.publish.bind(policy);

  const publishDiscovery = (camera: string, entities: CameraEntities): void => {
    if (!discovery) return;
    for (const message of discoveryMessages(camera, entities, discoveryTopics)) {
      publish('discovery', message.topic, message.payload, { retain: true });
    }
  };
  /** Publishes an empty retained config (HA removes the entity) on each topic `keep` lacks. */
  const clearDiscovery = (camera: string, keep: ReadonlySet<string>): void => {
    if (!discovery) return;
    for (const topic of discoveryTopicsOf.get(camera) ?? []) {
      if (!keep.has(topic)) publish('discovery', topic, '', { retain: true });
    }
  };
  client.on('message', (topic, payload) => {
    // Home Assistant forgets non-retained state when it restarts; it says `online` when it is back.
    if (topic === haStatusTopic && payload.toString() === 'online') {
      for (const [camera, entities] of cameras) publishDiscovery(camera, entities);
    }
  });

  const metrics = (): PublisherMetrics => ({
    connected: connection.connected,
    queueDepth: policy.queueDepth,
    inFlight: connection.inFlight,
    published: { ...policy.published },
    dropped: { ...policy.drops(), snapshotOversize },
    reconnects: connection.reconnects,
  });

  if (statsIntervalMs > 0) {
    timers.push(
      interval(statsIntervalMs, scheduler).subscribe(() => {
        const uptime = Math.round((scheduler.now() - startedAt) / 1000);
        const payload = stats.take(statsIntervalMs / 1000, metrics(), uptime, extraStats?.());
        publish('stats', statsTopic, payload);
      }),
    );
  }

  return {
    topicPrefix,
    availableTopic,
    statsTopic,
    logger,
    client,
    topic: (...levels) => [topicPrefix, ...levels].join('/'),
    publish,
    registerCamera(camera, entities) {
      assertTopicLevel(camera, 'camera name');
      const topics = new Set(discoveryMessages(camera, entities, discoveryTopics).map((m) => m.topic));
      // Queued while offline: a removal must reach the broker even if it is away right now.
      clearDiscovery(camera, topics);
      cameras.set(camera, entities);
      discoveryTopicsOf.set(camera, topics);
      if (client.connected) publishDiscovery(camera, entities);
    },
    unregisterCamera(camera) {
      clearDiscovery(camera, new Set());
      cameras.delete(camera);
      discoveryTopicsOf.delete(camera);
    },
    recordFrame: (camera, inferenceMs) => stats.recordFrame(camera, inferenceMs),
    recordSnapshotOversize() {
      snapshotOversize++;
    },
    metrics,
    flush: (timeoutMs) => policy.flush(timeoutMs),
    close: (timeoutMs = 5000) => policy.close(timeoutMs),
  };
}
