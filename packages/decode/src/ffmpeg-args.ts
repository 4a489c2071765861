import type { Letterbox } from './frame.js';
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
 * One filter graph for both outputs: rate cap, then the full-resolution RGB frame at a pinned size
 * (the size the source was opened with, so a mid-stream resolution change cannot break the raw frame
 * size) and the YOLOv7-letterboxed model input (bilinear resize + grey-114 pad). Each branch scales
 * from the decoder's own pixel format: scaling before the split would let FFmpeg negotiate RGB for
 * both branches and resize the model input from full-size RGB (measured: about 35% more CPU at 1080p).
 */
export function filterGraph(options: {
  readonly width: number;
  readonly height: number;
  readonly fps: number | undefined;
  readonly letterbox: Letterbox | undefined;
}): string {
  const { width, height, fps, letterbox: box } = options;
  const input = `[0:v]${fps ? `fps=${fps},` : ''}`;
  const full = `scale=${width}:${height}:flags=bilinear,format=rgb24`;
  if (!box) return `${input}${full}[full]`;
  const pad = `pad=${box.dstWidth}:${box.dstHeight}:${box.padLeft}:${box.padTop}:color=${LETTERBOX_PAD_COLOR}`;
  if (box.resizedWidth === width && box.resizedHeight === height) {
    // The frame already is the letterbox's inner size: convert once, then only pad.
    return `${input}${full},split=2[full][s1];[s1]${pad}[model]`;
  }
  const model = `scale=${box.resizedWidth}:${box.resizedHeight}:flags=bilinear,format=rgb24,${pad}`;
  return `${input}split=2[s0][s1];[s0]${full}[full];[s1]${model}[model]`;
}

/** The full FFmpeg command line after the input: graph, raw rgb24 on stdout and (model input) on fd 3. */
export function outputArgs(graph: string, withModel: boolean, extra: readonly string[] = []): string[] {
  const raw = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-vsync', 'passthrough'];
  const args = ['-filter_complex', graph, '-map', '[full]', ...raw, ...extra, 'pipe:1'];
  if (withModel) args.push('-map', '[model]', ...raw, ...extra, 'pipe:3');
  return args;
}
