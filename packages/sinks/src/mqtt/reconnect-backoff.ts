import {
  asyncScheduler,
  EMPTY,
  map,
  merge,
  type Observable,
  type SchedulerLike,
  scan,
  switchMap,
  timer,
} from 'rxjs';

export interface BackoffOptions {
  /** First delay in ms (mqtt.js `reconnectPeriod`). */
  readonly initialMs: number;
  /** Ceiling in ms. */
  readonly maxMs: number;
}

/** Exponential backoff: initial, 2×, 4×… capped at max. `attempt` counts from 1. */
export function reconnectDelay(attempt: number, { initialMs, maxMs }: BackoffOptions): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Emits the attempt number each time a reconnect is due: a connection loss schedules attempt n
 * after `reconnectDelay(n)`; a successful connect resets n to 1.
 */
export function reconnectSchedule(
  lost$: Observable<unknown>,
  connected$: Observable<unknown>,
  options: BackoffOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<number> {
  return merge(lost$.pipe(map(() => 'lost' as const)), connected$.pipe(map(() => 'connected' as const))).pipe(
    scan(
      (state, what) =>
        what === 'connected' ? { attempt: 0, due: false } : { attempt: state.attempt + 1, due: true },
      { attempt: 0, due: false },
    ),
    switchMap(({ attempt, due }) =>
      due ? timer(reconnectDelay(attempt, options), scheduler).pipe(map(() => attempt)) : EMPTY,
    ),
  );
}
