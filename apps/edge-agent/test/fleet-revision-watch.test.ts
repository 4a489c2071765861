import { interval, map, take, takeUntil, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { RevisionWatch } from '../src/fleet/revision-watch.js';

describe('RevisionWatch (liveness from KV revisions on the local clock)', () => {
  it('calls a box dead one TTL after its heartbeat revision stopped changing (virtual time)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const watch = new RevisionWatch();
      let revisionA = 0;
      let revisionB = 0;
      // box-a heartbeats every second for 5 s and then dies; box-b keeps going. TTL 4 s.
      const beats = interval(1000).pipe(
        take(12),
        map((i) => {
          if (i < 5) revisionA += 1;
          revisionB += 1;
          const now = scheduler.now();
          watch.observe(
            new Map([
              ['box-a', revisionA],
              ['box-b', revisionB],
            ]),
            now,
          );
          return `${watch.stale('box-a', now, 4000) ? 'A' : 'a'}${watch.stale('box-b', now, 4000) ? 'B' : 'b'}`;
        }),
      );
      // box-a's last new revision is read at 5 s; at 9 s it has stood still 4 s, dead after that.
      expectObservable(beats).toBe(
        '1s v 999ms w 999ms w 999ms w 999ms w 999ms w 999ms w 999ms w 999ms w 999ms x 999ms x 999ms (x|)',
        {
          v: 'ab',
          w: 'ab',
          x: 'Ab',
        },
      );
    });
  });

  it('forgets everything after an outage, so nobody is dead the moment NATS returns', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const watch = new RevisionWatch();
      watch.observe(new Map([['box-a', 7]]), 0);
      const stop = timer(60_000);
      const check = timer(30_000, 1000).pipe(
        takeUntil(stop),
        map(() => {
          const now = scheduler.now();
          if (now === 30_000) watch.forget(); // the tick that failed
          watch.observe(new Map([['box-a', 7]]), now); // NATS back, the same old revision
          return watch.stale('box-a', now, 4000) ? 'dead' : 'alive';
        }),
        take(6),
      );
      expectObservable(check).toBe('30s a 999ms a 999ms a 999ms a 999ms a 999ms (d|)', {
        a: 'alive',
        d: 'dead',
      });
      expect(watch.wasSeen('box-a')).toBe(true);
    });
  });
});
