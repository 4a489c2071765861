import {
  asyncScheduler,
  exhaustMap,
  filter,
  from,
  type MonoTypeOperatorFunction,
  type ObservableInput,
  race,
  retry,
  type SchedulerLike,
  take,
  timer,
} from 'rxjs';
import { type BackoffOptions, backoffDelay } from './backoff.js';

export interface ReconnectOptions extends BackoffOptions {
  readonly scheduler?: SchedulerLike;
  /** Random source for the jitter, in [0, 1) (tests pass a constant). */
  readonly random?: () => number;
  /** Only these errors are retried; others pass through. Default: all. */
  readonly retryable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to publish `offline` and count reconnects. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /**
   * A cheap check, run every `probeIntervalMs` while waiting after an error that `probeAfter`
   * accepts: once it answers true the retry starts at once instead of at the end of the delay.
   */
  readonly probe?: () => ObservableInput<boolean>;
  /** Which errors the probe may cut short (e.g. only "connection refused"). Default: all. */
  readonly probeAfter?: (error: unknown) => boolean;
  /** Default 250. */
  readonly probeIntervalMs?: number;
}

/**
 * Resubscribes to the source after an error, waiting an exponentially growing, jittered,
 * capped delay (cut short when `probe` says the source is back); the count resets once a value
 * gets through.
 *
 * RxJS `retry` with a `timer` delay: the resubscription reopens FFmpeg. `maxRetries` defaults
 * to forever, as a camera on an unattended edge box must come back whenever it can.
 *
 * ## Example
 * ```ts
 * openOnce$.pipe(reconnectWithBackoff({ initialDelayMs: 500, maxDelayMs: 30_000 }));
 * ```
 */
export function reconnectWithBackoff<T>(options: ReconnectOptions = {}): MonoTypeOperatorFunction<T> {
  const {
    scheduler = asyncScheduler,
    random = Math.random,
    retryable = () => true,
    onRetry,
    probe,
    probeAfter = () => true,
    probeIntervalMs = 250,
  } = options;
  return retry<T>({
    count: options.maxRetries ?? Number.POSITIVE_INFINITY,
    resetOnSuccess: true,
    delay: (error: unknown, attempt: number) => {
      if (!retryable(error)) throw error;
      const delayMs = backoffDelay(attempt, options, random);
      onRetry?.(error, attempt, delayMs);
      const wait = timer(delayMs, scheduler);
      if (!probe || !probeAfter(error)) return wait;
      const back = timer(probeIntervalMs, probeIntervalMs, scheduler).pipe(
        exhaustMap(() => from(probe())),
        filter(Boolean),
        take(1),
      );
      return race(wait, back);
    },
  });
}
