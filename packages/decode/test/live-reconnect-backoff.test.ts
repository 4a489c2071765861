import { defer, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { DecodeError, LIVE_RECONNECT_BACKOFF, reconnectBackoff, reconnectWithBackoff } from '../src/index.js';

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const refused = () => new DecodeError('unreachable', 'cam', 'camera cam: Connection refused');

describe('live source reconnect backoff (virtual time)', () => {
  it('retries a camera that stays away every 3 s at most, however long it has been away', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const delays: number[] = [];
      let attempts = 0;
      // Away for 1000 attempts (over 50 virtual minutes), then back.
      const camera = defer(() => (++attempts <= 1000 ? throwError(refused) : of('frame')));
      const out = camera.pipe(
        reconnectWithBackoff({
          ...reconnectBackoff({}),
          jitter: 0,
          scheduler,
          onRetry: (_e, _n, ms) => delays.push(ms),
        }),
      );
      const total = 500 + 1000 + 2000 + 997 * 3000;
      expectObservable(out).toBe(`${total}ms (a|)`, { a: 'frame' });
      scheduler.flush();
      expect(delays.slice(0, 5)).toEqual([500, 1000, 2000, 3000, 3000]);
      expect(Math.max(...delays)).toBe(3000);
    });
  });

  it('spreads capped retries by ±20 % so cameras behind one switch do not reconnect in lockstep', () => {
    const spread = [0, 0.25, 0.5, 0.75, 0.999_999].map((r) => {
      const scheduler = newScheduler();
      let last = 0;
      scheduler.run(({ expectObservable }) => {
        let attempts = 0;
        const out = defer(() => (++attempts <= 10 ? throwError(refused) : of('up'))).pipe(
          reconnectWithBackoff({
            ...reconnectBackoff({}),
            scheduler,
            random: () => r,
            onRetry: (_e, _n, ms) => {
              last = ms;
            },
          }),
        );
        expectObservable(out);
      });
      return last;
    });
    expect(spread).toEqual([2400, 2700, 3000, 3300, 3600]);
    expect(LIVE_RECONNECT_BACKOFF.maxDelayMs * (1 + LIVE_RECONNECT_BACKOFF.jitter)).toBeLessThan(5000);
  });

  it("keeps a camera's own reconnect keys over the live defaults", () => {
    expect(reconnectBackoff({ reconnect: { maxDelayMs: 60_000 } })).toEqual({
      initialDelayMs: 500,
      maxDelayMs: 60_000,
      jitter: 0.2,
    });
  });
});

describe('reconnect probe between attempts (virtual time)', () => {
  const unauthorized = () => new DecodeError('unauthorized', 'cam', 'camera cam: 401 Unauthorized');
  const camera = (errors: Array<() => DecodeError>) => {
    let attempts = 0;
    return defer(() => {
      const error = errors[attempts++];
      return error ? throwError(error) : of('frame');
    });
  };

  it('retries as soon as the probe finds the camera back, instead of at the end of the delay', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      let probes = 0;
      const out = camera([refused, refused, refused, refused]).pipe(
        reconnectWithBackoff({
          ...reconnectBackoff({}),
          jitter: 0,
          scheduler,
          // Probes every 500 ms of each wait (a tie goes to the timer): 0 in the 500 ms wait, 1 in the 1000 ms,
          // 3 in the 2000 ms, and the 9th, 2500 ms into the 3000 ms wait, finds the camera back.
          probe: () => of(++probes >= 9),
          probeIntervalMs: 500,
          probeAfter: (e) => e instanceof DecodeError && e.kind === 'unreachable',
        }),
      );
      expectObservable(out).toBe(`${500 + 1000 + 2000 + 2500}ms (a|)`, { a: 'frame' });
    });
  });

  it('waits the whole delay after an error the probe cannot judge (the camera answers but refuses us)', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const out = camera([unauthorized, unauthorized, unauthorized]).pipe(
        reconnectWithBackoff({
          ...reconnectBackoff({}),
          jitter: 0,
          scheduler,
          probe: () => of(true),
          probeAfter: (e) => e instanceof DecodeError && e.kind === 'unreachable',
        }),
      );
      expectObservable(out).toBe(`${500 + 1000 + 2000}ms (a|)`, { a: 'frame' });
    });
  });
});
