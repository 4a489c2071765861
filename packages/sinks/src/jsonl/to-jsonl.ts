import type { TrackedFrame } from '@rxvision/tracker';
import { defer, finalize, type MonoTypeOperatorFunction, tap } from 'rxjs';
import { RotatingFile } from './rotating-file.js';

export interface ToJsonlOptions {
  /** Rotate when the file would grow past this many bytes. Default 64 MiB; 0: never rotate. */
  readonly maxBytes?: number;
  /** Rotated files kept (`<path>.1` … `<path>.<n>`). Default 5. */
  readonly maxFiles?: number;
  /** Also write frames without any tracked object. Default true. */
  readonly emptyFrames?: boolean;
}

/** One JSON line per frame, as `toJsonl` writes it. */
export interface JsonlRecord {
  readonly camera: string;
  readonly seq: number;
  readonly pts: number;
  /** ms since the epoch. */
  readonly capturedAt: number;
  readonly width: number;
  readonly height: number;
  readonly inferenceMs: number;
  readonly tracks: ReadonlyArray<{
    readonly trackId: number;
    readonly label: string;
    readonly classId: number;
    readonly score: number;
    readonly bbox: readonly [number, number, number, number];
    readonly zones: readonly string[];
  }>;
  readonly events: ReadonlyArray<{
    readonly type: string;
    readonly trackId: number;
    readonly at: number;
    readonly zone?: string;
    readonly line?: string;
    readonly direction?: string;
  }>;
}

export function jsonlRecord(tracked: TrackedFrame): JsonlRecord {
  const { frame } = tracked;
  return {
    camera: frame.streamId,
    seq: frame.seq,
    pts: frame.pts,
    capturedAt: frame.capturedAt,
    width: frame.width,
    height: frame.height,
    inferenceMs: tracked.inferenceMs,
    tracks: tracked.tracks.map((t) => ({
      trackId: t.trackId,
      label: t.label,
      classId: t.classId,
      score: t.score,
      bbox: t.bbox,
      zones: t.currentZones,
    })),
    events: tracked.events.map((e) => ({
      type: e.type,
      trackId: e.track.trackId,
      at: e.at,
      ...('zone' in e ? { zone: e.zone } : {}),
      ...('line' in e ? { line: e.line, direction: e.direction } : {}),
    })),
  };
}

/**
 * Appends one JSON line per tracked frame to `path` and passes frames on (the DeepStream
 * `msgconv` file sink, as plain lines any tool can read).
 *
 * The file is opened on subscribe and closed on complete, error or unsubscribe; when it would
 * grow past `maxBytes` it is rotated logrotate-style (`<path>.1` is the newest old file, at most
 * `maxFiles` kept). An unwritable path fails the stream with the path in the message.
 *
 * ## Example
 * ```ts
 * frames$.pipe(track(), toJsonl('/var/log/rxvision/front.jsonl', { maxBytes: 16 << 20, maxFiles: 3 }));
 * ```
 * @see toMqtt
 */
export function toJsonl(path: string, options: ToJsonlOptions = {}): MonoTypeOperatorFunction<TrackedFrame> {
  const emptyFrames = options.emptyFrames ?? true;
  return (source) =>
    defer(() => {
      const file = new RotatingFile(path, {
        maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
        maxFiles: options.maxFiles ?? 5,
      });
      return source.pipe(
        tap((tracked) => {
          if (emptyFrames || tracked.tracks.length > 0 || tracked.events.length > 0) {
            file.write(`${JSON.stringify(jsonlRecord(tracked))}\n`);
          }
        }),
        finalize(() => file.close()),
      );
    });
}
