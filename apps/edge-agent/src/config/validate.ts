import type { ConfigIssue } from './issues.js';
import { ConfigError } from './issues.js';
import { MappingReader, type MappingReader as Reader } from './reader.js';
import type {
  AgentConfig,
  CameraConfig,
  DetectorConfig,
  HttpConfig,
  LineConfig,
  LogLevel,
  MqttConfig,
  Point,
  ProviderConfig,
  ProviderName,
  TrackerConfig,
  ZoneConfig,
} from './types.js';

const PROVIDERS: readonly ProviderName[] = ['tensorrt', 'cuda', 'webgpu', 'cpu'];
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const ID = /^[A-Za-z0-9_-]+$/;
/** What a broker accepts as one publish topic level (labels such as `traffic light` keep their space). */
const TOPIC_LEVEL = /^[^/#+]+$/;

export const DEFAULT_HTTP: HttpConfig = { enabled: true, host: '127.0.0.1', port: 9464 };
export const DEFAULT_DETECTOR = 'default';

/**
 * Checks a parsed YAML document and returns the agent config with every default filled in.
 * Throws a `ConfigError` listing every problem (key path, what is wrong, how to fix it).
 */
export function validateConfig(raw: unknown, file?: string): AgentConfig {
  const issues: ConfigIssue[] = [];
  const config = readConfig(raw, issues);
  if (issues.length > 0 || !config) throw new ConfigError(issues, file);
  return config;
}

function readConfig(raw: unknown, issues: ConfigIssue[]): AgentConfig | undefined {
  const root = MappingReader.of(raw, '', issues, 'the whole config');
  if (!root) return undefined;
  root.onlyKeys(['mqtt', 'http', 'rtsp', 'detectors', 'tracker', 'cameras', 'logger']);
  const mqtt = root.has('mqtt') ? readMqtt(root.mapping('mqtt', 'MQTT broker settings')) : undefined;
  const http = readHttp(root.mapping('http', 'HTTP server settings'));
  const rtspReader = root.mapping('rtsp', 'RTSP restream server settings');
  rtspReader?.onlyKeys(['port']);
  const rtsp = { port: rtspReader?.number('port', { min: 1, max: 65535, integer: true }) ?? 8554 };
  const detectors = readDetectors(root);
  const tracker = readTracker(root.mapping('tracker', 'tracker settings'), { type: 'bytetrack' });
  const cameras = readCameras(root, detectors, tracker);
  const logger = root.mapping('logger', 'log settings');
  logger?.onlyKeys(['level']);
  const logLevel = logger?.oneOf('level', LEVELS) ?? 'info';
  return { ...(mqtt ? { mqtt } : {}), http, rtsp, detectors, tracker, cameras, logLevel };
}

function readMqtt(m: Reader | undefined): MqttConfig | undefined {
  if (!m) return undefined;
  m.onlyKeys(['enabled', 'url', 'host', 'port', 'topic_prefix', 'client_id', 'user', 'password']);
  if (m.boolean('enabled') === false) return undefined;
  const host = m.string('host');
  const port = m.number('port', { min: 1, max: 65535, integer: true });
  let url = m.string('url');
  if (url && host)
    m.issue('host', 'both `url` and `host` are set', 'keep one: `url: mqtt://host:1883` or `host` + `port`');
  if (!url && host) url = `mqtt://${host}:${port ?? 1883}`;
  if (!url) {
    m.issue(
      'url',
      'no broker given',
      'add `url: mqtt://<host>:1883` (or `host: <host>`), or remove the `mqtt` section',
    );
    return undefined;
  }
  if (!/^(mqtts?|wss?|tcp|ssl):\/\//.test(url)) {
    m.issue(
      'url',
      `"${url}" is not an MQTT URL`,
      'write it as `mqtt://host:1883` (or mqtts://, ws://, wss://)',
    );
  }
  const topicPrefix = m.string('topic_prefix') ?? 'rxvision';
  if (/[#+]/.test(topicPrefix) || topicPrefix.startsWith('/') || topicPrefix.endsWith('/')) {
    m.issue(
      'topic_prefix',
      `"${topicPrefix}" cannot prefix topics`,
      'use plain words such as `rxvision` (no `#`, `+`, or leading/trailing `/`)',
    );
  }
  const clientId = m.string('client_id');
  const user = m.string('user');
  const password = m.string('password');
  return {
    url,
    topicPrefix,
    ...(clientId ? { clientId } : {}),
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
  };
}

function readHttp(h: Reader | undefined): HttpConfig {
  if (!h) return DEFAULT_HTTP;
  h.onlyKeys(['enabled', 'listen']);
  const enabled = h.boolean('enabled') ?? true;
  const listen = h.string('listen');
  if (!listen) return { ...DEFAULT_HTTP, enabled };
  const parsed = parseListen(listen);
  if (!parsed) {
    h.issue(
      'listen',
      `"${listen}" is not host:port`,
      'write e.g. `listen: 127.0.0.1:9464` (or `0.0.0.0:9464` to serve other machines)',
    );
    return DEFAULT_HTTP;
  }
  return { enabled, ...parsed };
}

/** Parses `host:port` (or a bare port) as given to `http.listen` / `--http`. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (!(port >= 0 && port <= 65535)) return undefined;
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

function readDetectors(root: Reader): Record<string, DetectorConfig> {
  const section = root.mapping('detectors', 'detector name → settings');
  const out: Record<string, DetectorConfig> = {};
  if (!section) return out;
  for (const name of Object.keys(section.value)) {
    const d = section.mapping(name, `settings of detector ${name}`);
    if (!d) continue;
    if (!ID.test(name))
      section.issue(
        name,
        'detector names may use letters, digits, `_` and `-` only',
        `rename it, e.g. \`${name.replace(/[^A-Za-z0-9_-]/g, '_')}\``,
      );
    d.onlyKeys(['model', 'providers', 'batch_size', 'batch_timeout_ms', 'min_score', 'nms_iou_threshold']);
    const model = d.string('model', true) ?? '';
    out[name] = {
      name,
      model,
      providers: readProviders(d),
      batchSize: d.number('batch_size', { min: 1, max: 64, integer: true }) ?? 4,
      batchTimeoutMs: d.number('batch_timeout_ms', { min: 0, max: 1000 }) ?? 20,
      minScore: d.number('min_score', { min: 0, max: 1 }) ?? 0.25,
      nmsIouThreshold: d.number('nms_iou_threshold', { min: 0, max: 1 }) ?? 0.45,
    };
  }
  return out;
}

function readProviders(d: Reader): ProviderConfig[] {
  const raw = d.value.providers;
  if (raw === undefined || raw === null) return [{ name: 'cpu', options: {} }];
  const hint =
    'write a list in priority order, e.g. `providers: [tensorrt, cuda, cpu]` or `- cuda: { device_id: 0 }`';
  if (!Array.isArray(raw)) {
    d.issue('providers', 'expected a list', hint);
    return [];
  }
  const out: ProviderConfig[] = [];
  raw.forEach((entry: unknown, i) => {
    const at = `providers[${i}]`;
    if (typeof entry === 'string') {
      const name = PROVIDERS.find((p) => p === entry);
      if (name) out.push({ name, options: {} });
      else d.issue(at, `unknown provider "${entry}"`, `use one of: ${PROVIDERS.join(', ')}`);
      return;
    }
    const single = MappingReader.of(entry, d.keyPath(at), [], 'provider');
    const keys = single ? Object.keys(single.value) : [];
    const name = PROVIDERS.find((p) => p === keys[0]);
    const options = single?.value[keys[0] ?? ''];
    if (keys.length !== 1 || !name) {
      d.issue(
        at,
        'expected a provider name or `<provider>: { options }`',
        `use one of: ${PROVIDERS.join(', ')}`,
      );
      return;
    }
    const opts: Record<string, string | number | boolean> = {};
    if (options !== null && options !== undefined) {
      if (typeof options !== 'object' || Array.isArray(options)) {
        d.issue(`${at}.${name}`, 'provider options must be a mapping', `write \`- ${name}: { key: value }\``);
        return;
      }
      for (const [k, v] of Object.entries(options)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') opts[k] = v;
        else
          d.issue(
            `${at}.${name}.${k}`,
            'provider options are plain values',
            'use a string, number or boolean',
          );
      }
    }
    out.push({ name, options: opts });
  });
  return out;
}

function readTracker(t: Reader | undefined, base: TrackerConfig): TrackerConfig {
  if (!t) return base;
  t.onlyKeys([
    'type',
    'track_thresh',
    'match_thresh',
    'track_buffer',
    'max_age',
    'min_hits',
    'iou_threshold',
    'box',
  ]);
  const unit = { min: 0, max: 1 };
  const count = { min: 0, max: 100_000, integer: true };
  const pick = (key: string, value: number | undefined, fallback: number | undefined) =>
    value !== undefined ? { [key]: value } : fallback !== undefined ? { [key]: fallback } : {};
  const box = t.oneOf('box', ['detection', 'filter'] as const) ?? base.box;
  return {
    type: t.oneOf('type', ['bytetrack', 'sort'] as const) ?? base.type,
    ...pick('trackThresh', t.number('track_thresh', unit), base.trackThresh),
    ...pick('matchThresh', t.number('match_thresh', unit), base.matchThresh),
    ...pick('trackBuffer', t.number('track_buffer', count), base.trackBuffer),
    ...pick('maxAge', t.number('max_age', count), base.maxAge),
    ...pick('minHits', t.number('min_hits', count), base.minHits),
    ...pick('iouThreshold', t.number('iou_threshold', unit), base.iouThreshold),
    ...(box ? { box } : {}),
  };
}

function readCameras(
  root: Reader,
  detectors: Record<string, DetectorConfig>,
  tracker: TrackerConfig,
): Record<string, CameraConfig> {
  const section = root.mapping('cameras', 'camera id → settings');
  const out: Record<string, CameraConfig> = {};
  if (!section) return out;
  const detectorNames = Object.keys(detectors);
  for (const id of Object.keys(section.value)) {
    const c = section.mapping(id, `settings of camera ${id}`);
    if (!c) continue;
    if (!ID.test(id))
      section.issue(
        id,
        'camera ids may use letters, digits, `_` and `-` only (they become MQTT topics)',
        `rename it, e.g. \`${id.replace(/[^A-Za-z0-9_-]/g, '_')}\``,
      );
    c.onlyKeys([
      'url',
      'enabled',
      'fps',
      'detector',
      'min_score',
      'objects',
      'zones',
      'lines',
      'restream',
      'stall_timeout',
      'live',
      'tracker',
    ]);
    const url = c.string('url', true) ?? '';
    const detector =
      c.string('detector') ??
      (detectorNames.length === 1 ? detectorNames[0] : DEFAULT_DETECTOR) ??
      DEFAULT_DETECTOR;
    if (!detectors[detector]) {
      c.issue(
        'detector',
        detectorNames.length === 0 ? 'no detector is configured' : `no detector named "${detector}"`,
        detectorNames.length === 0
          ? 'add `detectors: { default: { model: /path/to/yolo.onnx } }` or pass `--model <path>`'
          : `use one of: ${detectorNames.join(', ')}`,
      );
    }
    const fps = c.number('fps', { min: 0.01, max: 240 });
    const minScore = c.number('min_score', { min: 0, max: 1 });
    const objects = c.stringList('objects');
    objects?.forEach((label, i) => {
      if (!TOPIC_LEVEL.test(label))
        c.issue(
          `objects[${i}]`,
          `label "${label}" cannot be an MQTT topic level (contains \`/\`, \`#\` or \`+\`)`,
          "use the model's label as written in its labels list, e.g. `person` or `traffic light`",
        );
    });
    out[id] = {
      id,
      url,
      enabled: c.boolean('enabled') ?? true,
      ...(fps !== undefined ? { fps } : {}),
      detector,
      ...(minScore !== undefined ? { minScore } : {}),
      ...(objects ? { objects } : {}),
      zones: readZones(c),
      lines: readLines(c),
      restream: readRestream(c, id),
      stallTimeout: c.number('stall_timeout', { min: 0.5, max: 3600 }) ?? 10,
      live: c.boolean('live') ?? true,
      tracker: readTracker(c.mapping('tracker', 'tracker overrides for this camera'), tracker),
    };
  }
  checkCollisions(section, out);
  return out;
}

/** Names that are each valid alone but clash once several cameras run side by side. */
function checkCollisions(section: Reader, cameras: Record<string, CameraConfig>): void {
  const restreamOwner = new Map<string, string>();
  for (const camera of Object.values(cameras)) {
    if (!camera.enabled || !camera.restream.enabled) continue;
    const owner = restreamOwner.get(camera.restream.path);
    if (owner === undefined) restreamOwner.set(camera.restream.path, camera.id);
    else
      section.issue(
        `${camera.id}.restream.path`,
        `"${camera.restream.path}" is also the restream path of camera ${owner}`,
        `give each camera its own path, e.g. \`path: /${camera.id}-annotated\``,
      );
  }
  for (const camera of Object.values(cameras)) {
    for (const zone of camera.zones) {
      if (cameras[zone.name] === undefined) continue;
      section.issue(
        `${camera.id}.zones.${zone.name}`,
        `zone "${zone.name}" has the name of a camera, so their MQTT topics \`<prefix>/${zone.name}/<label>\` collide`,
        `rename the zone, e.g. \`${zone.name}_zone\``,
      );
    }
  }
}

/** Zone and line names become MQTT topic levels (Frigate `<prefix>/<zone>/<label>`). */
function checkAreaName(r: Reader, name: string, what: 'zone' | 'line'): boolean {
  if (ID.test(name)) return true;
  r.issue(
    name,
    `${what} names may use letters, digits, \`_\` and \`-\` only (they become MQTT topics)`,
    `rename it, e.g. \`${name.replace(/[^A-Za-z0-9_-]/g, '_') || what}\``,
  );
  return false;
}

function readRestream(c: Reader, id: string): CameraConfig['restream'] {
  const path = `/${id}-annotated`;
  const raw = c.value.restream;
  if (raw === undefined || raw === null) return { enabled: false, path };
  if (typeof raw === 'boolean') return { enabled: raw, path };
  const r = c.mapping('restream', 'annotated RTSP restream settings');
  if (!r) return { enabled: false, path };
  r.onlyKeys(['enabled', 'path']);
  const given = r.string('path');
  return {
    enabled: r.boolean('enabled') ?? true,
    path: given ? (given.startsWith('/') ? given : `/${given}`) : path,
  };
}

function readZones(c: Reader): ZoneConfig[] {
  const zones = c.mapping('zones', 'zone name → coordinates');
  if (!zones) return [];
  const out: ZoneConfig[] = [];
  for (const name of Object.keys(zones.value)) {
    const z = zones.mapping(name, `zone ${name}`);
    if (!z || !checkAreaName(zones, name, 'zone')) continue;
    z.onlyKeys(['coordinates']);
    const points = readPoints(z, 'coordinates');
    if (points && points.length < 3) {
      z.issue(
        'coordinates',
        `a zone needs at least 3 points, got ${points.length}`,
        'list the polygon corners: `coordinates: 0,0,100,0,100,100,0,100`',
      );
    } else if (points) out.push({ name, coordinates: points });
  }
  return out;
}

function readLines(c: Reader): LineConfig[] {
  const lines = c.mapping('lines', 'line name → coordinates');
  if (!lines) return [];
  const out: LineConfig[] = [];
  for (const name of Object.keys(lines.value)) {
    const l = lines.mapping(name, `line ${name}`);
    if (!l || !checkAreaName(lines, name, 'line')) continue;
    l.onlyKeys(['coordinates']);
    const points = readPoints(l, 'coordinates');
    const [a, b] = points ?? [];
    if (points && (points.length !== 2 || !a || !b)) {
      l.issue(
        'coordinates',
        `a line needs exactly 2 points, got ${points.length}`,
        'write `coordinates: x1,y1,x2,y2`',
      );
    } else if (a && b) out.push({ name, coordinates: [a, b] });
  }
  return out;
}

/** Frigate writes polygons as `x1,y1,x2,y2,…`; a YAML list of numbers or of pairs works too. */
function readPoints(r: Reader, key: string): Point[] | undefined {
  const raw = r.value[key];
  const hint = `write \`${key}: x1,y1,x2,y2,…\` in source pixels`;
  if (raw === undefined || raw === null) {
    r.issue(key, 'is required', hint);
    return undefined;
  }
  let flat: unknown[];
  if (typeof raw === 'string') flat = raw.split(',').map((s) => Number(s.trim()));
  else if (Array.isArray(raw)) flat = raw.flatMap((p: unknown) => (Array.isArray(p) ? p : [p]));
  else flat = [raw];
  const numbers = flat.filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0);
  if (numbers.length !== flat.length || numbers.length % 2 !== 0 || numbers.length === 0) {
    r.issue(key, 'expected an even number of non-negative numbers', hint);
    return undefined;
  }
  const points: Point[] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) points.push([numbers[i] ?? 0, numbers[i + 1] ?? 0]);
  return points;
}
