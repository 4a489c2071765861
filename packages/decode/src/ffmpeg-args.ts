import type { Letterbox, PixelFormat } from './frame.js';
import { redactUrl } from './redact-url.js';
import { type SourceOptions, sourceKind } from './source-options.js';

/** Grey 114 padding, as YOLOv7's `letterbox()` pads. */
export const LETTERBOX_PAD_COLOR = '0x727272';

/** FFmpeg's input location for a URL (`v4l2:///dev/video0` → `/dev/video0`, `lavfi:graph` → `graph`). */
export function ffmpegInput(url: string): string {
  const kind = sourceKind(url);
  if (kind === 'v4l2') return url.replace(/^v4l2:\/\//i, '');
  if (kind === 'lavfi') return url.slice('lavfi:'.length);
  if (kind === 'file') return url.replace(/^file:\/\//i, '');
  return url;
}

/** What the concat demuxer may open: the script itself, then what an RTSP camera needs. */
const CONCAT_PROTOCOLS = 'file,rtsp,rtsps,rtp,srtp,udp,tcp,tls,crypto';

/**
 * How to open an RTSP URL that holds a password without putting it on FFmpeg's command line (where
 * `ps` and `/proc/<pid>/cmdline` show it to every user): an ffconcat script naming the URL, with the
 * RTSP options as its `option` lines, read by `-f concat`. FFmpeg 5.1 has no environment variable or
 * option file for credentials; this is the indirection it allows. Undefined, and the URL stays on
 * the command line, when there is nothing to hide or the user's `inputArgs` are in play (they are
 * written for the RTSP demuxer, and the concat demuxer would refuse them).
 */
export function concatInputPlan(options: SourceOptions): { script: string; args: string[] } | undefined {
  if (sourceKind(options.url) !== 'rtsp' || redactUrl(options.url) === options.url) return undefined;
  if ((options.inputArgs ?? []).length > 0) return undefined;
  const script = [
    'ffconcat version 1.0',
    `file '${options.url.replace(/'/g, "'\\''")}'`,
    `option rtsp_transport ${options.rtspTransport ?? 'tcp'}`,
    'option analyzeduration 1000000',
    '',
  ].join('\n');
  return { script, args: ['-f', 'concat', '-safe', '0', '-protocol_whitelist', CONCAT_PROTOCOLS] };
}

/** Arguments before `-i`, by source kind, then the user's `inputArgs` (which win by coming last). */
export function sourceInputArgs(options: SourceOptions): string[] {
  const args: string[] = [];
  switch (sourceKind(options.url)) {
    case 'rtsp':
      // The SDP already lists the streams: 1 s of analysis instead of 5 s gets the first frame sooner.
      args.push('-rtsp_transport', options.rtspTransport ?? 'tcp', '-analyzeduration', '1000000');
      break;
    case 'stream':
      // MPEG-TS over UDP/SRT is probed for 5 s by default, twice (probe, then decode): past the stall window.
      args.push('-analyzeduration', '1000000');
      break;
    case 'v4l2':
      args.push('-f', 'v4l2');
      break;
    case 'lavfi':
      if (options.realtime) args.push('-re');
      args.push('-f', 'lavfi');
      break;
    case 'file':
      if (options.realtime) args.push('-re');
      if (options.loop) args.push('-stream_loop', '-1');
      break;
    case 'http':
      if (options.realtime) args.push('-re');
      break;
  }
  return [...args, ...(options.inputArgs ?? [])];
}

/**
 * How a hardware decoder scales on its device: a filter chain that resizes there and downloads the
 * result as `nv12` in system memory, so only the frames the `fps` cap keeps, at the size used, cross.
 */
export type DeviceScale = (width: number, height: number) => string;

export interface GraphOptions {
  readonly width: number;
  readonly height: number;
  readonly fps: number | undefined;
  readonly letterbox: Letterbox | undefined;
  /** Layout of the full-resolution output; undefined: no full-resolution output. */
  readonly full: PixelFormat | undefined;
  readonly deviceScale?: DeviceScale;
}

/** The full-resolution picture's layout: hardware decode hands over `nv12` unless RGB was asked for. */
export function deliveredFormat(requested: PixelFormat, deviceScale: DeviceScale | undefined): PixelFormat {
  return deviceScale && requested !== 'rgb24' ? 'nv12' : requested;
}

/**
 * One filter graph for both outputs: rate cap, then the full-resolution picture at a pinned size
 * (the size the source was opened with, so a mid-stream resolution change cannot break the raw frame
 * size) and the YOLOv7-letterboxed model input (bilinear resize + grey-114 pad). Each branch scales
 * from the decoder's own pixel format: scaling before the split would let FFmpeg negotiate one format
 * for both branches and resize the model input from a full-size conversion (measured: about 35% more
 * CPU at 1080p). With `full` undefined only the model input is made. With `deviceScale` both
 * branches resize on the hardware decoder's device before anything is downloaded.
 */
export function filterGraph(options: GraphOptions): string {
  const { width, height, fps, letterbox: box, full, deviceScale } = options;
  const input = `[0:v]${fps ? `fps=${fps},` : ''}`;
  const resize = (w: number, h: number): string =>
    deviceScale ? deviceScale(w, h) : `scale=${w}:${h}:flags=bilinear`;
  // The device scaler already downloads nv12; anything else is converted after it.
  const downloaded = deviceScale !== undefined && full === 'nv12';
  const fullChain = full
    ? downloaded
      ? resize(width, height)
      : `${resize(width, height)},format=${full}`
    : undefined;
  if (!box) return `${input}${fullChain ?? `${resize(width, height)},format=yuv420p`}[full]`;
  const pad = `pad=${box.dstWidth}:${box.dstHeight}:${box.padLeft}:${box.padTop}:color=${LETTERBOX_PAD_COLOR}`;
  const model = `${resize(box.resizedWidth, box.resizedHeight)},format=rgb24,${pad}`;
  if (!fullChain) return `${input}${model}[model]`;
  if (full === 'rgb24' && box.resizedWidth === width && box.resizedHeight === height) {
    // The frame already is the letterbox's inner size: convert once, then only pad.
    return `${input}${fullChain},split=2[full][s1];[s1]${pad}[model]`;
  }
  return `${input}split=2[s0][s1];[s0]${fullChain}[full];[s1]${model}[model]`;
}

/** Which raw outputs a run writes, in pipe order: the full picture (if any) first, then the model input. */
export interface RawOutput {
  readonly label: 'full' | 'model';
  readonly pixelFormat: PixelFormat;
}

/** The FFmpeg command line after the input: the graph, then each raw output on stdout, then fd 3. */
export function outputArgs(
  graph: string,
  outputs: readonly RawOutput[],
  extra: readonly string[] = [],
): string[] {
  const args = ['-filter_complex', graph];
  outputs.forEach((output, index) => {
    args.push('-map', `[${output.label}]`, '-f', 'rawvideo', '-pix_fmt', output.pixelFormat);
    args.push('-vsync', 'passthrough', ...extra, index === 0 ? 'pipe:1' : 'pipe:3');
  });
  return args;
}
