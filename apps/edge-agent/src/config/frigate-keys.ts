/**
 * Frigate keys rxvision does not have, each with what to do instead, so a pasted Frigate config is
 * refused key by key with a way forward. `*` stands for a camera, zone, detector or label name; a
 * key under `cameras.<id>.` is also looked up without that prefix (Frigate allows most sections at both).
 */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  record:
    'rxvision does not record video; keep Frigate or an NVR recording the camera, and point rxvision at the same stream',
  birdseye: 'remove it; rxvision has no combined view (each camera has its own `restream`)',
  go2rtc:
    "remove it; rxvision restreams each camera's annotated video itself (`cameras.<id>.restream`), and go2rtc can run beside it for the raw stream",
  motion:
    'remove it; rxvision runs the detector on every analysed frame (lower `fps` to bound the load), with no motion gate',
  review: 'remove it; review items are not configurable in rxvision',
  audio: 'remove it; rxvision analyses video only',
  semantic_search: 'remove it; rxvision detects and tracks objects only',
  face_recognition: 'remove it; rxvision detects and tracks objects only',
  lpr: 'remove it; rxvision detects and tracks objects only (no plate reading)',
  genai: 'remove it; rxvision detects and tracks objects only',
  classification: 'remove it; rxvision detects and tracks objects only',
  database: 'remove it; rxvision keeps no event database (events go to MQTT)',
  ui: 'remove it; rxvision has no web UI (`http` serves health, metrics and the API)',
  telemetry: 'remove it; metrics are served on `http` at `/metrics` (Prometheus)',
  notifications: 'remove it; notify from the MQTT events (e.g. a Home Assistant automation)',
  auth: 'remove it; put a reverse proxy with a login in front of `http`',
  proxy: 'remove it; put a reverse proxy in front of `http`',
  tls: 'remove it; put a TLS reverse proxy in front of `http` (MQTT TLS is `mqtt.tls_*`)',
  camera_groups: 'remove it; rxvision has no UI to group cameras in',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's env-var syntax, on purpose
  environment_vars: 'remove it; export the variables before starting and write `${VAR}` in the file',
  timestamp_style: 'remove it; rxvision draws no timestamp',
  version: 'remove it',
  model:
    'move it under a detector: `detectors.<name>.model` (the ONNX file), `labelmap_path`, `width`, `height`',
  snapshots: 'set snapshots per camera: `cameras.<id>.snapshots`',
  'logger.logs': 'set one level for every module with `logger.default` (or `level`)',
  'detectors.*.type':
    'rxvision runs ONNX models itself: give `model` (an ONNX file) and `providers` (e.g. `[tensorrt, cuda, cpu]`)',
  'detectors.*.device': 'choose the device with `providers`, e.g. `[{ cuda: { device_id: 0 } }]`',
  'detectors.*.num_threads': 'remove it; ONNX Runtime picks the thread count',
  'cameras.*.ffmpeg':
    'write the stream as `url` directly under the camera, with `hwaccel` and `input_args` beside it',
  'cameras.*.detect.enabled':
    'remove it; to keep a camera in the file without running it, write `enabled: false` under the camera',
  'cameras.*.detect.max_disappeared': 'set `tracker.track_buffer` (frames a lost track is kept)',
  'cameras.*.detect.min_initialized': 'set `tracker.min_hits` (SORT: hits before a track is reported)',
  'cameras.*.detect.stationary': 'remove it; rxvision does not classify stationary objects',
  'cameras.*.detect.annotation_offset': 'remove it',
  'cameras.*.live':
    '`live` here is `true`/`false` for a file played as a camera; watch the annotated video with `restream: true`',
  'cameras.*.onvif': 'remove it; rxvision does not move PTZ cameras',
  'cameras.*.mqtt': 'remove it; MQTT snapshot settings are `cameras.<id>.snapshots`',
  'cameras.*.webui_url': 'remove it',
  'cameras.*.best_image_timeout': 'remove it',
  'cameras.*.type': 'remove it',
  'cameras.*.zones.*.filters': 'filter by label for the whole camera with `objects.filters.<label>`',
  'cameras.*.zones.*.speed_threshold': 'remove it; rxvision does not estimate speed',
  'cameras.*.zones.*.distances': 'remove it; rxvision does not estimate speed',
  'objects.mask':
    'remove it; to count only inside an area, draw a zone with `objects` and use its counts and events',
  'objects.filters.*.mask':
    'remove it; to count only inside an area, draw a zone with `objects` and use its counts and events',
  'objects.filters.*.min_ratio': 'remove it; rxvision filters boxes by score and area',
  'objects.filters.*.max_ratio': 'remove it; rxvision filters boxes by score and area',
  'objects.alert': 'remove it; review items are not configurable in rxvision',
  'objects.genai': 'remove it; rxvision detects and tracks objects only',
};

const NAMED = new Set(['cameras', 'zones', 'detectors', 'filters']);

/** `cameras.door.zones.porch.filters` → `cameras.*.zones.*.filters`. */
function pattern(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (i > 0 && NAMED.has(String(path[i - 1])) ? '*' : String(key))).join('.');
}

/**
 * The Frigate key at `path` and what to do instead, when it is one rxvision does not support;
 * `exact` skips the camera-to-top-level fallback (for a key rxvision has, written Frigate's way).
 */
export function frigateUnsupported(
  path: readonly PropertyKey[],
  exact = false,
): { key: string; hint: string } | undefined {
  const full = pattern(path);
  const hint = UNSUPPORTED[full];
  if (hint) return { key: full.replace(/^cameras\.\*\./, ''), hint };
  if (exact) return undefined;
  const inCamera = full.startsWith('cameras.*.') ? full.slice('cameras.*.'.length) : undefined;
  const shared = inCamera ? UNSUPPORTED[inCamera] : undefined;
  return inCamera && shared ? { key: inCamera, hint: shared } : undefined;
}
