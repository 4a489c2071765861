import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { resolveFfmpegPath } from './ffmpeg-path.js';
import { LinesRing } from './lines-ring.js';

/** How to start one FFmpeg. */
export interface FfmpegSpawnOptions {
  /** FFmpeg binary; resolved with `resolveFfmpegPath` (option, `FFMPEG_PATH`, bundled build). */
  readonly ffmpegPath?: string;
  /** Give FFmpeg a stdin pipe (`pipe:0` input). Default: no stdin. */
  readonly stdin?: boolean;
  /** Open fd 3 as a second output pipe (`pipe:3`). Default false. */
  readonly extraPipe?: boolean;
  /** Lines of stderr kept for error messages. Default 40. */
  readonly stderrLines?: number;
}

/** How FFmpeg ended. */
export interface FfmpegExit {
  /** Null on exit code 0; else why (`ffmpeg exited with code 1`, `… killed with signal SIGKILL`, or the spawn error). */
  readonly error: Error | null;
  /** True when the binary could not be started at all (missing, not executable). */
  readonly spawnFailed: boolean;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last `stderrLines` lines of stderr. */
  readonly stderrTail: string;
}

/** A running FFmpeg. */
export interface FfmpegRun {
  readonly binary: string;
  readonly process: ChildProcess;
  /** The stdin pipe with `stdin: true` (write errors after FFmpeg exits are swallowed). */
  readonly stdin: Writable | null;
  readonly stdout: Readable;
  /** fd 3 with `extraPipe`. */
  readonly extra: Readable | null;
  /** stderr's last lines so far. */
  stderrTail(): string;
  /** Resolves once FFmpeg has exited and its pipes have closed (read stdout and fd 3, or they hold it). */
  readonly ended: Promise<FfmpegExit>;
}

/**
 * Spawns FFmpeg with `node:child_process`, keeping a ring of its last stderr lines: the one way
 * rxvision runs FFmpeg (sources, probes, snapshots, the restream encoder).
 *
 * ## Example
 * ```ts
 * const run = spawnFfmpeg(['-hide_banner', '-i', 'clip.mp4', '-f', 'null', '-']);
 * const { error, stderrTail } = await run.ended;
 * ```
 */
export function spawnFfmpeg(args: readonly string[], options: FfmpegSpawnOptions = {}): FfmpegRun {
  const binary = resolveFfmpegPath(options.ffmpegPath);
  const stdio = [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(options.extraPipe ? ['pipe'] : [])];
  const child = spawn(binary, [...args], { stdio: stdio as ('pipe' | 'ignore')[], windowsHide: true });
  const ring = new LinesRing(options.stderrLines ?? 40);
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => ring.push(chunk));
  child.stdin?.on('error', () => {});
  const ended = new Promise<FfmpegExit>((resolve) => {
    child.once('error', (error) =>
      resolve({ error, spawnFailed: true, code: null, signal: null, stderrTail: ring.text() }),
    );
    child.once('close', (code, signal) => {
      const error = signal
        ? new Error(`ffmpeg was killed with signal ${signal}`)
        : code
          ? new Error(`ffmpeg exited with code ${code}`)
          : null;
      resolve({ error, spawnFailed: false, code, signal, stderrTail: ring.text() });
    });
  });
  return {
    binary,
    process: child,
    stdin: child.stdin,
    stdout: child.stdout!,
    extra: options.extraPipe ? (child.stdio[3] as Readable) : null,
    stderrTail: () => ring.text(),
    ended,
  };
}
