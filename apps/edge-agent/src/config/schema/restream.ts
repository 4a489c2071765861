import { z } from 'zod';
import { about, ffmpegArgs, field, flag, optionalText } from './fields.js';

const restreamKeys = z
  .strictObject({
    enabled: flag().default(true).meta(about('`false` turns the restream off')),
    path: optionalText().meta(about('RTSP path of the stream (default `/<camera>-annotated`)')),
    encoder: optionalText().meta(
      about(
        'FFmpeg H.264 encoder: `libx264` (default) or a hardware one such as `h264_nvenc`, `h264_vaapi`',
        'DeepStream sink `enc-type`',
      ),
    ),
    encoder_args: ffmpegArgs()
      .optional()
      .meta(
        about('arguments after `-c:v <encoder>`, replacing the defaults', 'Frigate `ffmpeg.output_args`'),
      ),
    publish_url: optionalText().meta(
      about(
        'also push the annotated stream to an external RTSP server (MediaMTX, go2rtc) at this URL',
        'go2rtc `streams`',
      ),
    ),
  })
  .meta(about('annotated RTSP restream settings'));

/** `cameras.<id>.restream`: `true`, or its settings; annotated H.264 at `rtsp://<host>:<rtsp.port><path>`. */
export const restreamField = z
  .union([z.boolean(), restreamKeys])
  .meta(
    about(
      '`true` or `{ enabled, path, … }`: annotated H.264 at `rtsp://<host>:<rtsp.port>/<id>-annotated`',
      'Frigate `restream`/go2rtc; DeepStream RTSP sink',
    ),
  )
  .default(false);

/** The RTSP path a camera's restream is served at; takes a parsed or a raw `restream` value. */
export function restreamPath(camera: string, restream: unknown): string {
  const given = field(restream, 'path');
  if (typeof given !== 'string' || given === '') return `/${camera}-annotated`;
  return given.startsWith('/') ? given : `/${given}`;
}

/** Whether a parsed or raw `restream` value turns the restream on. */
export function restreamEnabled(restream: unknown): boolean {
  if (typeof restream === 'boolean') return restream;
  return restream !== undefined && restream !== null && field(restream, 'enabled') !== false;
}

/** The restream of one camera as the agent uses it. */
export function toRestream(camera: string, r: z.output<typeof restreamField>) {
  const path = restreamPath(camera, r);
  if (typeof r === 'boolean') return { enabled: r, path };
  return {
    enabled: r.enabled,
    path,
    ...(r.encoder ? { encoder: r.encoder } : {}),
    ...(r.encoder_args ? { encoderArgs: r.encoder_args } : {}),
    ...(r.publish_url ? { publishUrl: r.publish_url } : {}),
  };
}
