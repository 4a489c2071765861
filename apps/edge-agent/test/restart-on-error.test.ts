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
          initialDelay: 1000,
          maxDelay: 3000,
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
});
