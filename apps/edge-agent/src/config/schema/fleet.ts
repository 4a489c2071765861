import { hostname } from 'node:os';
import { z } from 'zod';
import { about, NAME, number, optionalText, problem, text } from './fields.js';

const natsKeys = z
  .strictObject({
    servers: z
      .union([text(), z.array(text()).min(1)])
      .transform((s) => (typeof s === 'string' ? [s] : s))
      .meta(
        about(
          'NATS server URLs, e.g. `[nats://10.0.0.5:4222]`; the server runs JetStream (`nats-server -js`)',
        ),
      ),
    user: optionalText().meta(about('NATS user')),
    password: optionalText().meta(
      about('NATS password (write it as an environment variable reference to keep it out of the file)'),
    ),
    token: optionalText().meta(about('NATS token, instead of user and password')),
  })
  .meta(about('the NATS JetStream cluster that holds the desired cameras, heartbeats and the assignment'));

/** `fleet`: cameras shared out across agents through NATS JetStream key-value buckets. */
export const fleetSection = z
  .strictObject({
    nats: natsKeys,
    box: optionalText().meta(
      about(
        "this agent's id in the fleet, in heartbeats, MQTT availability/stats topics and Home Assistant unique ids (default the host name)",
      ),
    ),
    site: optionalText().meta(
      about(
        'the site this box is at; a camera with a `site` runs only on boxes of that site (default `default`)',
      ),
    ),
    capacity: number({ min: 0.1, max: 1_000_000 })
      .optional()
      .meta(
        about(
          'images/s this box can detect (default measured from its first detector at start); cameras are shared out in proportion',
        ),
      ),
    bucket: optionalText().meta(
      about('prefix of the JetStream KV buckets, so one NATS can hold several fleets (default `rxvision`)'),
    ),
    heartbeat_interval: number({ min: 0.2, max: 60 })
      .default(2)
      .meta(
        about('seconds between heartbeats; also how often the assignment is read and the leader rebalances'),
      ),
    heartbeat_ttl: number({ min: 1, max: 600 })
      .default(10)
      .meta(about('seconds without a heartbeat after which a box counts as dead and its cameras move')),
    lease_ttl: number({ min: 1, max: 600 })
      .default(10)
      .meta(about("seconds the leader's lease lasts unless renewed; a dead leader is replaced after it")),
    rebalance_threshold: number({ min: 0, max: 10 })
      .default(0.25)
      .meta(
        about(
          "how far (fraction) above its site's mean utilisation a box may run before cameras move off it; higher moves fewer cameras",
        ),
      ),
  })
  .meta(
    about(
      'share cameras across agents through NATS JetStream (see docs/deployment.md); absent: this box runs its own `cameras`',
    ),
  )
  .transform((f, ctx) => {
    const box = f.box ?? safeHostname();
    if (!NAME.test(box)) {
      problem(
        ctx,
        `box id "${box}" may use letters, digits, \`_\` and \`-\` only (it becomes an MQTT topic level)`,
        'set `fleet.box`, e.g. `box: site1-box1`',
        ['box'],
      );
      return z.NEVER;
    }
    if (f.heartbeat_ttl <= f.heartbeat_interval * 2) {
      problem(
        ctx,
        `heartbeat_ttl (${f.heartbeat_ttl} s) must exceed two heartbeat intervals (${f.heartbeat_interval} s each)`,
        'raise `heartbeat_ttl`, e.g. to five intervals',
        ['heartbeat_ttl'],
      );
      return z.NEVER;
    }
    if (f.lease_ttl <= f.heartbeat_interval * 2) {
      problem(
        ctx,
        `lease_ttl (${f.lease_ttl} s) must exceed two heartbeat intervals (${f.heartbeat_interval} s each), which renew it`,
        'raise `lease_ttl`, e.g. to five intervals',
        ['lease_ttl'],
      );
      return z.NEVER;
    }
    return {
      nats: f.nats,
      box,
      site: f.site ?? 'default',
      ...(f.capacity !== undefined ? { capacity: f.capacity } : {}),
      bucket: f.bucket ?? 'rxvision',
      heartbeatIntervalMs: f.heartbeat_interval * 1000,
      heartbeatTtlMs: f.heartbeat_ttl * 1000,
      leaseTtlMs: f.lease_ttl * 1000,
      rebalanceThreshold: f.rebalance_threshold,
    };
  });

/** A host name as a box id: the first label of an FQDN is enough and keeps topics short. */
function safeHostname(): string {
  return (
    hostname()
      .split('.')[0]
      ?.replace(/[^A-Za-z0-9_-]/g, '_') || 'box'
  );
}

/** The `fleet` section as the agent uses it. */
export type FleetConfig = z.output<typeof fleetSection>;
