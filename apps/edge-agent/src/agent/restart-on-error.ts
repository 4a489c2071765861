import { asyncScheduler, type MonoTypeOperatorFunction, retry, type SchedulerLike, timer } from 'rxjs';

export interface RestartOptions {
  /** First delay before a restart, ms. */
  readonly initialDelay?: number;
  /** Cap on the doubling delay, ms. */
  readonly maxDelay?: number;
  /** Told about every failure before the restart is scheduled (for logs and metrics). */
  readonly onError?: (error: unknown, attempt: number, delayMs: number) => void;
  readonly scheduler?: SchedulerLike;
}

/**
 * Resubscribes to a camera pipeline that errored, after a doubling delay, forever.
 *
 * The delay starts at `initialDelay` (default 1 s), doubles to `maxDelay` (default 30 s), and
 * resets once the pipeline emits again, so one bad hour does not leave a healthy camera on a
 * 30 s restart delay. Completion is not an error and ends the stream.
 *
 * ## Example
 * ```ts
 * pipeline$.pipe(restartOnError({ onError: (e, n) => log.warn('camera restarts', { n, e }) }))
 * ```
 */
export function restartOnError<T>(options: RestartOptions = {}): MonoTypeOperatorFunction<T> {
  const initial = options.initialDelay ?? 1000;
  const max = options.maxDelay ?? 30_000;
  return retry({
    resetOnSuccess: true,
    delay: (error: unknown, attempt: number) => {
      const delayMs = Math.min(max, initial * 2 ** (attempt - 1));
      options.onError?.(error, attempt, delayMs);
      return timer(delayMs, options.scheduler ?? asyncScheduler);
    },
  });
}
