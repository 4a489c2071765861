import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';
import { asyncScheduler, fromEvent, interval, type Subscription } from 'rxjs';
import { type CameraEntities, discoveryMessages } from './ha-discovery.js';
import { OfflineQueue } from './offline-queue.js';
import type { PublisherMetrics } from './publisher-metrics.js';
import {
  DEFAULT_QOS,
  type MessageKind,
  type MqttPublisherOptions,
  type QoS,
  type SinkLogger,
} from './publisher-options.js';
import { reconnectSchedule } from './reconnect-backoff.js';
import { assertTopicLevel, assertTopicPrefix, DEFAULT_TOPIC_PREFIX } from './topics.js';

/** How one message is sent. */
export interface PublishOptions {
  readonly retain?: boolean;
}

interface PendingMessage {
  readonly kind: MessageKind;
  readonly topic: string;
  readonly payload: string | Buffer;
  readonly retain: boolean;
  readonly queuedAt?: number;
}

/** Per-camera figures gathered for `<prefix>/stats`. */
interface CameraWindow {
  frames: number;
  inferenceMsSum: number;
  framesTotal: number;
}

/**
 * One MQTT connection shared by every camera's sinks: topic prefix, QoS per kind, Last Will,
 * reconnect with backoff, a bounded offline queue, Home Assistant discovery and periodic stats.
 */
export interface MqttPublisher {
  readonly topicPrefix: string;
  /** Where the publisher and the operators using it report problems. */
  readonly logger: SinkLogger;
  /** The underlying mqtt.js client (for extra subscriptions; do not `end()` it, call `close()`). */
  readonly client: MqttClient;
  /** `<prefix>/<levels…>`. */
  topic(...levels: string[]): string;
  /** Publishes now, or queues while the broker is unreachable (QoS ≥ 1), or drops and counts (QoS 0). */
  publish(kind: MessageKind, topic: string, payload: string | Buffer, options?: PublishOptions): void;
  /** Declares a camera's entities for Home Assistant discovery (published now and on every HA restart). */
  registerCamera(camera: string, entities: CameraEntities): void;
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
 * Connects at once and keeps retrying with exponential backoff (`reconnectPeriod` doubling up to
 * `reconnectPeriodMax`) without ever failing the pipeline. `<prefix>/available` is `online`
 * (retained) while connected and `offline` as the Last Will. While the broker is unreachable,
 * QoS ≥ 1 messages wait in a queue bounded by count and age and go out after reconnect; what the
 * bounds push out is counted in `metrics()` and logged. Option names follow mqtt.js, and
 * Frigate's `mqtt.*` where they mean the same (`topicPrefix` = `topic_prefix`, `statsInterval`
 * = `stats_interval`, `clientId` = `client_id`).
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
    statsInterval = 60,
    stats: extraStats,
    discovery = true,
    discoveryPrefix = 'homeassistant',
    logger = console as SinkLogger,
    scheduler = asyncScheduler,
    ...clientOptions
  } = options;
  const topicPrefix = assertTopicPrefix(rawPrefix);
  assertTopicPrefix(discoveryPrefix, 'discoveryPrefix');
  const qos: Record<MessageKind, QoS> = { ...DEFAULT_QOS, ...qosOverrides };
  const availableTopic = `${topicPrefix}/available`;
  const haStatusTopic = `${discoveryPrefix}/status`;
  const startedAt = scheduler.now();

  const published = Object.fromEntries(Object.keys(DEFAULT_QOS).map((k) => [k, 0])) as Record<
    MessageKind,
    number
  >;
  const dropped = { offline: 0, snapshotOversize: 0 };
  const cameras = new Map<string, CameraEntities>();
  // Latest retained state (counts, camera status): re-sent after a reconnect in case the broker lost it.
  const retainedState = new Map<string, { kind: MessageKind; payload: string | Buffer }>();
  const windows = new Map<string, CameraWindow>();
  let connections = 0;
  let closed = false;
  let flushing = false;

  const logDrop = (what: string, count: number, topic: string): void => {
    // First drop, then each power of ten: visible without flooding the log during a long outage.
    if (count === 1 || Number.isInteger(Math.log10(count))) {
      logger.warn(
        `mqtt ${url}: broker unreachable, ${what}: dropped ${count} message(s) so far (latest on ${topic})`,
      );
    }
  };
  const queue = new OfflineQueue(
    { maxMessages: queueLimits?.maxMessages ?? 10_000, maxAgeMs: queueLimits?.maxAgeMs ?? 3_600_000 },
    () => scheduler.now(),
    (reason, message) =>
      logDrop(
        reason === 'overflow'
          ? 'offline queue full (offlineQueue.maxMessages)'
          : 'message too old (offlineQueue.maxAgeMs)',
        queue.drops[reason],
        message.topic,
      ),
  );

  const client = mqtt.connect(url, {
    ...clientOptions,
    // Reconnection is ours (with backoff); mqtt.js's own retries at a fixed period.
    reconnectPeriod: 0,
    will: { topic: availableTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
  });
  client.on('error', (err) => logger.warn(`mqtt ${url}: ${err.message}`));

  // Handed to mqtt.js and not yet acknowledged; a connection loss puts them back in the queue.
  const pending = new Set<PendingMessage>();
  const send = (
    kind: MessageKind,
    topic: string,
    payload: string | Buffer,
    retain: boolean,
    queuedAt?: number,
  ) => {
    const messageQos = qos[kind];
    const publishOptions: IClientPublishOptions = { qos: messageQos, retain };
    const entry: PendingMessage = {
      kind,
      topic,
      payload,
      retain,
      ...(queuedAt === undefined ? {} : { queuedAt }),
    };
    pending.add(entry);
    client.publish(topic, payload, publishOptions, (err) => {
      if (!pending.delete(entry)) return;
      if (!err) {
        published[kind]++;
        return;
      }
      if (messageQos > 0 && !closed) enqueue(kind, topic, payload, retain, queuedAt);
    });
  };
  client.on('close', () => {
    // Not acknowledged before the connection went: queue again, in send order, for the next one (at least once).
    for (const entry of pending) {
      pending.delete(entry);
      if (closed) continue;
      if (qos[entry.kind] > 0) enqueue(entry.kind, entry.topic, entry.payload, entry.retain, entry.queuedAt);
      else {
        // A QoS 0 write the dead socket never drained.
        dropped.offline++;
        logDrop('QoS 0 message lost with the connection', dropped.offline, entry.topic);
      }
    }
    // `client.reconnect()` gives mqtt.js a fresh outgoing store, so it never re-sends these itself, yet it
    // would keep their ids in `client.outgoing` for good: an in-flight count that never drains, and an
    // `end()` that waits forever. Drop mqtt.js's copies (their callbacks find nothing pending now).
    for (const [id, waiting] of Object.entries(client.outgoing)) {
      if (waiting.cmd === 'publish' || waiting.cmd === 'pubrel') client.removeOutgoingMessage(Number(id));
    }
  });
  const enqueue = (
    kind: MessageKind,
    topic: string,
    payload: string | Buffer,
    retain: boolean,
    queuedAt?: number,
  ) => {
    queue.push({
      kind,
      topic,
      payload,
      qos: qos[kind],
      retain,
      ...(queuedAt === undefined ? {} : { queuedAt }),
    });
  };

  const deliverQueue = (): void => {
    if (flushing) return;
    flushing = true;
    const waiting = queue.drain();
    if (waiting.length > 0)
      logger.info?.(`mqtt ${url}: connected, delivering ${waiting.length} queued message(s)`);
    for (const message of waiting) {
      send(message.kind, message.topic, message.payload, message.retain, message.queuedAt);
    }
    flushing = false;
  };

  const publishDiscovery = (camera: string, entities: CameraEntities): void => {
    if (!discovery) return;
    for (const message of discoveryMessages(camera, entities, topicPrefix, discoveryPrefix)) {
      publish('discovery', message.topic, message.payload, { retain: true });
    }
  };

  const publish = (
    kind: MessageKind,
    topic: string,
    payload: string | Buffer,
    opts: PublishOptions = {},
  ): void => {
    if (closed) return;
    const retain = opts.retain ?? false;
    if (retain && (kind === 'counts' || kind === 'status')) retainedState.set(topic, { kind, payload });
    if (client.connected && queue.size === 0) {
      send(kind, topic, payload, retain);
      return;
    }
    if (qos[kind] > 0 || (kind === 'detections' && !dropDetectionsWhileOffline)) {
      enqueue(kind, topic, payload, retain);
      if (client.connected) deliverQueue();
      return;
    }
    dropped.offline++;
    logDrop('QoS 0 message not queued', dropped.offline, topic);
  };

  client.on('connect', () => {
    connections++;
    if (connections > 1) logger.info?.(`mqtt ${url}: reconnected`);
    send('available', availableTopic, 'online', true);
    if (discovery) {
      client.subscribe(haStatusTopic, { qos: 1 }, (err) => {
        if (err) logger.warn(`mqtt ${url}: cannot subscribe to ${haStatusTopic}: ${err.message}`);
      });
      for (const [camera, entities] of cameras) publishDiscovery(camera, entities);
    }
    if (connections > 1)
      for (const [topic, { kind, payload }] of retainedState) send(kind, topic, payload, true);
    deliverQueue();
  });
  client.on('message', (topic, payload) => {
    // Home Assistant forgets non-retained state when it restarts; it says `online` when it is back.
    if (topic === haStatusTopic && payload.toString() === 'online') {
      for (const [camera, entities] of cameras) publishDiscovery(camera, entities);
    }
  });

  const subscriptions: Subscription[] = [];
  subscriptions.push(
    reconnectSchedule(
      fromEvent(client, 'close'),
      fromEvent(client, 'connect'),
      { initialMs: reconnectPeriod, maxMs: reconnectPeriodMax },
      scheduler,
    ).subscribe(() => {
      if (!closed && !client.connected) client.reconnect();
    }),
  );

  const metrics = (): PublisherMetrics => ({
    connected: client.connected,
    queueDepth: queue.size,
    inFlight: pending.size,
    published: { ...published },
    dropped: { ...queue.drops, ...dropped },
    reconnects: Math.max(0, connections - 1),
  });

  if (statsInterval > 0) {
    subscriptions.push(
      interval(statsInterval * 1000, scheduler).subscribe(() => {
        const seconds = statsInterval;
        const perCamera: Record<string, unknown> = {};
        for (const [camera, window] of windows) {
          perCamera[camera] = {
            camera_fps: Math.round((window.frames / seconds) * 10) / 10,
            inference_speed:
              window.frames > 0 ? Math.round((window.inferenceMsSum / window.frames) * 100) / 100 : 0,
            frames: window.framesTotal,
          };
          window.frames = 0;
          window.inferenceMsSum = 0;
        }
        const m = metrics();
        const payload = {
          cameras: perCamera,
          mqtt: {
            queue_depth: m.queueDepth,
            in_flight: m.inFlight,
            published: m.published,
            dropped: m.dropped,
            reconnects: m.reconnects,
          },
          service: { uptime: Math.round((scheduler.now() - startedAt) / 1000) },
          ...extraStats?.(),
        };
        publish('stats', `${topicPrefix}/stats`, JSON.stringify(payload));
      }),
    );
  }

  const flush = async (timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    while (queue.size > 0 || pending.size > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  };

  return {
    topicPrefix,
    logger,
    client,
    topic: (...levels) => [topicPrefix, ...levels].join('/'),
    publish,
    registerCamera(camera, entities) {
      assertTopicLevel(camera, 'camera name');
      cameras.set(camera, entities);
      if (client.connected) publishDiscovery(camera, entities);
    },
    recordFrame(camera, inferenceMs) {
      let window = windows.get(camera);
      if (!window) {
        window = { frames: 0, inferenceMsSum: 0, framesTotal: 0 };
        windows.set(camera, window);
      }
      window.frames++;
      window.framesTotal++;
      window.inferenceMsSum += inferenceMs;
    },
    recordSnapshotOversize() {
      dropped.snapshotOversize++;
    },
    metrics,
    flush,
    async close(timeoutMs = 5000) {
      if (closed) return true;
      publish('available', availableTopic, 'offline', { retain: true });
      const delivered = await flush(timeoutMs);
      closed = true;
      for (const s of subscriptions) s.unsubscribe();
      if (!delivered) {
        logger.warn(
          `mqtt ${url}: closing with ${queue.size + pending.size} message(s) undelivered after ${timeoutMs} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        // A graceful end waits for every acknowledgement: a broker that stops answering now must not hold it.
        const force = setTimeout(() => {
          client.stream?.destroy();
          resolve();
        }, 1000);
        client.end(!delivered, {}, () => {
          clearTimeout(force);
          resolve();
        });
      });
      return delivered;
    },
  };
}
