import { type FfmpegRun, type PixelFormat, spawnFfmpeg } from '@rxvision/decode';
import { type FlvPicture, FlvVideoReader } from './flv-video.js';

export interface H264EncoderOptions {
  readonly width: number;
  readonly height: number;
  /** Layout of the raw pictures written to it: the decoder's yuv420p / nv12 go to libx264 unconverted. */
  readonly pixelFormat: PixelFormat;
  readonly fps: number;
  /** FFmpeg binary; default as `resolveFfmpegPath`. */
  readonly ffmpegPath?: string;
  /** FFmpeg encoder name: `libx264` (default) or a hardware one (`h264_nvenc`, `h264_vaapi`, `h264_v4l2m2m`…). */
  readonly encoder?: string;
  /** Replaces the default encoder arguments (after `-c:v <encoder>`). */
  readonly encoderArgs?: readonly string[];
  /** Also push the stream to this RTSP server (MediaMTX, go2rtc), e.g. `rtsp://mediamtx:8554/front`. */
  readonly publishUrl?: string;
}

/** libx264 tuned for live: no B-frames or lookahead, one slice per picture, parameter sets on every keyframe. */
function defaultEncoderArgs(encoder: string, fps: number): string[] {
  const gop = String(Math.max(1, Math.round(fps * 2)));
  if (encoder === 'libx264') {
    return [
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-threads',
      '1',
      '-x264-params',
      'repeat-headers=1:sliced-threads=0',
      '-g',
      gop,
      '-bf',
      '0',
    ];
  }
  return ['-g', gop, '-bf', '0'];
}

/** Runs FFmpeg from raw pictures on stdin to H.264 in FLV on stdout, and hands out each picture's NAL units. */
export class H264Encoder {
  readonly run: FfmpegRun;
  readonly reader = new FlvVideoReader();

  constructor(
    readonly options: H264EncoderOptions,
    onPicture: (picture: FlvPicture) => void,
    onExit: (message: string) => void,
  ) {
    const encoder = options.encoder ?? 'libx264';
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', options.pixelFormat];
    args.push(
      '-s',
      `${options.width}x${options.height}`,
      '-framerate',
      String(options.fps),
      '-i',
      'pipe:0',
      '-an',
    );
    args.push('-c:v', encoder, ...(options.encoderArgs ?? defaultEncoderArgs(encoder, options.fps)));
    // libx264 takes yuv420p and nv12 as they are; only RGB is converted.
    if (encoder === 'libx264') args.push('-pix_fmt', options.pixelFormat === 'nv12' ? 'nv12' : 'yuv420p');
    if (options.publishUrl) {
      // The tee muxer does not convert Annex-B for FLV: ask the encoder for length-prefixed output.
      args.push('-flags', '+global_header', '-map', '0:v', '-f', 'tee');
      args.push(`[f=flv]pipe:1|[f=rtsp:rtsp_transport=tcp:onfail=ignore]${options.publishUrl}`);
    } else {
      args.push('-f', 'flv', 'pipe:1');
    }
    this.run = spawnFfmpeg(args, { ffmpegPath: options.ffmpegPath, stdin: true });
    this.run.stdout.on('data', (chunk: Buffer) => {
      for (const picture of this.reader.push(chunk)) onPicture(picture);
    });
    void this.run.ended.then(({ spawnFailed, error, code, signal, stderrTail }) =>
      onExit(
        spawnFailed
          ? `cannot run ffmpeg (${this.run.binary}): ${error?.message}`
          : `ffmpeg (${encoder}) exited with ${code ?? signal}: ${stderrTail.trim().slice(-500)}`,
      ),
    );
  }

  /** Bytes written to FFmpeg and not yet taken by it. */
  get backlog(): number {
    return this.run.stdin?.writableLength ?? 0;
  }

  write(rgb: Uint8Array): void {
    this.run.stdin?.write(rgb);
  }

  end(): void {
    this.run.stdin?.end();
    // Give FFmpeg a moment to flush, then make sure it is gone: no orphans.
    const timer = setTimeout(() => this.run.process.kill('SIGKILL'), 2000);
    void this.run.ended.then(() => clearTimeout(timer));
  }
}
