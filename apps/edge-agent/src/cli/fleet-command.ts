import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validateWithFlags } from '../config/flags.js';
import { ConfigError, type ConfigIssue } from '../config/issues.js';
import { parseConfigDocument, readConfigDocument } from '../config/load.js';
import type { FleetConfig } from '../config/types.js';
import type { StoredCamera } from '../fleet/fleet-records.js';
import { formatFleetStatus, readFleetStatus } from '../fleet/fleet-status.js';
import { FleetStore } from '../fleet/fleet-store.js';
import { FLEET_COMMAND } from './command-options.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

/** `edge-agent fleet apply|status`: writes the fleet's desired cameras, or shows boxes and the assignment. */
export async function fleetCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: FLEET_COMMAND.options,
    strict: true,
    allowPositionals: true,
  });
  const [action, ...files] = positionals;
  if (!values.config)
    throw new UsageError('fleet needs --config <agent.yml> (its `fleet:` section names NATS)');
  const agentDoc = readConfigDocument(values.config, io.env);
  const fleet = validateWithFlags(agentDoc, {}, values.config).fleet;
  if (!fleet)
    throw new ConfigError(
      [
        {
          path: 'fleet',
          message: 'no `fleet:` section',
          hint: 'add `fleet: { nats: { servers: [nats://host:4222] } }`',
        },
      ],
      values.config,
    );
  if (action === 'apply') {
    if (files.length !== 1)
      throw new UsageError('fleet apply takes one cameras file: fleet apply --config agent.yml cameras.yml');
    const cameras = readCamerasFile(files[0] ?? '', agentDoc, values.config, io);
    return withStore(fleet, async (store) => {
      const before = await store.desiredCameras();
      const { removed } = await store.replaceCameras(cameras);
      const ids = Object.keys(cameras);
      const added = ids.filter((id) => !(id in before));
      const changed = ids.filter(
        (id) => id in before && JSON.stringify(before[id]) !== JSON.stringify(cameras[id]),
      );
      io.stdout.write(
        `fleet ${fleet.bucket}: ${ids.length} camera(s) desired; added ${list(added)}, changed ${list(changed)}, removed ${list(removed)}\n`,
      );
      return 0;
    });
  }
  if (action === 'status') {
    if (files.length > 0) throw new UsageError('fleet status takes no file');
    return withStore(fleet, async (store) => {
      const status = await readFleetStatus(store);
      io.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatFleetStatus(status));
      return 0;
    });
  }
  throw new UsageError(`fleet needs an action, apply or status (got ${action ? `"${action}"` : 'none'})`);
}

/**
 * cameras.yml: a `cameras:` mapping in the agent's camera syntax, each with an optional `site`;
 * checked with the agent's own schema against agent.yml (its detectors) before anything is written.
 */
function readCamerasFile(
  file: string,
  agentDoc: unknown,
  agentFile: string,
  io: CliIo,
): Record<string, StoredCamera> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      [
        {
          path: '',
          message: `cannot read ${file}: ${(error as Error).message}`,
          hint: 'pass the cameras file as the last argument',
        },
      ],
      file,
    );
  }
  const doc = parseConfigDocument(text, file, io.env);
  const cameras =
    typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).cameras : undefined;
  if (
    typeof cameras !== 'object' ||
    cameras === null ||
    Array.isArray(cameras) ||
    Object.keys(cameras).length === 0
  )
    throw new ConfigError(
      [
        {
          path: 'cameras',
          message: 'no `cameras:` mapping',
          hint: 'write `cameras: { front: { url: rtsp://…, site: hq } }`',
        },
      ],
      file,
    );
  const stored: Record<string, StoredCamera> = {};
  const issues: ConfigIssue[] = [];
  for (const [id, value] of Object.entries(cameras as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({
        path: `cameras.${id}`,
        message: 'is not a mapping',
        hint: 'write `url: …` and the other camera keys under it',
      });
      continue;
    }
    const { site, ...camera } = value as Record<string, unknown>;
    if (site !== undefined && (typeof site !== 'string' || site === ''))
      issues.push({
        path: `cameras.${id}.site`,
        message: 'is not a site name',
        hint: 'write e.g. `site: hq`, or leave it out to run anywhere',
      });
    stored[id] = { ...(typeof site === 'string' && site !== '' ? { site } : {}), camera };
  }
  if (issues.length > 0) throw new ConfigError(issues, file);
  const base = typeof agentDoc === 'object' && agentDoc !== null ? agentDoc : {};
  try {
    validateWithFlags(
      { ...base, cameras: Object.fromEntries(Object.entries(stored).map(([id, s]) => [id, s.camera])) },
      {},
      agentFile,
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.issues, `${file} (with ${agentFile})`);
    throw error;
  }
  return stored;
}

async function withStore(fleet: FleetConfig, run: (store: FleetStore) => Promise<number>): Promise<number> {
  let store: FleetStore;
  try {
    store = await FleetStore.open(fleet, 'edge-agent fleet', false);
  } catch (error) {
    throw new Error(
      `cannot reach NATS JetStream at ${fleet.nats.servers.join(', ')}: ${(error as Error).message}; start nats-server with -js or fix fleet.nats`,
    );
  }
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

function list(ids: readonly string[]): string {
  return ids.length === 0 ? 'none' : ids.join(', ');
}
