import {
  asyncScheduler,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
  type TimeoutInfo,
  throwError,
  timeout,
} from 'rxjs';
import { DecodeError } from './decode-error.js';

/**
 * Errors with a `stalled` DecodeError when no value arrives for `stallTimeoutMs` ms
 * (or `connectTimeoutMs` ms before the first one).
 *
 * Built on RxJS `timeout`; unsubscribing from the source on expiry is what kills a frozen
 * FFmpeg, and the `retry` downstream reopens it.
 *
 * ## Example
 * ```ts
 * runOnce$.pipe(stallWatchdog({ streamId: 'front', stallTimeoutMs: 10_000 }), retry(...));
 * ```
 */
export function stallWatchdog<T>(options: {
  readonly streamId: string;
  readonly stallTimeoutMs: number;
  readonly connectTimeoutMs?: number;
  readonly scheduler?: SchedulerLike;
}): MonoTypeOperatorFunction<T> {
  const { streamId, stallTimeoutMs, connectTimeoutMs = stallTimeoutMs, scheduler = asyncScheduler } = options;
  return timeout<T, Observable<never>, unknown>({
    first: connectTimeoutMs,
    each: stallTimeoutMs,
    scheduler,
    with: (info: TimeoutInfo<T, unknown>) =>
      throwError(
        () =>
          new DecodeError(
            'stalled',
            streamId,
            info.seen === 0
              ? `camera ${streamId}: no frame within ${connectTimeoutMs} ms of opening; reopening`
              : `camera ${streamId}: no frame for ${stallTimeoutMs} ms (stalled); reopening`,
          ),
      ),
  });
}
