import { ConfigError, type ConfigIssue } from './issues.js';
import type { AgentConfig, CameraConfig, DetectorConfig } from './types.js';
import { DEFAULT_DETECTOR, DEFAULT_HTTP, parseListen, validateConfig } from './validate.js';

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

/** An empty config: what `run` starts from when no `--config` is given. */
export function emptyConfig(): AgentConfig {
  return validateConfig({});
}

/**
 * Applies flags on top of a config (flags win), then re-checks what they touched.
 * `--model` sets the model of the `default` detector (creating it); `--source id=url` adds cameras.
 */
export function applyFlags(config: AgentConfig, flags: AgentFlags): AgentConfig {
  const issues: ConfigIssue[] = [];
  const detectors: Record<string, DetectorConfig> = { ...config.detectors };
  if (flags.model) {
    const names = Object.keys(detectors);
    const target = names.length === 1 && names[0] ? names[0] : DEFAULT_DETECTOR;
    const base =
      detectors[target] ??
      validateConfig({ detectors: { [target]: { model: flags.model } } }).detectors[target];
    if (base) detectors[target] = { ...base, model: flags.model };
  }
  const cameras: Record<string, CameraConfig> = { ...config.cameras };
  const detectorName = Object.keys(detectors)[0] ?? DEFAULT_DETECTOR;
  for (const [i, source] of (flags.sources ?? []).entries()) {
    const eq = source.indexOf('=');
    const id = eq > 0 ? source.slice(0, eq) : '';
    const url = source.slice(eq + 1);
    if (!id || !url) {
      issues.push({
        path: `--source[${i}]`,
        message: `"${source}" is not <id>=<url>`,
        hint: 'write e.g. `--source front=rtsp://cam/stream`',
      });
      continue;
    }
    const parsed = validateConfig({
      detectors: { [detectorName]: { model: 'x' } },
      cameras: { [id]: { url, detector: detectorName } },
    });
    const camera = parsed.cameras[id];
    if (camera)
      cameras[id] = { ...camera, tracker: config.tracker, ...(flags.fps ? { fps: flags.fps } : {}) };
  }
  if (flags.fps)
    for (const id of Object.keys(cameras)) cameras[id] = { ...(cameras[id] as CameraConfig), fps: flags.fps };
  let http = config.http;
  if (flags.http) {
    const listen = parseListen(flags.http);
    if (listen) http = { ...(http ?? DEFAULT_HTTP), enabled: true, ...listen };
    else
      issues.push({
        path: '--http',
        message: `"${flags.http}" is not host:port`,
        hint: 'write e.g. `--http 127.0.0.1:9464`',
      });
  }
  let mqtt = config.mqtt;
  if (flags.mqtt) mqtt = { ...(mqtt ?? { topicPrefix: 'rxvision' }), url: flags.mqtt };
  if (flags.prefix) {
    if (!mqtt)
      issues.push({
        path: '--prefix',
        message: 'a topic prefix without a broker',
        hint: 'add `--mqtt mqtt://host:1883`',
      });
    else if (/[#+]/.test(flags.prefix))
      issues.push({
        path: '--prefix',
        message: `"${flags.prefix}" holds an MQTT wildcard`,
        hint: 'use plain words, e.g. `--prefix rxvision`',
      });
    else mqtt = { ...mqtt, topicPrefix: flags.prefix };
  }
  for (const camera of Object.values(cameras)) {
    if (!detectors[camera.detector]) {
      issues.push({
        path: `cameras.${camera.id}.detector`,
        message: `no detector named "${camera.detector}"`,
        hint: 'pass `--model <path.onnx>` or add a `detectors` section',
      });
    }
  }
  const logLevel =
    flags.logLevel === undefined
      ? config.logLevel
      : (['debug', 'info', 'warn', 'error'] as const).find((l) => l === flags.logLevel);
  if (!logLevel)
    issues.push({
      path: '--log-level',
      message: `unknown level "${flags.logLevel}"`,
      hint: 'use debug, info, warn or error',
    });
  if (issues.length > 0) throw new ConfigError(issues);
  return { ...config, detectors, cameras, http, logLevel: logLevel ?? 'info', ...(mqtt ? { mqtt } : {}) };
}
