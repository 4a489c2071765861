import { type BackoffOptions, backoffDelay } from '@rxvision/decode';
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

/**
 * Emits the attempt number each time a reconnect is due: a connection loss schedules attempt n
 * after `backoffDelay(n)`; a successful connect resets n to 1.
 */
export function reconnectSchedule(
  lost$: Observable<unknown>,
  connected$: Observable<unknown>,
  backoff: BackoffOptions,
  scheduler: SchedulerLike = asyncScheduler,
  random: () => number = Math.random,
): Observable<number> {
  return merge(lost$.pipe(map(() => 'lost' as const)), connected$.pipe(map(() => 'connected' as const))).pipe(
    scan(
      (state, what) =>
        what === 'connected' ? { attempt: 0, due: false } : { attempt: state.attempt + 1, due: true },
      { attempt: 0, due: false },
    ),
    switchMap(({ attempt, due }) =>
      due ? timer(backoffDelay(attempt, backoff, random), scheduler).pipe(map(() => attempt)) : EMPTY,
    ),
  );
}
