import { type BackoffOptions, backoffDelay, DecodeError, LIVE_RECONNECT_BACKOFF } from '@rxvision/decode';
import { asyncScheduler, type MonoTypeOperatorFunction, retry, type SchedulerLike, timer } from 'rxjs';

/** A camera pipeline's default restart delays: 1 s doubling to 30 s, ±20 % jitter. */
export const PIPELINE_RESTART_BACKOFF: BackoffOptions = { initialDelayMs: 1000, maxDelayMs: 30_000 };

export interface RestartOptions extends BackoffOptions {
  /** Told about every failure before the restart is scheduled (for logs and metrics). */
  readonly onError?: (error: unknown, attempt: number, delayMs: number) => void;
  readonly scheduler?: SchedulerLike;
  /** Random source for the jitter, in [0, 1) (tests pass a constant). */
  readonly random?: () => number;
  /**
   * Failures of the camera itself (default: a `DecodeError`): restarted no slower than a live
   * source reconnects (`LIVE_RECONNECT_BACKOFF.maxDelayMs`), since the camera may be back already.
   */
  readonly isCameraFailure?: (error: unknown) => boolean;
}

/**
 * Resubscribes to a camera pipeline that errored, after a growing delay, forever (or `maxRetries`).
 *
 * The delay starts at `initialDelayMs` (default 1 s), doubles to `maxDelayMs` (default 30 s), is
 * spread by `jitter` (default ±20 %, so cameras failing together do not restart in lockstep), and
 * resets once the pipeline emits again, so one bad hour does not leave a healthy camera on a 30 s
 * restart delay. A camera that is merely offline waits no longer than the source's own reconnect
 * cap (3 s), so the restart adds no long wait on top of it. Completion is not an error and ends the stream.
 *
 * ## Example
 * ```ts
 * pipeline$.pipe(restartOnError({ onError: (e, n) => log.warn('camera restarts', { n, e }) }))
 * ```
 */
export function restartOnError<T>(options: RestartOptions = {}): MonoTypeOperatorFunction<T> {
  const {
    onError,
    scheduler = asyncScheduler,
    random = Math.random,
    isCameraFailure = (error: unknown) => error instanceof DecodeError,
    ...backoff
  } = options;
  const delays = { ...PIPELINE_RESTART_BACKOFF, ...backoff };
  const cameraDelays = {
    ...delays,
    maxDelayMs: Math.min(
      delays.maxDelayMs ?? LIVE_RECONNECT_BACKOFF.maxDelayMs,
      LIVE_RECONNECT_BACKOFF.maxDelayMs,
    ),
  };
  return retry({
    count: options.maxRetries ?? Number.POSITIVE_INFINITY,
    resetOnSuccess: true,
    delay: (error: unknown, attempt: number) => {
      const delayMs = backoffDelay(attempt, isCameraFailure(error) ? cameraDelays : delays, random);
      onError?.(error, attempt, delayMs);
      return timer(delayMs, scheduler);
    },
  });
}
