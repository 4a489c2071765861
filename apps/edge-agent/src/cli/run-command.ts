import { parseArgs } from 'node:util';
import { Agent } from '../agent/agent.js';
import { type AgentFlags, configFromFlags, validateWithFlags } from '../config/flags.js';
import { ConfigError } from '../config/issues.js';
import { loadConfig, parseConfigDocument, readConfigDocument } from '../config/load.js';
import { assertRunnable } from '../config/runnable.js';
import type { AgentConfig } from '../config/types.js';
import { type JoinFleetOptions, joinFleet } from '../fleet/join-fleet.js';
import { agentVersion } from '../ops/agent-version.js';
import { type AgentLogger, createLogger } from '../ops/logger.js';
import type { AreasEditor } from '../ops/web/areas-editor.js';
import { RUN_OPTIONS } from './command-options.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

export interface RunValues {
  readonly config?: string;
  readonly source?: string[];
  readonly model?: string;
  readonly mqtt?: string;
  readonly prefix?: string;
  readonly http?: string;
  readonly fps?: string;
  readonly 'log-level'?: string;
}

/** The flags of `run`/`demo` as `AgentFlags`. */
export function flagsOf(values: RunValues): AgentFlags {
  const fps = values.fps === undefined ? undefined : Number(values.fps);
  if (fps !== undefined && !(fps > 0))
    throw new UsageError(`--fps must be a positive number, got "${values.fps}"`);
  return {
    ...(values.source ? { sources: values.source } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(values.mqtt ? { mqtt: values.mqtt } : {}),
    ...(values.prefix ? { prefix: values.prefix } : {}),
    ...(values.http ? { http: values.http } : {}),
    ...(fps ? { fps } : {}),
    ...(values['log-level'] ? { logLevel: values['log-level'] } : {}),
  };
}

/** Reads the config file (if any), merges the flags into it and validates the two together. */
export function resolveConfig(values: RunValues, io: CliIo): AgentConfig {
  const flags = flagsOf(values);
  return values.config ? loadConfig(values.config, io.env, flags) : configFromFlags(flags);
}

/** Parses the flags `run` and `demo` share; neither takes positional arguments. */
export function parseRunArgs(command: 'run' | 'demo', args: string[]): RunValues {
  const { values, positionals } = parseArgs({
    args,
    options: RUN_OPTIONS,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`${command} takes no positional arguments (got "${positionals.join(' ')}")`);
  return values;
}

/** `edge-agent run`: runs until SIGINT/SIGTERM (exit 0) or until every camera has ended. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const values = parseRunArgs('run', args);
  const config = resolveConfig(values, io);
  if (!values.config && Object.keys(config.cameras).length === 0) {
    throw new UsageError('no camera: pass --source <id>=<url> or a --config file with `cameras`');
  }
  // Refused before anything starts: a missing model or a mistyped URL would restart-loop forever.
  assertRunnable(config, values.config);
  const log = createLogger({ level: config.logLevel, stream: io.stderr });
  const reread = (): AgentConfig => {
    const next = resolveConfig(values, io);
    assertRunnable(next, values.config);
    return next;
  };
  const file = values.config;
  const fleet =
    config.fleet && file
      ? {
          fleet: config.fleet,
          detectors: Object.keys(config.detectors),
          readDocument: () => readConfigDocument(file, io.env),
          validate: (doc: unknown) => validateWithFlags(doc, flagsOf(values), file),
          version: agentVersion(),
          log,
        }
      : undefined;
  // The web editor's apply writes the file and reloads; in a fleet the cameras come from NATS instead.
  const areas: AreasFile | undefined = !file
    ? undefined
    : config.fleet
      ? {
          unavailable:
            'this agent is in a fleet (`fleet`): its cameras come from NATS, not from its config file',
        }
      : {
          file,
          check: (text) =>
            assertRunnable(
              validateWithFlags(parseConfigDocument(text, file, io.env), flagsOf(values), file),
              file,
            ),
        };
  return runAgent(config, log, io, file ? reread : undefined, fleet, areas);
}

/** The editor's apply as `runCommand` knows it: the file and its check; `runAgent` adds the reload. */
export type AreasFile =
  | { readonly file: string; check(text: string): void }
  | { readonly unavailable: string };

/**
 * Starts the agent and wires the process signals: SIGINT/SIGTERM stop it cleanly (exit 0);
 * SIGHUP re-reads the config with `reread` (a bad file is logged and the running config kept).
 */
/** ms after a stop signal by which the process ends, clean or not (systemd and Docker wait 10 s before SIGKILL). */
const SHUTDOWN_DEADLINE_MS = 9500;

export async function runAgent(
  config: AgentConfig,
  log: AgentLogger,
  io: CliIo,
  reread?: () => AgentConfig,
  fleetOptions?: JoinFleetOptions,
  areas?: AreasFile,
): Promise<number> {
  // The editor's reload is the SIGHUP path below; a request before start() returns has no agent yet.
  let started: Agent | undefined;
  const areasEditor: AreasEditor | undefined =
    areas && 'file' in areas && reread
      ? {
          ...areas,
          reload: async () => {
            if (!started) throw new Error('the agent is still starting; retry');
            return started.reload(reread());
          },
        }
      : areas && 'unavailable' in areas
        ? areas
        : undefined;
  const agent = await Agent.start({
    config,
    log,
    statusStream: io.stdout,
    ...(areasEditor ? { areasEditor } : {}),
  });
  started = agent;
  const fleet = fleetOptions ? await joinFleet(agent, fleetOptions) : undefined;
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      log.info('signal received; shutting down', { signal });
      detach();
      // Each step of stop() is bounded; this bounds their sum, whatever state the agent is in.
      const deadline = setTimeout(() => {
        log.error('shutdown did not finish in time; exiting anyway', { afterMs: SHUTDOWN_DEADLINE_MS });
        resolve(1);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      agent.stop(SHUTDOWN_DEADLINE_MS - 1500).then(
        () => {
          clearTimeout(deadline);
          resolve(0);
        },
        (err: Error) => {
          clearTimeout(deadline);
          log.error('shutdown failed', { error: err.message });
          resolve(1);
        },
      );
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    const onHup = () => {
      if (!reread) {
        log.warn('SIGHUP ignored: no --config file to re-read');
        return;
      }
      let next: AgentConfig;
      try {
        next = reread();
      } catch (err) {
        log.error('config reload refused; keeping the running config', {
          error: err instanceof ConfigError ? err.message : (err as Error).message,
        });
        return;
      }
      // In a fleet the re-read file is applied together with the cameras assigned to this box.
      (fleet ? fleet.reapply() : agent.reload(next)).catch((err: Error) =>
        log.error('config reload failed', { error: err.message }),
      );
    };
    const detach = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
    };
    agent.idle.then(() => stop('every camera ended'));
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
  });
}
