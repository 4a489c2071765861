import type { BackoffOptions } from './backoff.js';

/** Which side of FFmpeg a source URL lands on; `stream` is a pushed or pulled live stream (RTMP, SRT, UDP, RTP). */
export type SourceKind = 'rtsp' | 'http' | 'stream' | 'file' | 'v4l2' | 'lavfi';

/** Hardware decoders: FFmpeg `-hwaccel` methods, or the Jetson decoder wrappers. */
export type Hwaccel = 'cuda' | 'vaapi' | 'qsv' | 'videotoolbox' | 'nvv4l2' | 'nvmpi';

/** The full-resolution picture's layout a source may ask for (`nv12` comes from hardware decode). */
export type FullFramePixelFormat = 'yuv420p' | 'rgb24';

/** Width and height of the detector's input tensor. */
export interface ModelInputSize {
  readonly width: number;
  readonly height: number;
}

/** How to open one camera or file. DeepStream / Frigate equivalents are named per option. */
export interface SourceOptions {
  /**
   * `rtsp://`/`rtsps://`, `http(s)://` (MJPEG, HLS, MP4), `rtmp(s)://`, `srt://`, `udp://`, `rtp://`
   * (live streams, reopened forever like RTSP), a file path or `file://` URL,
   * `/dev/videoN` or `v4l2:///dev/videoN`, or `lavfi:<graph>` (e.g. `lavfi:testsrc2=size=640x360:rate=10`).
   * Credentials in the URL are used but never printed (see `redactUrl`).
   */
  readonly url: string;
  /** Camera id carried by every frame and status (Frigate `cameras.<id>`). Default: the redacted URL. */
  readonly streamId?: string;
  /**
   * Scale the delivered frame to this size in FFmpeg (Frigate `detect.width`/`height`, DeepStream
   * streammux `width`/`height`). Default: the source size. The model input is letterboxed from it.
   */
  readonly size?: ModelInputSize;
  /** Also produce the letterboxed model-ready frame at this size, inside the same FFmpeg process. */
  readonly modelInput?: ModelInputSize;
  /**
   * Produce the full-resolution picture. Default true. With `modelInput` and `false`, FFmpeg writes
   * the model input alone (a camera that only detects never pays for full frames).
   */
  readonly fullFrame?: boolean;
  /**
   * Layout of the full-resolution picture. Default `yuv420p` (the decoder's own, no colour
   * conversion; hardware decode delivers `nv12`); `rgb24` converts every frame in FFmpeg.
   */
  readonly pixelFormat?: FullFramePixelFormat;
  /** Frame-rate cap applied by FFmpeg's `fps` filter (Frigate `detect.fps`; DeepStream `drop-frame-interval` = source fps / this). */
  readonly fps?: number;
  /** RTSP transport (DeepStream `select-rtp-protocol`: 4 = tcp, 0 = udp). Default `tcp`. */
  readonly rtspTransport?: 'tcp' | 'udp';
  /** Files: read at native frame rate (`-re`), to stand in for a live camera. */
  readonly realtime?: boolean;
  /** Files: play forever (`-stream_loop -1`; DeepStream `file-loop`). */
  readonly loop?: boolean;
  /** Treat the source as live: end of stream and errors reopen it with backoff, forever. Default: true except for unlooped files. */
  readonly live?: boolean;
  /** No frame for this many ms: kill FFmpeg and reopen (Frigate's camera watchdog). Default 10 000. */
  readonly stallTimeoutMs?: number;
  /** Max ms to open the source and read its stream header. Default: `stallTimeoutMs`. */
  readonly connectTimeoutMs?: number;
  /**
   * Reconnect backoff (DeepStream `rtsp-reconnect-interval` ≈ `initialDelayMs`). Default for live
   * sources `LIVE_RECONNECT_BACKOFF`: 0.5 s doubling to 3 s, ±20 % jitter.
   */
  readonly reconnect?: BackoffOptions;
  /** Hardware decode; falls back to software, with a message, when the binary lacks it. */
  readonly hwaccel?: Hwaccel;
  /** `-hwaccel_device` (e.g. `/dev/dri/renderD128` for vaapi, `0` for cuda). */
  readonly hwaccelDevice?: string;
  /** Extra FFmpeg arguments placed before `-i` (Frigate `input_args`). */
  readonly inputArgs?: readonly string[];
  /** Extra FFmpeg arguments for the frame output(s), before the output target (Frigate `output_args`). */
  readonly outputArgs?: readonly string[];
  /** FFmpeg binary; default `FFMPEG_PATH`, else @ffmpeg-installer/ffmpeg. */
  readonly ffmpegPath?: string;
}

/**
 * Live sources retry every few seconds however long they have been away, so a camera that comes back
 * is picked up within about 5 s (the cap plus its jitter, plus opening the stream); the ±20 % jitter
 * keeps a fleet of cameras behind one switch from reconnecting in lockstep. Between attempts, a
 * network camera that refused the connection is probed with one TCP connect every 250 ms and retried
 * as soon as its port answers (`openSource`), so the wait adds little to opening the stream (~3 s).
 */
export const LIVE_RECONNECT_BACKOFF = {
  initialDelayMs: 500,
  maxDelayMs: 3000,
  jitter: 0.2,
} as const satisfies BackoffOptions;

/** The backoff a source reconnects with: `LIVE_RECONNECT_BACKOFF` under its own `reconnect` keys. */
export function reconnectBackoff(options: Pick<SourceOptions, 'reconnect'>): BackoffOptions {
  return { ...LIVE_RECONNECT_BACKOFF, ...options.reconnect };
}

/** Options of `decode()`: the same as a source's. */
export type DecodeOptions = SourceOptions;

/** The URL schemes `sourceKind` knows; anything else with a scheme is a mistake (a bare path is a file). */
export const SOURCE_SCHEMES = [
  'rtsp://',
  'rtsps://',
  'http://',
  'https://',
  'rtmp://',
  'rtmps://',
  'srt://',
  'udp://',
  'rtp://',
  'file://',
  'v4l2://',
  'lavfi:',
] as const;

/** Which side of FFmpeg a source URL lands on (a URL without a known scheme is a file path). */
export function sourceKind(url: string): SourceKind {
  if (/^rtsps?:\/\//i.test(url)) return 'rtsp';
  if (/^https?:\/\//i.test(url)) return 'http';
  if (/^(rtmps?|srt|udp|rtp):\/\//i.test(url)) return 'stream';
  if (/^v4l2:\/\//i.test(url) || url.startsWith('/dev/video')) return 'v4l2';
  if (url.startsWith('lavfi:')) return 'lavfi';
  return 'file';
}

/**
 * Schemes FFmpeg cannot open here, each with the way to bridge the camera to one it can. A Jetson
 * CSI sensor is read by Argus (`nvarguscamerasrc`), which only GStreamer reaches.
 */
export const UNSUPPORTED_SOURCE_SCHEMES: Readonly<Record<string, string>> = {
  'csi://':
    'bridge the Jetson CSI camera to RTSP and use that URL: `gst-launch-1.0 nvarguscamerasrc ! nvvidconv ! nvv4l2h264enc ! h264parse ! rtspclientsink location=rtsp://127.0.0.1:8554/csi` (with an RTSP server such as mediamtx), or, if the sensor has a V4L2 node, `url: /dev/video0`',
};

/** Whether end-of-stream and errors should reopen the source rather than end it. */
export function isLive(options: SourceOptions): boolean {
  if (options.live !== undefined) return options.live;
  return sourceKind(options.url) !== 'file' || options.loop === true;
}
