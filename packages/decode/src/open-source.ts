import {
  BehaviorSubject,
  concat,
  defer,
  distinctUntilChanged,
  identity,
  type Observable,
  type OperatorFunction,
  share,
  tap,
  throwError,
} from 'rxjs';
import { DecodeError } from './decode-error.js';
import { decodeOnce } from './decode-once.js';
import type { Frame } from './frame.js';
import { newestWhileBusy } from './newest-while-busy.js';
import { reconnectWithBackoff } from './reconnect.js';
import { redactUrl } from './redact-url.js';
import { isLive, reconnectBackoff, type SourceOptions, sourceKind } from './source-options.js';
import type { SourceState, SourceStatus } from './source-status.js';
import { stallWatchdog } from './stall-watchdog.js';
import { tcpReachable } from './tcp-reachable.js';

/** Counters of one source since it was opened (Frigate's camera stats, DeepStream's per-source FPS). */
export interface SourceStats {
  readonly streamId: string;
  readonly state: SourceState;
  /** Frames that left FFmpeg. */
  readonly frames: number;
  /** Frames dropped by `source.newestWhileBusy` because downstream was busy. */
  readonly drops: number;
  /** Times the stall watchdog fired. */
  readonly stalls: number;
  /** Times FFmpeg was reopened after an error, a stall or the end of a live stream. */
  readonly reconnects: number;
  /** ms since the epoch of the last frame, if any. */
  readonly lastFrameAt: number | undefined;
  /** Source size as last opened. */
  readonly width: number | undefined;
  readonly height: number | undefined;
}

/** A camera or file as three views: its frames, its liveness, its counters. */
export interface Source {
  readonly streamId: string;
  /** Frames; subscribing opens FFmpeg, the last unsubscribe kills it (shared between subscribers). */
  readonly frames$: Observable<Frame>;
  /** `connecting` → `online` → `stalled`/`offline` → …; replays the current state to new subscribers. */
  readonly status$: Observable<SourceStatus>;
  stats(): SourceStats;
  /** `newestWhileBusy` that counts its drops into this source's `stats().drops`. */
  newestWhileBusy<R>(project: (frame: Frame) => Observable<R> | Promise<R>): OperatorFunction<Frame, R>;
}

const DEFAULT_STALL_TIMEOUT_MS = 10_000;

/**
 * Opens a camera or file as a live-aware frame source with a status observable and counters.
 *
 * Each subscription attempt probes the source and runs one FFmpeg (see `decodeOnce`). A stall
 * watchdog (`stallTimeoutMs`, default 10 s) kills a frozen FFmpeg; errors, stalls and the end of a
 * live stream reopen it after an exponential, jittered, capped backoff (`LIVE_RECONNECT_BACKOFF`:
 * 0.5 s doubling to 3 s), cut short as soon as a camera that refused the connection accepts one
 * again, forever for live sources (`reconnect.maxRetries` to stop). Unlooped files end, or error, once. Frames keep their `seq`
 * across reconnects. Everything it reports goes through `redactUrl`.
 *
 * ## Example
 * ```ts
 * const front = openSource({ url: 'rtsp://user:pass@10.0.0.7/stream1', streamId: 'front', fps: 5,
 *   modelInput: { width: 640, height: 640 } });
 * front.status$.subscribe((s) => log.info(`${s.streamId} ${s.state} ${s.reason ?? ''}`));
 * front.frames$.pipe(front.newestWhileBusy((frame) => detector.detect(frame))).subscribe(publish);
 * ```
 * @see decode
 */
export function openSource(options: SourceOptions): Source {
  const streamId = options.streamId ?? redactUrl(options.url);
  const live = isLive(options);
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const connectTimeoutMs = options.connectTimeoutMs ?? stallTimeoutMs;
  const status = new BehaviorSubject<SourceStatus>({
    streamId,
    state: 'offline',
    at: Date.now(),
    reason: 'not opened yet',
  });
  const counters = { frames: 0, drops: 0, stalls: 0, reconnects: 0, seq: 0 };
  let lastFrameAt: number | undefined;
  let size: { width: number; height: number } | undefined;

  const setState = (state: SourceState, reason?: string): void => {
    status.next({ streamId, state, at: Date.now(), ...(reason ? { reason: redactUrl(reason) } : {}) });
  };
  const reasonOf = (error: unknown): string =>
    error instanceof Error ? error.message.split('\n')[0]! : String(error);

  const attempt$ = defer(() => {
    setState('connecting');
    return decodeOnce(options, {
      streamId,
      nextSeq: () => counters.seq++,
      onWarning: (message) => setState('connecting', message),
      onOpened: (info) => {
        if (size && (size.width !== info.width || size.height !== info.height)) {
          setState(
            'connecting',
            `resolution changed from ${size.width}x${size.height} to ${info.width}x${info.height}`,
          );
        }
        size = { width: info.width, height: info.height };
      },
    });
  }).pipe(
    live
      ? (frames$: Observable<Frame>) =>
          concat(
            frames$,
            throwError(
              () => new DecodeError('ended', streamId, `camera ${streamId}: the stream ended; reopening`),
            ),
          )
      : identity,
    stallWatchdog<Frame>({ streamId, stallTimeoutMs, connectTimeoutMs: connectTimeoutMs + stallTimeoutMs }),
    tap({
      next: (frame) => {
        counters.frames++;
        lastFrameAt = frame.capturedAt;
        if (status.value.state !== 'online') setState('online');
      },
      error: (error: unknown) => {
        if (error instanceof DecodeError && error.kind === 'stalled') {
          counters.stalls++;
          setState('stalled', error.message);
        }
      },
    }),
  );

  const frames$ = attempt$.pipe(
    live
      ? reconnectWithBackoff<Frame>({
          ...reconnectBackoff(options),
          // A camera that refused the connection is retried as soon as its port accepts one again.
          ...(sourceKind(options.url) === 'rtsp' || sourceKind(options.url) === 'http'
            ? {
                probe: () => tcpReachable(options.url),
                probeAfter: (error: unknown) => error instanceof DecodeError && error.kind === 'unreachable',
              }
            : {}),
          onRetry: (error, attempt, delayMs) => {
            counters.reconnects++;
            const stalled = error instanceof DecodeError && error.kind === 'stalled';
            setState(
              stalled ? 'stalled' : 'offline',
              `${reasonOf(error)} (retry ${attempt} in ${delayMs} ms)`,
            );
          },
        })
      : identity,
    tap({
      error: (error: unknown) => setState('offline', reasonOf(error)),
      complete: () => setState('offline', 'end of file'),
      unsubscribe: () => setState('offline', 'closed'),
    }),
    share(),
  );

  return {
    streamId,
    frames$,
    status$: status.pipe(distinctUntilChanged((a, b) => a.state === b.state && a.reason === b.reason)),
    stats: () => ({
      streamId,
      state: status.value.state,
      frames: counters.frames,
      drops: counters.drops,
      stalls: counters.stalls,
      reconnects: counters.reconnects,
      lastFrameAt,
      width: size?.width,
      height: size?.height,
    }),
    newestWhileBusy: (project) =>
      newestWhileBusy(project, {
        onDrop: () => {
          counters.drops++;
        },
      }),
  };
}
