import { type BackoffOptions, fullImage, type Logger, type PixelFormat, roundTo } from '@rxvision/decode';
import type { TrackedFrame } from '@rxvision/tracker';
import {
  asyncScheduler,
  defer,
  finalize,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  tap,
} from 'rxjs';
import { type AnnotateOptions, annotate } from '../draw/annotate.js';
import type { FlvPicture } from './flv-video.js';
import { H264Encoder } from './h264-encoder.js';
import { ENCODER_RESTART_BACKOFF, RestartBackoff } from './restart-backoff.js';
import { assertRtspPathSegment } from './rtsp-path.js';
import type { RtspServer } from './rtsp-server.js';

export interface ToRtspOptions extends AnnotateOptions {
  /** Camera name; the stream is served at `/<camera>-annotated` unless `path` says otherwise. */
  readonly camera: string;
  readonly path?: string;
  /** Output frame rate; default measured from the first frames' pts (Frigate `detect.fps`). */
  readonly fps?: number;
  /** FFmpeg encoder: `libx264` (default, ultrafast/zerolatency) or a hardware one such as `h264_nvenc`, `h264_vaapi`. */
  readonly encoder?: string;
  /** Arguments after `-c:v <encoder>`, replacing the defaults. */
  readonly encoderArgs?: readonly string[];
  /** Also push the annotated stream to an external RTSP server (MediaMTX, go2rtc) at this URL. */
  readonly publishUrl?: string;
  readonly ffmpegPath?: string;
  /** Where encoder failures are reported; `console` by default. */
  readonly logger?: Logger;
  /** Called once per dropped frame when the encoder falls behind (for metrics). */
  readonly onDrop?: () => void;
  /** Delays before restarting an encoder that died (default 1 s doubling to 60 s, reset once it encodes). */
  readonly restartBackoff?: BackoffOptions;
  /** Clock for the restart backoff (tests pass a virtual one). */
  readonly scheduler?: SchedulerLike;
}

const MAX_ENCODER_BACKLOG_FRAMES = 3;

/**
 * Draws tracks, zones and lines on the full-resolution frames, encodes them to H.264 with FFmpeg
 * and serves them from `server` at `rtsp://<host>:<port>/<camera>-annotated`; frames pass on unchanged.
 *
 * The encoder starts with the first frames (their size and measured rate set the stream's) and
 * stops when the stream ends. Drawing works on a copy, so other sinks see clean pixels. When the
 * encoder falls behind by more than a few frames, frames are skipped (and counted via `onDrop`)
 * instead of buffering without bound. An encoder that dies (a missing hardware encoder, a crash) is
 * restarted with the next frames after an exponential backoff, so a broken setup costs one FFmpeg
 * start per backoff step, not one per frame. With `publishUrl` the same stream is also pushed to an
 * external RTSP server.
 *
 * ## Example
 * ```ts
 * const restream = await createRtspServer({ port: 8554 });
 * frames$.pipe(track(), toRtsp(restream, { camera: 'front', zones: [{ name: 'porch', points: [[0, 400], [600, 400], [600, 720], [0, 720]] }] }));
 * // ffplay rtsp://localhost:8554/front-annotated
 * ```
 * @see createRtspServer
 */
export function toRtsp(server: RtspServer, options: ToRtspOptions): MonoTypeOperatorFunction<TrackedFrame> {
  const camera = assertRtspPathSegment(options.camera, 'camera name');
  const path = options.path ?? `/${camera}-annotated`;
  return (source) =>
    defer(() => {
      const stream = server.mount(path);
      const scheduler = options.scheduler ?? asyncScheduler;
      const restarts = new RestartBackoff(options.restartBackoff ?? ENCODER_RESTART_BACKOFF);
      let encoder: H264Encoder | undefined;
      let first: TrackedFrame | undefined;
      const timestamps: number[] = [];
      const base = Math.floor(Math.random() * 2 ** 31);
      let rtpTime = base;
      let previous: TrackedFrame['frame'] | undefined;

      const onPicture = (picture: FlvPicture): void => {
        restarts.succeeded();
        // FFmpeg keeps frame order (no B-frames): the next picture is the oldest frame written.
        const timestamp = timestamps.shift() ?? stream.lastTimestamp;
        if (encoder?.reader.sps && encoder.reader.pps) {
          stream.sps = encoder.reader.sps;
          stream.pps = encoder.reader.pps;
        }
        stream.sendAccessUnit(picture.nals, timestamp);
      };

      const start = (width: number, height: number, pixelFormat: PixelFormat, fps: number): H264Encoder => {
        stream.width = width;
        stream.height = height;
        stream.fps = fps;
        const created: H264Encoder = new H264Encoder(
          {
            width,
            height,
            pixelFormat,
            fps,
            ffmpegPath: options.ffmpegPath,
            encoder: options.encoder,
            encoderArgs: options.encoderArgs,
            publishUrl: options.publishUrl,
          },
          onPicture,
          (message) => {
            // Only the running encoder's first exit counts; one we ended ourselves is not a failure.
            if (encoder !== created) return;
            encoder = undefined;
            // Frames it never encoded must not lend their timestamps to the next encoder's pictures.
            timestamps.length = 0;
            const delay = restarts.failed(scheduler.now());
            (options.logger ?? console).warn(
              `camera ${camera}: annotated restream ${path}: ${message}; restarting in ${(delay / 1000).toFixed(1)} s`,
            );
          },
        );
        return created;
      };

      const encode = (tracked: TrackedFrame): void => {
        const { frame } = tracked;
        if (!encoder) return;
        if (encoder.backlog > MAX_ENCODER_BACKLOG_FRAMES * frame.data.length) {
          options.onDrop?.();
          return;
        }
        // Drawn on a copy of the decoder's planes: other sinks see the frame as it was decoded.
        const image = { ...fullImage(frame)!, data: frame.data.slice() };
        annotate(image, tracked.tracks, options);
        // 90 kHz clock on the source's pts, so frames dropped upstream leave gaps on the camera's
        // frame grid; capture time only bridges a pts reset (reconnect).
        if (previous) {
          const dPts = frame.pts - previous.pts;
          const step =
            dPts > 0 && dPts < 10 ? dPts * 1000 : Math.max(1, frame.capturedAt - previous.capturedAt);
          rtpTime += Math.max(1, Math.round(step * 90));
        }
        previous = frame;
        timestamps.push(rtpTime >>> 0);
        encoder.write(image.data);
      };

      let warnedNoPixels = false;
      return source.pipe(
        tap((tracked) => {
          if (tracked.frame.format === 'none') {
            if (!warnedNoPixels)
              (options.logger ?? console).warn(
                `camera ${camera}: annotated restream ${path}: the source delivers the model input only; open it with fullFrame`,
              );
            warnedNoPixels = true;
            return;
          }
          if (!encoder && !restarts.mayStart(scheduler.now())) return;
          if (!encoder && !first) {
            first = tracked;
            if (options.fps === undefined) return;
          }
          if (!encoder && first) {
            const dt = tracked.frame.pts - first.frame.pts;
            const fps = options.fps ?? (dt > 0 ? roundTo(1 / dt, 2) : 10);
            const { width, height, format } = fullImage(first.frame)!;
            encoder = start(width, height, format, fps);
            const pending = first;
            first = undefined;
            encode(pending);
            if (pending === tracked) return;
          }
          encode(tracked);
        }),
        finalize(() => {
          const running = encoder;
          encoder = undefined;
          running?.end();
          server.unmount(path);
        }),
      );
    });
}
