import { DecodeError, LIVE_RECONNECT_BACKOFF } from '@rxvision/decode';
import { concat, defer, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { restartOnError } from '../src/agent/restart-on-error.js';

describe('restartOnError (virtual time)', () => {
  it('resubscribes after 1 s, 2 s, 4 s … capped, and resets the delay after a success', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const delays: number[] = [];
      let subscriptions = 0;
      // Subscriptions 1-3 fail at once; the 4th emits `a` then fails; the 5th fails; the 6th completes.
      const source = defer(() => {
        subscriptions++;
        if (subscriptions === 4) return cold('a#');
        if (subscriptions === 6) return cold('b|');
        return throwError(() => new Error(`boom ${subscriptions}`));
      });
      const out = source.pipe(
        restartOnError({
          initialDelayMs: 1000,
          maxDelayMs: 3000,
          jitter: 0,
          scheduler,
          onError: (_e, _n, ms) => delays.push(ms),
        }),
      );
      // t=0 fail → 1000 → fail → +2000 (3000) → fail → +3000 cap (6000) → a at 6000, fail at 6001
      // → reset: +1000 (7001) → fail → +2000 (9001) → b, complete.
      expectObservable(out).toBe('6000ms a 3000ms b|');
      scheduler.flush();
      expect(delays).toEqual([1000, 2000, 3000, 1000, 2000]);
    });
  });

  it('lets completion through without restarting', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      let n = 0;
      const out = concat(
        of(1),
        defer(() => of(++n)),
      ).pipe(restartOnError({ scheduler }));
      expectObservable(out).toBe('(ab|)', { a: 1, b: 1 });
    });
  });

  it('spreads each restart delay by the jitter, ±20 % by default, so cameras do not restart in lockstep', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const delays: number[] = [];
      let n = 0;
      const source = defer(() => (++n < 3 ? throwError(() => new Error('boom')) : of('up')));
      const out = source.pipe(
        restartOnError({ scheduler, random: () => 0, onError: (_e, _n, ms) => delays.push(ms) }),
      );
      // Default 1 s then 2 s, each at the low end of ±20 %: 800 ms, then 1600 ms.
      expectObservable(out).toBe('2400ms (a|)', { a: 'up' });
      scheduler.flush();
      expect(delays).toEqual([800, 1600]);
    });
  });
});

describe('restartOnError for a camera that is merely offline (virtual time)', () => {
  it('caps the restart of a camera failure at the live reconnect cap, other failures at maxDelayMs', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const delays: string[] = [];
      let n = 0;
      // Six camera failures (DecodeError), then two detector failures, then up.
      const source = defer(() => {
        n++;
        if (n <= 6)
          return throwError(() => new DecodeError('unreachable', 'cam', 'camera cam: connection refused'));
        if (n <= 8) return throwError(() => new Error('detector crashed'));
        return of('up');
      });
      const out = source.pipe(
        restartOnError({
          jitter: 0,
          scheduler,
          onError: (e, _n, ms) => delays.push(`${e instanceof DecodeError ? 'camera' : 'other'} ${ms}`),
        }),
      );
      // camera: 1000, 2000, then capped at LIVE_RECONNECT_BACKOFF.maxDelayMs; other (attempts 7 and 8): 1 s · 2^(n-1), capped at 30 s.
      const cap = LIVE_RECONNECT_BACKOFF.maxDelayMs;
      const total = 1000 + 2000 + 4 * cap + 30_000 + 30_000;
      expectObservable(out).toBe(`${total}ms (a|)`, { a: 'up' });
      scheduler.flush();
      expect(delays).toEqual([
        'camera 1000',
        'camera 2000',
        `camera ${cap}`,
        `camera ${cap}`,
        `camera ${cap}`,
        `camera ${cap}`,
        'other 30000',
        'other 30000',
      ]);
    });
  });
});
