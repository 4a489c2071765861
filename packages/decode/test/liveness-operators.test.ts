import {
  concat,
  defer,
  ignoreElements,
  type Observable,
  of,
  Subject,
  takeUntil,
  throwError,
  timer,
} from 'rxjs';
import type { ColdObservable } from 'rxjs/internal/testing/ColdObservable';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DecodeError,
  newestWhileBusy,
  reconnectWithBackoff,
  stallWatchdog,
} from '../src/index.js';

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const noJitter = { initialDelayMs: 500, maxDelayMs: 4_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, noJitter))).toEqual([
      500, 1000, 2000, 4000, 4000, 4000,
    ]);
  });

  it('spreads each delay by ±jitter', () => {
    const options = { initialDelayMs: 1_000, jitter: 0.2 };
    expect(backoffDelay(1, options, () => 0)).toBe(800);
    expect(backoffDelay(1, options, () => 0.5)).toBe(1000);
    expect(backoffDelay(1, options, () => 0.999_999)).toBe(1200);
  });
});

describe('stallWatchdog (virtual time)', () => {
  it('passes a steady stream through', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const frames = cold('a 9ms b 9ms c|');
      expectObservable(frames.pipe(stallWatchdog({ streamId: 'cam', stallTimeoutMs: 10 }))).toBe(
        'a 9ms b 9ms c|',
      );
    });
  });

  it('errors with a stalled DecodeError when frames stop for stallTimeoutMs', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const frames = cold('a 5ms b 100ms c|');
      const error = new DecodeError('stalled', 'cam', 'camera cam: no frame for 10 ms (stalled); reopening');
      expectObservable(frames.pipe(stallWatchdog({ streamId: 'cam', stallTimeoutMs: 10 }))).toBe(
        'a 5ms b 9ms #',
        { a: 'a', b: 'b' },
        error,
      );
    });
  });

  it('gives the first frame connectTimeoutMs', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const frames = cold('25ms a 5ms b|');
      expectObservable(
        frames.pipe(stallWatchdog({ streamId: 'cam', stallTimeoutMs: 10, connectTimeoutMs: 30 })),
      ).toBe('25ms a 5ms b|');
      const late = cold('40ms a|');
      expectObservable(
        late.pipe(stallWatchdog({ streamId: 'cam', stallTimeoutMs: 10, connectTimeoutMs: 30 })),
      ).toBe(
        '30ms #',
        undefined,
        new DecodeError('stalled', 'cam', 'camera cam: no frame within 30 ms of opening; reopening'),
      );
    });
  });
});

describe('reconnectWithBackoff (virtual time)', () => {
  it('resubscribes after 500, 1000 and 2000 ms, then gives up after maxRetries', () => {
    const delays: number[] = [];
    let failing: ColdObservable<never> | undefined;
    newScheduler().run(({ cold, expectObservable }) => {
      failing = cold<never>('#');
      const result = failing.pipe(
        reconnectWithBackoff({ jitter: 0, maxRetries: 3, onRetry: (_e, _n, delay) => delays.push(delay) }),
      );
      expectObservable(result).toBe('3500ms #');
    });
    expect(delays).toEqual([500, 1000, 2000]);
    expect(failing?.subscriptions).toEqual([
      { subscribedFrame: 0, unsubscribedFrame: 0 },
      { subscribedFrame: 500, unsubscribedFrame: 500 },
      { subscribedFrame: 1500, unsubscribedFrame: 1500 },
      { subscribedFrame: 3500, unsubscribedFrame: 3500 },
    ]);
  });

  it('restarts the backoff at the initial delay once a frame gets through', () => {
    newScheduler().run(({ expectObservable }) => {
      let attempt = 0;
      // Fails twice (waits 500, 1000), sends a frame and fails: the next wait is 500 again, not 2000.
      const source = defer(() => {
        attempt++;
        return attempt === 3
          ? concat(
              of('f'),
              throwError(() => new Error('x')),
            )
          : throwError(() => new Error('x'));
      });
      expectObservable(source.pipe(reconnectWithBackoff({ jitter: 0, maxRetries: 2 })), '^ 2200ms !').toBe(
        '1500ms f',
      );
    });
    expect(true).toBe(true);
  });

  it('retries forever by default, with the delay capped', () => {
    let failing: ColdObservable<never> | undefined;
    newScheduler().run(({ cold }) => {
      failing = cold<never>('#');
      failing
        .pipe(
          reconnectWithBackoff({ jitter: 0, initialDelayMs: 100, maxDelayMs: 300 }),
          takeUntil(timer(1300)),
        )
        .subscribe({ error: () => expect.unreachable() });
    });
    expect(failing?.subscriptions).toEqual(
      [0, 100, 300, 600, 900, 1200].map((t) => ({ subscribedFrame: t, unsubscribedFrame: t })),
    );
  });

  it('passes non-retryable errors straight through', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const failing = cold('#', undefined, new Error('fatal'));
      expectObservable(failing.pipe(reconnectWithBackoff({ retryable: () => false }))).toBe(
        '#',
        undefined,
        new Error('fatal'),
      );
    });
  });
});

describe('newestWhileBusy (virtual time)', () => {
  it('runs the newest value next and drops (and counts) the ones in between', () => {
    const droppedLog: string[] = [];
    newScheduler().run(({ cold, hot, expectObservable }) => {
      const frames = hot('a b c d 20ms e 20ms |');
      const slow = (v: string) => cold('10ms (x|)', { x: v.toUpperCase() });
      expectObservable(frames.pipe(newestWhileBusy(slow, { onDrop: (v) => droppedLog.push(v) }))).toBe(
        '10ms A 9ms D 13ms E 10ms |',
      );
    });
    expect(droppedLog).toEqual(['b', 'c']);
  });

  it('holds at most one pending value however fast values come', () => {
    const dropped: number[] = [];
    const results: number[] = [];
    const release = new Subject<void>();
    const input = new Subject<number>();
    input
      .pipe(
        newestWhileBusy((v: number) => concat(release.pipe(ignoreElements()), of(v)), {
          onDrop: (v) => dropped.push(v),
        }),
      )
      .subscribe((v) => results.push(v));
    for (let i = 0; i < 1000; i++) input.next(i);
    expect(dropped).toHaveLength(998);
    expect(dropped.at(-1)).toBe(998);
    release.complete();
    expect(results).toEqual([0, 999]);
  });
  it('turns a synchronous throw in project into an error of the stream, not an uncaught exception', () => {
    const errors: unknown[] = [];
    of(1)
      .pipe(
        newestWhileBusy((): Observable<number> => {
          throw new Error('detector closed');
        }),
      )
      .subscribe({ error: (error: unknown) => errors.push(error) });
    expect(errors).toEqual([new Error('detector closed')]);
  });
});
