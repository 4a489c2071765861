import { DecodeError, type DecodeErrorKind } from './decode-error.js';
import { spawnFfmpeg } from './ffmpeg-process.js';
import { redactUrl } from './redact-url.js';

/** What FFmpeg reports about a source's first video stream. */
export interface VideoInfo {
  readonly width: number;
  readonly height: number;
  /** Frames per second as FFmpeg guesses it (`fps`, else `tbr`); undefined when it cannot. */
  readonly fps: number | undefined;
  /** Decoder name, e.g. `h264`, `hevc`, `mjpeg`. */
  readonly codec: string;
}

/** Parses the `Stream #0:0: Video: h264 (...), yuv420p(...), 768x432 [SAR 1:1 DAR 16:9], 10 fps, ...` line. */
export function parseVideoInfo(stderr: string): VideoInfo | undefined {
  const line = stderr.split('\n').find((l) => /Stream #\d+:\d+.*: Video: /.test(l));
  if (!line) return undefined;
  const size = /, (\d{1,5})x(\d{1,5})(?=[\s,\]]|$)/.exec(line);
  if (!size) return undefined;
  const rate = /, ([\d.]+)(k?) fps/.exec(line) ?? /, ([\d.]+)(k?) tbr/.exec(line);
  const fps = rate ? Number(rate[1]) * (rate[2] === 'k' ? 1000 : 1) : undefined;
  return {
    width: Number(size[1]),
    height: Number(size[2]),
    fps: fps && fps > 0 && fps <= 240 ? fps : undefined,
    codec: /: Video: (\w+)/.exec(line)?.[1] ?? 'unknown',
  };
}

const DIAGNOSES: ReadonlyArray<readonly [RegExp, DecodeErrorKind, string]> = [
  [
    /401 Unauthorized|authorization failed|403 Forbidden/i,
    'unauthorized',
    'the camera refused the credentials: check the user and password in the URL',
  ],
  [
    /404 Not Found|No such file or directory|does not exist/i,
    'not-found',
    'no such stream or file: check the path',
  ],
  [
    /Connection refused|Connection timed out|No route to host|Network is unreachable|Name or service not known|Failed to resolve|Temporary failure in name resolution|Cannot assign requested address|Could not find codec parameters|Immediate exit requested|Server returned 5\d\d/i,
    'unreachable',
    'cannot reach the source: check the host, port and network',
  ],
  [
    /moov atom not found|Invalid data found when processing input|partial file|End of file|corrupt|truncat/i,
    'corrupt',
    'the file is corrupt or truncated',
  ],
];

/** Turns an FFmpeg failure into the most specific DecodeError its stderr allows. */
export function diagnose(streamId: string, url: string, stderr: string, fallback: string): DecodeError {
  const tail = redactUrl(stderr.trim().split('\n').slice(-12).join('\n'));
  const where = `camera ${streamId} (${redactUrl(url)})`;
  for (const [pattern, kind, hint] of DIAGNOSES) {
    if (pattern.test(stderr)) return new DecodeError(kind, streamId, `${where}: ${hint}`, tail);
  }
  return new DecodeError('ffmpeg', streamId, `${where}: ${fallback}`, tail);
}

/**
 * Opens the source once with `ffmpeg -i` (no output) and reads its stream header from stderr:
 * @ffmpeg-installer ships no ffprobe, and this uses the exact binary and input arguments that decode will.
 */
export async function probeVideo(options: {
  readonly streamId: string;
  readonly url: string;
  /** What goes after `-i` (the URL as FFmpeg wants it, see `ffmpegInput`). */
  readonly input: string;
  readonly ffmpegPath: string;
  readonly inputArgs: readonly string[];
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}): Promise<VideoInfo> {
  const { streamId, url, input, ffmpegPath, inputArgs, timeoutMs, signal } = options;
  const run = spawnFfmpeg(['-hide_banner', '-nostdin', ...inputArgs, '-i', input], {
    ffmpegPath,
    stderrLines: 200,
  });
  // No output is asked for; drain stdout anyway so that its end never holds `ended`.
  run.stdout.resume();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    run.process.kill('SIGKILL');
  }, timeoutMs);
  const abort = () => run.process.kill('SIGKILL');
  signal?.addEventListener('abort', abort, { once: true });
  const { error, spawnFailed, stderrTail } = await run.ended.finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  });
  if (timedOut) {
    throw new DecodeError(
      'unreachable',
      streamId,
      `camera ${streamId} (${redactUrl(url)}): no stream header within ${timeoutMs} ms: check that the source is up`,
      redactUrl(stderrTail.trim().split('\n').slice(-12).join('\n')),
    );
  }
  if (error && spawnFailed) {
    throw new DecodeError(
      'ffmpeg',
      streamId,
      `cannot run FFmpeg at ${ffmpegPath}: ${error.message}; set ffmpegPath or FFMPEG_PATH`,
    );
  }
  const info = parseVideoInfo(stderrTail);
  if (info) return info;
  if (/Stream #\d+:\d+.*: (Audio|Data|Subtitle): /.test(stderrTail) && /Input #0/.test(stderrTail)) {
    throw new DecodeError(
      'no-video',
      streamId,
      `camera ${streamId} (${redactUrl(url)}): the source has no video stream (audio or data only)`,
      redactUrl(stderrTail.trim().split('\n').slice(-12).join('\n')),
    );
  }
  throw diagnose(streamId, url, stderrTail, 'FFmpeg could not open the source');
}
