import { quote } from './describe.js';
import { ConfigError, type ConfigIssue } from './issues.js';
import { DEFAULT_DETECTOR } from './schema/agent-config.js';
import type { AgentConfig } from './types.js';
import { validateConfig } from './validate.js';

/** Command-line settings that override (or stand in for) the config file. */
export interface AgentFlags {
  /** `--source <id>=<url>`, repeatable: adds or replaces cameras. */
  readonly sources?: readonly string[];
  readonly model?: string;
  readonly mqtt?: string;
  readonly prefix?: string;
  readonly http?: string;
  readonly fps?: number;
  readonly logLevel?: string;
}

type Doc = Record<string, unknown>;

function mapping(value: unknown): Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Doc) } : {};
}

/**
 * Writes the flags into a config document as the keys they stand for (flags win), so that one
 * validation checks file and flags together. Returns the document, the flags' own syntax problems,
 * and which flag set each key, so problems are reported under the flag's name.
 */
export function mergeFlags(
  doc: unknown,
  flags: AgentFlags,
): { doc: Doc; issues: ConfigIssue[]; flagOf: Map<string, string> } {
  const out = mapping(doc);
  const issues: ConfigIssue[] = [];
  const flagOf = new Map<string, string>();
  const detectors = mapping(out.detectors);
  if (flags.model) {
    const names = Object.keys(detectors);
    const target = names.length === 1 && names[0] ? names[0] : DEFAULT_DETECTOR;
    detectors[target] = { ...mapping(detectors[target]), model: flags.model };
    out.detectors = detectors;
    flagOf.set(`detectors.${target}.model`, '--model');
  }
  const cameras = mapping(out.cameras);
  const detector = Object.keys(detectors)[0] ?? DEFAULT_DETECTOR;
  for (const [i, source] of (flags.sources ?? []).entries()) {
    const eq = source.indexOf('=');
    const id = eq > 0 ? source.slice(0, eq) : '';
    const url = source.slice(eq + 1);
    if (!id || !url) {
      issues.push({
        path: `--source[${i}]`,
        message: `${quote(source)} is not <id>=<url>`,
        hint: 'write e.g. `--source front=rtsp://cam/stream`',
      });
      continue;
    }
    cameras[id] = { url, detector };
    flagOf.set(`cameras.${id}`, `--source[${i}]`);
    flagOf.set(`cameras.${id}.url`, `--source[${i}]`);
    flagOf.set(`cameras.${id}.detector`, `--source[${i}]`);
  }
  if (flags.fps)
    for (const id of Object.keys(cameras)) {
      cameras[id] = { ...mapping(cameras[id]), fps: flags.fps };
      flagOf.set(`cameras.${id}.fps`, '--fps');
    }
  if (flags.sources || flags.fps) out.cameras = cameras;
  if (flags.http) {
    out.http = { ...mapping(out.http), enabled: true, listen: flags.http };
    flagOf.set('http.listen', '--http');
  }
  if (flags.mqtt) {
    const { host: _host, port: _port, enabled: _enabled, ...rest } = mapping(out.mqtt);
    out.mqtt = { ...rest, url: flags.mqtt };
    flagOf.set('mqtt.url', '--mqtt');
  }
  if (flags.prefix) {
    const mqtt = mapping(out.mqtt);
    if (out.mqtt === undefined || out.mqtt === null || mqtt.enabled === false || mqtt.enabled === 'false')
      issues.push({
        path: '--prefix',
        message: 'a topic prefix without a broker',
        hint: 'add `--mqtt mqtt://host:1883`',
      });
    else out.mqtt = { ...mqtt, topic_prefix: flags.prefix };
    flagOf.set('mqtt.topic_prefix', '--prefix');
  }
  if (flags.logLevel !== undefined) {
    // The flag wins over the file's `level` and its Frigate spelling `default` alike.
    const { default: _default, ...logger } = mapping(out.logger);
    out.logger = { ...logger, level: flags.logLevel };
    flagOf.set('logger.level', '--log-level');
  }
  return { doc: out, issues, flagOf };
}

/** Merges the flags into a config document and validates the result once; problems set by a flag carry its name. */
export function validateWithFlags(doc: unknown, flags: AgentFlags, file?: string): AgentConfig {
  const merged = mergeFlags(doc, flags);
  if (merged.issues.length > 0) throw new ConfigError(merged.issues, file);
  try {
    return validateConfig(merged.doc, file);
  } catch (err) {
    if (!(err instanceof ConfigError) || merged.flagOf.size === 0) throw err;
    const renamed = err.issues.map((i) => {
      const flag = merged.flagOf.get(i.path);
      return flag ? { ...i, path: flag } : i;
    });
    throw new ConfigError(renamed, file);
  }
}

/** The config the flags alone describe: what `run` starts from when no `--config` is given. */
export function configFromFlags(flags: AgentFlags = {}): AgentConfig {
  return validateWithFlags({}, flags);
}
