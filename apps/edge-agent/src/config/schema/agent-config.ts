import { z } from 'zod';
import { type CameraSection, camerasSection, toDecodeOptions } from './cameras.js';
import { type DetectorConfig, detectorsSection } from './detectors.js';
import { about, always, field, problem, type Refinement } from './fields.js';
import { fleetSection } from './fleet.js';
import { httpSection } from './http.js';
import { loggerSection } from './logger.js';
import { mqttSection } from './mqtt.js';
import { type ObjectsMapping, objectsSection, resolveObjects } from './objects.js';
import { restreamEnabled, toRestream } from './restream.js';
import { anonymousExposure, rtspSection } from './rtsp.js';
import { type TrackerConfig, trackerSection } from './tracker.js';

/** The detector a camera gets when it names none and there is not exactly one. */
export const DEFAULT_DETECTOR = 'default';

const sections = z
  .strictObject({
    mqtt: mqttSection.optional().meta(about('MQTT broker; absent: no MQTT')),
    http: httpSection,
    rtsp: rtspSection,
    detectors: detectorsSection,
    tracker: trackerSection,
    cameras: camerasSection,
    logger: loggerSection,
    objects: objectsSection.meta(
      about("every camera's labels and filters; a camera's own `objects` wins", 'Frigate `objects`'),
    ),
    fleet: fleetSection
      .optional()
      .meta(
        about('cameras shared out across agents on NATS JetStream; absent: this box runs its own `cameras`'),
      ),
  })
  .meta({ title: 'rxvision edge-agent configuration', description: 'the whole config' });

/** The config file: every section, the rules between them, and the shape the agent runs on. */
export const agentConfigSchema = sections
  .superRefine(checkDetectorNames, always)
  .superRefine(checkRestreamExposure, always)
  .transform((c) => ({
    ...(c.mqtt ? { mqtt: c.mqtt } : {}),
    http: c.http,
    rtsp: c.rtsp,
    detectors: c.detectors,
    tracker: c.tracker,
    cameras: Object.fromEntries(
      Object.entries(c.cameras).map(([id, camera]) => [
        id,
        toCameraConfig(id, camera, c.detectors, c.tracker, c.objects),
      ]),
    ),
    logLevel: c.logger.level,
    ...(c.fleet ? { fleet: c.fleet } : {}),
  }));

/** The detector a camera uses: its own `detector`, else the only detector, else `default`. */
function detectorOf(camera: unknown, detectorNames: readonly string[]): string {
  const named = field(camera, 'detector');
  if (typeof named === 'string' && named !== '') return named;
  return detectorNames.length === 1 && detectorNames[0] ? detectorNames[0] : DEFAULT_DETECTOR;
}

function checkDetectorNames(config: unknown, ctx: Refinement): void {
  const detectors = Object.keys(field(config, 'detectors') ?? {});
  for (const [id, camera] of Object.entries(field(config, 'cameras') ?? {})) {
    const detector = detectorOf(camera, detectors);
    if (detectors.includes(detector)) continue;
    problem(
      ctx,
      detectors.length === 0 ? 'no detector is configured' : `no detector named "${detector}"`,
      detectors.length === 0
        ? 'add `detectors: { default: { model: /path/to/yolo.onnx } }` or pass `--model <path>`'
        : `use one of: ${detectors.join(', ')}`,
      ['cameras', id, 'detector'],
    );
  }
}

/** A restream served beyond loopback needs a login or `allow_anonymous`; checked only when a camera restreams. */
function checkRestreamExposure(config: unknown, ctx: Refinement): void {
  const restreaming = Object.values(field(config, 'cameras') ?? {}).some(
    (camera) => field(camera, 'enabled') !== false && restreamEnabled(field(camera, 'restream')),
  );
  if (!restreaming) return;
  const exposed = anonymousExposure(field(config, 'rtsp') ?? {});
  if (exposed) problem(ctx, exposed.message, exposed.hint, ['rtsp', 'listen']);
}

function toCameraConfig(
  id: string,
  c: CameraSection,
  detectors: Readonly<Record<string, DetectorConfig>>,
  tracker: TrackerConfig,
  objects: ObjectsMapping | undefined,
) {
  return {
    id,
    url: c.url,
    enabled: c.enabled,
    ...(c.fps !== undefined ? { fps: c.fps } : {}),
    detector: detectorOf(c, Object.keys(detectors)),
    ...(c.min_score !== undefined ? { minScore: c.min_score } : {}),
    ...resolveObjects(c.objects, objects),
    zones: c.zones,
    lines: c.lines,
    restream: toRestream(id, c.restream),
    snapshots: c.snapshots,
    stallTimeout: c.stall_timeout,
    live: c.live,
    decode: toDecodeOptions(c),
    tracker: { ...tracker, ...c.tracker },
  };
}

/** The whole agent configuration, validated and with every default filled in. */
export type AgentConfig = z.output<typeof agentConfigSchema>;
/** `cameras.<id>` as the agent uses it. */
export type CameraConfig = AgentConfig['cameras'][string];
