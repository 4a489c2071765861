import { asyncScheduler, type MonoTypeOperatorFunction, retry, type SchedulerLike, timer } from 'rxjs';
import { type BackoffOptions, backoffDelay } from './backoff.js';

export interface ReconnectOptions extends BackoffOptions {
  readonly scheduler?: SchedulerLike;
  /** Random source for the jitter, in [0, 1) (tests pass a constant). */
  readonly random?: () => number;
  /** Only these errors are retried; others pass through. Default: all. */
  readonly retryable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to publish `offline` and count reconnects. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Resubscribes to the source after an error, waiting an exponentially growing, jittered,
 * capped delay; the count resets once a value gets through.
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
  const { scheduler = asyncScheduler, random = Math.random, retryable = () => true, onRetry } = options;
  return retry<T>({
    count: options.maxRetries ?? Number.POSITIVE_INFINITY,
    resetOnSuccess: true,
    delay: (error: unknown, attempt: number) => {
      if (!retryable(error)) throw error;
      const delayMs = backoffDelay(attempt, options, random);
      onRetry?.(error, attempt, delayMs);
      return timer(delayMs, scheduler);
    },
  });
}
