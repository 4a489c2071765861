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
 * Errors with a `stalled` DecodeError when no value arrives for `stallTimeout` ms
 * (or `connectTimeout` ms before the first one).
 *
 * Built on RxJS `timeout`; unsubscribing from the source on expiry is what kills a frozen
 * FFmpeg, and the `retry` downstream reopens it.
 *
 * ## Example
 * ```ts
 * runOnce$.pipe(stallWatchdog({ streamId: 'front', stallTimeout: 10_000 }), retry(...));
 * ```
 */
export function stallWatchdog<T>(options: {
  readonly streamId: string;
  readonly stallTimeout: number;
  readonly connectTimeout?: number;
  readonly scheduler?: SchedulerLike;
}): MonoTypeOperatorFunction<T> {
  const { streamId, stallTimeout, connectTimeout = stallTimeout, scheduler = asyncScheduler } = options;
  return timeout<T, Observable<never>, unknown>({
    first: connectTimeout,
    each: stallTimeout,
    scheduler,
    with: (info: TimeoutInfo<T, unknown>) =>
      throwError(
        () =>
          new DecodeError(
            'stalled',
            streamId,
            info.seen === 0
              ? `camera ${streamId}: no frame within ${connectTimeout} ms of opening; reopening`
              : `camera ${streamId}: no frame for ${stallTimeout} ms (stalled); reopening`,
          ),
      ),
  });
}
