import { assertTopicPrefix, DEFAULT_TOPIC_PREFIX, type MessageKind } from '@rxvision/sinks';
import { z } from 'zod';
import { quote } from '../describe.js';
import {
  about,
  always,
  field,
  flag,
  number,
  optionalText,
  port,
  problem,
  type Refinement,
} from './fields.js';

const MESSAGE_KINDS = [
  'available',
  'events',
  'detections',
  'counts',
  'status',
  'snapshot',
  'stats',
  'discovery',
] as const satisfies readonly MessageKind[];

const qos = z.union([z.literal(0), z.literal(1), z.literal(2)]);

const offlineQueueKeys = z
  .strictObject({
    path: optionalText().meta(
      about(
        'file that keeps QoS ≥ 1 messages across agent restarts until the broker acknowledges them (an append-only log; its directory is created), e.g. `/var/lib/rxvision/mqtt-queue.log`; unset: in memory only, a restart loses what waits',
      ),
    ),
    max_messages: number({ min: 0, max: 10_000_000, integer: true })
      .default(10_000)
      .meta(
        about(
          'most messages held while the broker is unreachable; when full, detections, stats and retained counts go first, then `update` events, `new`/`end` last',
        ),
      ),
    max_bytes: number({ min: 1024, max: 1_099_511_627_776, integer: true })
      .default(67_108_864)
      .meta(
        about(
          'most bytes (topics and payloads) held, dropped in the same order; the file stays under about twice this',
        ),
      ),
    max_age: number({ min: 1, max: 2_592_000 })
      .default(3600)
      .meta(about('seconds a message may wait; older ones are dropped instead of delivered late')),
    fsync: z
      .enum(['always', 'interval', 'never'])
      .default('interval')
      .meta(
        about(
          'with `path`, when the file is flushed to the disk: `always` after each message (a power loss loses nothing; one disk flush per message), `interval` once a second (a power loss may lose the last second), `never` left to the OS (a power loss may lose ~30 s); an agent crash loses nothing with any of them',
        ),
      ),
  })
  .meta(
    about(
      'the queue of messages waiting for an unreachable broker (see `mqtt.offline_queue` below); absent: the defaults below, in memory',
    ),
  );

const mqttKeys = z
  .strictObject({
    enabled: flag().default(true).meta(about('`false` keeps the section but turns MQTT off')),
    url: optionalText().meta(
      about('`mqtt://host:1883`, `mqtts://` (TLS), `ws://`, `wss://`', 'DeepStream `nvmsgbroker` `conn-str`'),
    ),
    host: optionalText().meta(about('broker host, instead of `url`', 'Frigate `mqtt.host`')),
    port: port().optional().meta(about('broker port with `host` (default 1883)', 'Frigate `mqtt.port`')),
    topic_prefix: optionalText().meta(
      about(
        'first level of every topic (default `rxvision`); no `#`, `+`, or empty level',
        'Frigate `mqtt.topic_prefix`',
      ),
    ),
    client_id: optionalText().meta(about('MQTT client id (default random)', 'Frigate `mqtt.client_id`')),
    user: optionalText().meta(about('broker login', 'Frigate `mqtt.user`')),
    password: optionalText().meta(about('broker password; never logged', 'Frigate `mqtt.password`')),
    tls_ca_certs: optionalText().meta(
      about('PEM file of the CA that signed the broker certificate', 'Frigate `mqtt.tls_ca_certs`'),
    ),
    tls_client_cert: optionalText().meta(
      about('PEM file of this client certificate (with `tls_client_key`)', 'Frigate `mqtt.tls_client_cert`'),
    ),
    tls_client_key: optionalText().meta(about('PEM file of the client key', 'Frigate `mqtt.tls_client_key`')),
    tls_insecure: flag()
      .optional()
      .meta(
        about(
          '`true` accepts any broker certificate (mqtt.js `rejectUnauthorized: false`)',
          'Frigate `mqtt.tls_insecure`',
        ),
      ),
    qos: z
      .partialRecord(z.enum(MESSAGE_KINDS), qos)
      .optional()
      .meta(
        about(
          'QoS per kind of message, e.g. `{ detections: 1 }`; defaults: events, available, counts, status, discovery 1; detections, snapshot, stats 0',
        ),
      ),
    stats_interval: number({ min: 0, max: 86_400 })
      .optional()
      .meta(
        about(
          'seconds between `<prefix>/stats` messages (default 60); 0 turns them off',
          'Frigate `mqtt.stats_interval`',
        ),
      ),
    offline_queue: offlineQueueKeys.optional(),
    discovery: flag().optional().meta(about('publish Home Assistant MQTT discovery configs (default true)')),
    discovery_prefix: optionalText().meta(
      about("Home Assistant's discovery prefix (default `homeassistant`)", 'HA `discovery_prefix`'),
    ),
  })
  .meta(about('MQTT broker settings'));

/** `mqtt`: the broker and what is published to it. */
export const mqttSection = mqttKeys.superRefine(checkBroker, always).transform(toMqttConfig);

/** The `mqtt` section as the agent uses it; undefined when it is turned off. */
export type MqttConfig = NonNullable<z.output<typeof mqttSection>>;

const MQTT_URL = /^(mqtts?|wss?|tcp|ssl):\/\//;

function checkBroker(m: unknown, ctx: Refinement): void {
  const url = field(m, 'url');
  const host = field(m, 'host');
  if (url && host)
    problem(ctx, 'both `url` and `host` are set', 'keep one: `url: mqtt://host:1883` or `host` + `port`', [
      'host',
    ]);
  const enabled = field(m, 'enabled');
  if (!url && !host && enabled !== false && enabled !== 'false')
    problem(
      ctx,
      'no broker given',
      'add `url: mqtt://<host>:1883` (or `host: <host>`), or remove the `mqtt` section',
      ['url'],
    );
  if (typeof url === 'string' && !MQTT_URL.test(url))
    problem(
      ctx,
      `${quote(url)} is not an MQTT URL`,
      'write it as `mqtt://host:1883` (or mqtts://, ws://, wss://)',
      ['url'],
    );
  for (const key of ['topic_prefix', 'discovery_prefix']) {
    const prefix = field(m, key);
    if (typeof prefix !== 'string') continue;
    try {
      // The publisher's own rule, so nothing that passes here is refused when it starts.
      assertTopicPrefix(prefix, key);
    } catch (error) {
      problem(ctx, `"${prefix}" cannot prefix topics`, (error as Error).message, [key]);
    }
  }
  const cert = field(m, 'tls_client_cert');
  const key = field(m, 'tls_client_key');
  if (Boolean(cert) !== Boolean(key))
    problem(
      ctx,
      'a client certificate needs its key (and the key its certificate)',
      'set both `tls_client_cert` and `tls_client_key`, or neither',
      [cert ? 'tls_client_key' : 'tls_client_cert'],
    );
}

function toMqttConfig(m: z.output<typeof mqttKeys>) {
  if (!m.enabled) return undefined;
  const tls = {
    ...(m.tls_ca_certs ? { caFile: m.tls_ca_certs } : {}),
    ...(m.tls_client_cert ? { certFile: m.tls_client_cert } : {}),
    ...(m.tls_client_key ? { keyFile: m.tls_client_key } : {}),
    ...(m.tls_insecure !== undefined ? { rejectUnauthorized: !m.tls_insecure } : {}),
  };
  return {
    url: m.url ?? `mqtt://${m.host}:${m.port ?? 1883}`,
    topicPrefix: m.topic_prefix ?? DEFAULT_TOPIC_PREFIX,
    ...(m.client_id ? { clientId: m.client_id } : {}),
    ...(m.user ? { user: m.user } : {}),
    ...(m.password ? { password: m.password } : {}),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
    ...(m.qos ? { qos: m.qos } : {}),
    ...(m.stats_interval !== undefined ? { statsInterval: m.stats_interval } : {}),
    ...(m.discovery !== undefined ? { discovery: m.discovery } : {}),
    ...(m.discovery_prefix ? { discoveryPrefix: m.discovery_prefix } : {}),
    ...(m.offline_queue ? { offlineQueue: toOfflineQueue(m.offline_queue) } : {}),
  };
}

function toOfflineQueue(q: z.output<typeof offlineQueueKeys>) {
  return {
    maxMessages: q.max_messages,
    maxBytes: q.max_bytes,
    maxAgeMs: q.max_age * 1000,
    ...(q.path ? { path: q.path, fsync: q.fsync } : {}),
  };
}
