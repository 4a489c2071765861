import type { ChildProcess, SpawnOptions } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';

/** The part of fluent-ffmpeg's runner we use: it spawns, keeps a ring of stderr lines and reports the exit. */
interface FluentRunner {
  _getFfmpegPath(callback: (error: Error | null, path: string) => void): void;
  _spawnFfmpeg(
    args: string[],
    options: SpawnOptions & { readonly stdoutLines?: number },
    onProcess: (child: ChildProcess) => void,
    onEnd: (error: Error | null, stdoutRing: unknown, stderrRing?: { get(): string }) => void,
  ): void;
}

export interface FfmpegRun {
  /** Resolves with the child once spawned (stdout, stderr and fd 3 when `extraPipe`). */
  readonly child: Promise<ChildProcess>;
  /** Resolves when FFmpeg has exited and its pipes closed: `error` is null on exit code 0. */
  readonly ended: Promise<{ readonly error: Error | null; readonly stderrTail: string }>;
}

/**
 * Spawns FFmpeg through fluent-ffmpeg's runner with the given binary and arguments.
 * fluent-ffmpeg's public API knows one output stream; we pass spawn options through so that a
 * second raw output can use fd 3, and pin the binary per command rather than in its global cache.
 */
export function spawnFfmpeg(
  binary: string,
  args: readonly string[],
  options: { readonly extraPipe?: boolean; readonly stderrLines?: number } = {},
): FfmpegRun {
  const command = ffmpeg() as unknown as FluentRunner;
  command._getFfmpegPath = (callback) => callback(null, binary);
  let resolveChild!: (child: ChildProcess) => void;
  let rejectChild!: (error: Error) => void;
  const child = new Promise<ChildProcess>((resolve, reject) => {
    resolveChild = resolve;
    rejectChild = reject;
  });
  const ended = new Promise<{ error: Error | null; stderrTail: string }>((resolve) => {
    let done = false;
    command._spawnFfmpeg(
      [...args],
      {
        stdio: options.extraPipe ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        stdoutLines: options.stderrLines ?? 40,
      },
      (spawned) => resolveChild(spawned),
      (error, _stdout, stderrRing) => {
        if (done) return;
        done = true;
        if (error) rejectChild(error);
        resolve({ error, stderrTail: stderrRing?.get() ?? '' });
      },
    );
  });
  // A spawn failure surfaces through `ended`; keep the unobserved `child` rejection quiet.
  child.catch(() => undefined);
  return { child, ended };
}
