import { prepareDefaultModel } from '@rxvision/models';
import { validateWithFlags } from '../config/flags.js';
import { readConfigDocument } from '../config/load.js';
import { DEFAULT_DETECTOR } from '../config/schema/agent-config.js';
import type { AgentConfig } from '../config/types.js';
import { type EmbeddedBroker, prepareDemoClip, startEmbeddedBroker } from '../demo/index.js';
import { type AgentLogger, createLogger } from '../ops/logger.js';
import type { CliIo } from './io.js';
import { flagsOf, parseRunArgs, runAgent } from './run-command.js';

const DEMO_CAMERA = 'demo';

/**
 * `edge-agent demo`: the default model (converted and cached on first use), the demo clip played
 * as a live looping camera `demo` with its annotated restream, and an embedded MQTT broker on
 * localhost:1883 when no broker is configured. Flags and `--config` work as for `run`.
 */
export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const values = parseRunArgs('demo', args);
  const flags = flagsOf(values);
  const doc = values.config ? readConfigDocument(values.config, io.env) : {};
  // `--log-level` must already govern the model download and broker messages below.
  const base = validateWithFlags(doc, flags.logLevel ? { logLevel: flags.logLevel } : {}, values.config);
  const { logLevel } = base;
  const log = createLogger({ level: logLevel, stream: io.stderr });
  const progress = (message: string) => log.info(message);

  const model =
    flags.model ??
    (Object.keys(base.detectors).length > 0 ? undefined : await prepareDefaultModel({ log: progress }));
  const withCamera =
    flags.sources || Object.keys(base.cameras).length > 0
      ? doc
      : addDemoCamera(doc, base, await prepareDemoClip({ log: progress }));
  let broker: EmbeddedBroker | undefined;
  let mqttUrl = flags.mqtt;
  if (!mqttUrl && !base.mqtt) {
    broker = await startBroker(log);
    mqttUrl = broker?.url ?? 'mqtt://127.0.0.1:1883';
  }
  const config = validateWithFlags(
    withCamera,
    { ...flags, ...(model ? { model } : {}), ...(mqttUrl ? { mqtt: mqttUrl } : {}) },
    values.config,
  );
  printHints(config, io);
  try {
    return await runAgent(config, log, io);
  } finally {
    await broker?.close();
  }
}

/** The demo clip as camera `demo` of the config document, on its first detector. */
function addDemoCamera(doc: unknown, base: AgentConfig, clip: string): unknown {
  const detector = Object.keys(base.detectors)[0] ?? DEFAULT_DETECTOR;
  const camera = { url: clip, fps: 5, restream: true, objects: ['person'], detector };
  const raw = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  const cameras = typeof raw.cameras === 'object' && raw.cameras !== null ? raw.cameras : {};
  return { ...raw, cameras: { ...cameras, [DEMO_CAMERA]: camera } };
}

/** The embedded broker on :1883; if that port is taken (a local mosquitto, say), use what listens there. */
async function startBroker(log: AgentLogger): Promise<EmbeddedBroker | undefined> {
  try {
    const broker = await startEmbeddedBroker({ port: 1883 });
    log.info('embedded MQTT broker listening', { url: broker.url });
    return broker;
  } catch (err) {
    log.warn('embedded MQTT broker not started; publishing to the broker already on localhost:1883', {
      reason: (err as Error).message,
    });
    return undefined;
  }
}

function printHints(config: AgentConfig, io: CliIo): void {
  const mqtt = config.mqtt;
  const lines = ['', 'rxvision demo — what to open:'];
  if (mqtt) {
    const { hostname, port } = new URL(mqtt.url);
    lines.push(`  events:   mosquitto_sub -h ${hostname} -p ${port || 1883} -t '${mqtt.topicPrefix}/#' -v`);
  }
  for (const camera of Object.values(config.cameras)) {
    if (camera.restream.enabled)
      lines.push(`  video:    ffplay rtsp://localhost:${config.rtsp.port}${camera.restream.path}`);
  }
  if (config.http.enabled)
    lines.push(`  metrics:  curl http://${config.http.host}:${config.http.port}/metrics`);
  lines.push('  stop:     Ctrl-C', '');
  io.stderr.write(`${lines.join('\n')}\n`);
}
