import type { Agent } from '../agent/agent.js';
import type { AgentConfig, FleetConfig } from '../config/types.js';
import type { AgentLogger } from '../ops/logger.js';
import { measureCapacity } from './capacity.js';
import { withFleetCameras } from './fleet-config.js';
import { FleetMember } from './fleet-member.js';

export interface JoinFleetOptions {
  readonly fleet: FleetConfig;
  readonly detectors: readonly string[];
  /** Reads the agent's config file again (its `${VAR}`s substituted). */
  readonly readDocument: () => unknown;
  /** The agent's validation of a document, its command-line flags merged in. */
  readonly validate: (doc: unknown) => AgentConfig;
  readonly version: string;
  readonly log: AgentLogger;
}

/**
 * Makes a running agent a fleet member: measures its capacity unless configured, then runs the
 * fleet cameras assigned to it, each assignment applied with the agent's `reload()`.
 */
export async function joinFleet(agent: Agent, options: JoinFleetOptions): Promise<FleetMember> {
  const { fleet, log } = options;
  const capacity = fleet.capacity ?? (await measuredCapacity(agent, options.detectors[0], log));
  const member = new FleetMember({
    fleet,
    capacity,
    version: options.version,
    log: log.child({ component: 'fleet' }),
    apply: async (cameras) => {
      await agent.reload(withFleetCameras(options.readDocument(), cameras, log, options.validate));
    },
  });
  agent.attachFleet(member);
  member.start();
  return member;
}

async function measuredCapacity(
  agent: Agent,
  detector: string | undefined,
  log: AgentLogger,
): Promise<number> {
  if (detector === undefined)
    throw new Error('fleet: no detector to measure the capacity of; set `fleet.capacity`');
  const capacity = await measureCapacity(await agent.detector(detector));
  log.info('fleet: measured capacity', {
    detector,
    imagesPerSecond: capacity,
    hint: 'set `fleet.capacity` to fix it',
  });
  return capacity;
}
