import type { Hwaccel, SourceOptions } from '@rxvision/decode';
import { assertTopicLevel } from '@rxvision/sinks';
import { z } from 'zod';
import { linesField, zonesField } from './areas.js';
import {
  about,
  always,
  ffmpegArgs,
  field,
  flag,
  labels,
  NAME,
  nameKey,
  number,
  optionalText,
  problem,
  type Refinement,
  text,
} from './fields.js';
import { objectsMapping } from './objects.js';
import { restreamEnabled, restreamField, restreamPath } from './restream.js';
import { snapshotsField } from './snapshots.js';
import { trackerOverrides } from './tracker.js';

const HWACCELS = [
  'cuda',
  'vaapi',
  'qsv',
  'videotoolbox',
  'nvv4l2',
  'nvmpi',
] as const satisfies readonly Hwaccel[];

const cameraKeys = z
  .strictObject({
    url: text().meta(
      about(
        '`rtsp://`, `rtsps://`, `http(s)://`, `rtmp(s)://`, `srt://`, `udp://`, `rtp://` (live: reopened forever), a file, `/dev/videoN`, `lavfi:…`; a Jetson CSI camera via an RTSP bridge (docs/deployment.md)',
        'Frigate `ffmpeg.inputs[].path`; DeepStream `uri`',
      ),
    ),
    enabled: flag().default(true).meta(about('`false`: kept in the file, not run', 'Frigate `enabled`')),
    fps: number({ min: 0.01, max: 240 })
      .optional()
      .meta(
        about(
          'frames per second handed to the detector (default the source rate; FFmpeg drops the rest)',
          'Frigate `detect.fps`; DeepStream `drop-frame-interval` = source fps / this',
        ),
      ),
    width: number({ min: 16, max: 7680, integer: true })
      .optional()
      .meta(
        about(
          'scale decoded frames to this width (with `height`; default the source size)',
          'Frigate `detect.width`; DeepStream streammux `width`',
        ),
      ),
    height: number({ min: 16, max: 4320, integer: true })
      .optional()
      .meta(
        about(
          'scale decoded frames to this height (with `width`)',
          'Frigate `detect.height`; DeepStream streammux `height`',
        ),
      ),
    detect: z
      .strictObject({
        width: number({ min: 16, max: 7680, integer: true })
          .optional()
          .meta(about('the same as the camera `width`', 'Frigate `detect.width`')),
        height: number({ min: 16, max: 4320, integer: true })
          .optional()
          .meta(about('the same as the camera `height`', 'Frigate `detect.height`')),
        fps: number({ min: 0.01, max: 240 })
          .optional()
          .meta(about('the same as the camera `fps`', 'Frigate `detect.fps`')),
      })
      .optional()
      .meta(
        about("`width`, `height` and `fps` under Frigate's section name", 'Frigate `cameras.<id>.detect`'),
      ),
    detector: optionalText().meta(
      about('which `detectors.<name>` serves this camera (default the only one, else `default`)'),
    ),
    min_score: number({ min: 0, max: 1 })
      .optional()
      .meta(
        about(
          "per-camera confidence cut (default the detector's)",
          'Frigate `objects.filters.<label>.min_score`',
        ),
      ),
    objects: z
      .union([labels(), objectsMapping])
      .optional()
      .meta(
        about(
          "labels to detect, track and count (default all): a list, or Frigate's `{ track: [...], filters: {...} }` (table below)",
          'Frigate `objects.track`; DeepStream `filter-out-class-ids` (inverse)',
        ),
      ),
    zones: zonesField,
    lines: linesField,
    restream: restreamField,
    snapshots: snapshotsField,
    stall_timeout: number({ min: 0.5, max: 3600 })
      .default(10)
      .meta(about('seconds without a frame before FFmpeg is restarted', "Frigate's camera watchdog")),
    live: flag()
      .default(true)
      .meta(
        about(
          'files only: play at native speed and loop (stand in for a camera); `false` plays once as fast as possible',
          'DeepStream `file-loop`',
        ),
      ),
    hwaccel: z
      .enum(HWACCELS)
      .optional()
      .meta(
        about(
          'hardware decoder: `cuda`, `vaapi`, `qsv`, `videotoolbox`, or Jetson `nvv4l2`/`nvmpi`; scales on the device where FFmpeg can and downloads only the frames used; falls back to software with a message',
          'Frigate `ffmpeg.hwaccel_args`; DeepStream `nvv4l2decoder`',
        ),
      ),
    hwaccel_device: optionalText().meta(
      about('`-hwaccel_device`, e.g. `/dev/dri/renderD128` for vaapi, `0` for cuda'),
    ),
    input_args: ffmpegArgs()
      .optional()
      .meta(about('extra FFmpeg arguments before `-i`, a list or one string', 'Frigate `ffmpeg.input_args`')),
    rtsp_transport: z
      .enum(['tcp', 'udp'])
      .optional()
      .meta(about('RTSP transport (default `tcp`)', 'DeepStream `select-rtp-protocol`')),
    tracker: trackerOverrides
      .optional()
      .meta(about('per-camera tracker keys (default the top-level `tracker`)')),
  })
  .meta(about('one camera: a source and how to analyse it'))
  .superRefine(checkCamera, always)
  // Frigate's `detect.{width,height,fps}` stand for the camera's own keys.
  .transform(({ detect, ...c }) => {
    const width = c.width ?? detect?.width;
    const height = c.height ?? detect?.height;
    const fps = c.fps ?? detect?.fps;
    return {
      ...c,
      ...(width !== undefined ? { width } : {}),
      ...(height !== undefined ? { height } : {}),
      ...(fps !== undefined ? { fps } : {}),
    };
  });

/** One camera as written, defaults filled; the agent's `CameraConfig` is made from it in `agent-config.ts`. */
export type CameraSection = z.output<typeof cameraKeys>;

/** The camera's decode keys in `openSource`'s own option names, handed to it as they are. */
export function toDecodeOptions(c: CameraSection) {
  return {
    ...(c.width !== undefined && c.height !== undefined
      ? { size: { width: c.width, height: c.height } }
      : {}),
    ...(c.hwaccel ? { hwaccel: c.hwaccel } : {}),
    ...(c.hwaccel_device ? { hwaccelDevice: c.hwaccel_device } : {}),
    ...(c.input_args ? { inputArgs: c.input_args } : {}),
    ...(c.rtsp_transport ? { rtspTransport: c.rtsp_transport } : {}),
  } satisfies Partial<SourceOptions>;
}

/** Rules between one camera's keys; they run even when a key is wrong, so every problem is reported at once. */
function checkCamera(c: unknown, ctx: Refinement): void {
  const objects = field(c, 'objects');
  const track = Array.isArray(objects) ? objects : field(objects, 'track');
  const at = Array.isArray(objects) ? ['objects'] : ['objects', 'track'];
  if (Array.isArray(track))
    track.forEach((label: unknown, i) => {
      if (typeof label !== 'string') return;
      try {
        // toMqtt's own rule: every label becomes a topic level.
        assertTopicLevel(label, 'label');
      } catch {
        problem(
          ctx,
          `label "${label}" cannot be an MQTT topic level (contains \`/\`, \`#\` or \`+\`)`,
          "use the model's label as written in its labels list, e.g. `person` or `traffic light`",
          [...at, i],
        );
      }
    });
  const detect = field(c, 'detect');
  for (const key of ['width', 'height', 'fps']) {
    const own = field(c, key);
    const frigate = field(detect, key);
    if (own !== undefined && frigate !== undefined && own !== frigate)
      problem(
        ctx,
        `\`${key}: ${String(own)}\` and \`detect.${key}: ${String(frigate)}\` say different things`,
        `keep one of them (\`detect.${key}\` is Frigate's place for \`${key}\`)`,
        ['detect', key],
      );
  }
  const width = field(c, 'width') ?? field(detect, 'width');
  const height = field(c, 'height') ?? field(detect, 'height');
  if ((width === undefined) !== (height === undefined))
    problem(
      ctx,
      'a detect size needs both `width` and `height`',
      'set both, or neither to keep the source size',
      [width === undefined ? 'width' : 'height'],
    );
}

/** `cameras.<id>`: each source and how to analyse it. */
export const camerasSection = z
  .record(nameKey, cameraKeys)
  .meta(about('camera id → settings'))
  .superRefine(checkCameras, always)
  .prefault({});

/** Names that are each valid alone but clash once several cameras run side by side. */
function checkCameras(cameras: Record<string, unknown>, ctx: Refinement): void {
  for (const id of Object.keys(cameras))
    if (!NAME.test(id))
      problem(
        ctx,
        'camera ids may use letters, digits, `_` and `-` only (they become MQTT topics)',
        `rename it, e.g. \`${id.replace(/[^A-Za-z0-9_-]/g, '_')}\``,
        [id],
      );
  const restreamOwner = new Map<string, string>();
  for (const [id, c] of Object.entries(cameras)) {
    const restream = field(c, 'restream');
    if (field(c, 'enabled') === false || !restreamEnabled(restream)) continue;
    const path = restreamPath(id, restream);
    const owner = restreamOwner.get(path);
    if (owner === undefined) restreamOwner.set(path, id);
    else
      problem(
        ctx,
        `"${path}" is also the restream path of camera ${owner}`,
        `give each camera its own path, e.g. \`path: /${id}-annotated\``,
        [id, 'restream', 'path'],
      );
  }
  for (const [id, c] of Object.entries(cameras)) {
    const zones = field(c, 'zones');
    const names = Array.isArray(zones)
      ? zones.map((z) => field(z, 'name'))
      : Object.keys(field(c, 'zones') ?? {});
    for (const zone of names) {
      if (typeof zone !== 'string' || cameras[zone] === undefined) continue;
      problem(
        ctx,
        `zone "${zone}" has the name of a camera, so their MQTT topics \`<prefix>/${zone}/<label>\` collide`,
        `rename the zone, e.g. \`${zone}_zone\``,
        [id, 'zones', zone],
      );
    }
  }
}
