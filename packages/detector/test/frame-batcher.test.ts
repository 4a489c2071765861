import { map, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { FrameBatcher } from '../src/internal.js';

/** Virtual-time harness: `run` takes `inferMs` of virtual time and answers `<item>!` per item. */
function harness(size: number, maxWaitMs: number, inferMs: number, inFlight = 1) {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  const calls: { at: number; items: string[] }[] = [];
  const dropped: string[] = [];
  const results: Record<string, string | undefined> = {};
  const lanes = new Map<string, object>();
  const lane = (id: string) => lanes.get(id) ?? lanes.set(id, {}).get(id)!;
  const batcher = new FrameBatcher<string, string>(
    { size, maxWaitMs, inFlight },
    (items) => {
      calls.push({ at: scheduler.now(), items: [...items] });
      return timer(inferMs, scheduler).pipe(map(() => items.map((item) => `${item}!`)));
    },
    (item) => dropped.push(item),
    scheduler,
  );
  /** Submits `item` (lane = its first letter) at virtual time `at`. */
  const at = (ms: number, item: string) =>
    scheduler.schedule(() => {
      void batcher.submit(lane(item[0]!), item).then((r) => {
        results[item] = r;
      });
    }, ms);
  return { scheduler, batcher, calls, dropped, results, at };
}

describe('FrameBatcher (virtual time)', () => {
  it('runs a partial batch once the oldest frame has waited maxWaitMs (batched-push-timeout)', () => {
    const h = harness(3, 20, 10);
    h.at(0, 'a1');
    h.at(5, 'b1');
    h.scheduler.flush();
    expect(h.calls).toEqual([{ at: 20, items: ['a1', 'b1'] }]);
  });

  it('runs at once when batch.size frames are waiting', () => {
    const h = harness(3, 1000, 10);
    h.at(0, 'a1');
    h.at(1, 'b1');
    h.at(2, 'c1');
    h.at(3, 'a2');
    h.scheduler.flush();
    expect(h.calls).toEqual([
      { at: 2, items: ['a1', 'b1', 'c1'] },
      { at: 1003, items: ['a2'] },
    ]);
  });

  it('with maxWaitMs 0 runs what is there on the next tick', () => {
    const h = harness(4, 0, 10);
    h.at(0, 'a1');
    h.at(0, 'b1');
    h.at(3, 'c1');
    h.scheduler.flush();
    expect(h.calls).toEqual([
      { at: 0, items: ['a1', 'b1'] },
      { at: 10, items: ['c1'] },
    ]);
  });

  it('keeps only the newest frame per camera while busy and counts the drops', async () => {
    const h = harness(2, 5, 50);
    h.at(0, 'a1');
    h.at(0, 'b1');
    for (let t = 10; t < 50; t += 10) h.at(t, `a${t}`);
    h.at(20, 'b20');
    h.scheduler.flush();
    expect(h.calls).toEqual([
      { at: 0, items: ['a1', 'b1'] },
      // Both lanes waited more than maxWaitMs while busy: the next batch starts as soon as the first ends.
      { at: 50, items: ['a40', 'b20'] },
    ]);
    expect(h.dropped).toEqual(['a10', 'a20', 'a30']);
    await Promise.resolve();
    expect(h.results).toMatchObject({ a1: 'a1!', b1: 'b1!', a10: undefined, a40: 'a40!', b20: 'b20!' });
  });

  it('gives every camera its turn when there are more cameras than batch slots', () => {
    const h = harness(2, 0, 30);
    // Five cameras each send a frame every 10 ms; the detector takes 30 ms for 2 frames.
    for (let t = 0; t < 150; t += 10) for (const cam of 'abcde') h.at(t, `${cam}${t}`);
    h.scheduler.flush();
    const served = h.calls.flatMap((c) => c.items.map((item) => item[0]));
    const counts = [...'abcde'].map((cam) => served.filter((s) => s === cam).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(h.calls.every((c) => c.items.length === 2 || c.at >= 150)).toBe(true);
  });

  it('holds at most one waiting frame per camera however far behind the detector is', () => {
    const h = harness(1, 0, 1000);
    let maxPending = 0;
    for (let t = 0; t < 5000; t++) {
      h.at(t, `a${t}`);
      h.at(t, `b${t}`);
      h.scheduler.schedule(() => {
        maxPending = Math.max(maxPending, h.batcher.pending);
      }, t);
    }
    h.scheduler.flush();
    expect(maxPending).toBe(2);
    expect(h.dropped.length).toBeGreaterThan(9000);
  });

  it('starts the next batch when the previous one releases the detector, before its results are out', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const calls: number[] = [];
    const delivered: Record<string, string | undefined> = {};
    const batcher = new FrameBatcher<string, string>(
      { size: 1, maxWaitMs: 0 },
      (items, release) => {
        calls.push(scheduler.now());
        // Inference takes 30 ms, postprocessing another 20.
        timer(30, scheduler).subscribe(release);
        return timer(50, scheduler).pipe(map(() => items.map((i) => `${i}!`)));
      },
      () => {},
      scheduler,
    );
    for (const [at, item] of [
      [0, 'a'],
      [10, 'b'],
    ] as const)
      scheduler.schedule(() => {
        void batcher.submit({}, item).then((result) => {
          delivered[item] = result;
        });
      }, at);
    scheduler.flush();
    await Promise.resolve();
    expect(calls).toEqual([0, 30]);
    expect(delivered).toEqual({ a: 'a!', b: 'b!' });
  });

  it('resolves a cancelled camera frame as dropped and stops taking frames once closed', async () => {
    const h = harness(4, 100, 10);
    const lane = {};
    const pending = h.batcher.submit(lane, 'x');
    h.batcher.cancel(lane);
    await expect(pending).resolves.toBeUndefined();
    h.batcher.close();
    await expect(h.batcher.submit(lane, 'y')).rejects.toThrow(/closed/);
    h.scheduler.flush();
    expect(h.calls).toEqual([]);
  });

  describe('two in flight (batch.inFlight 2)', () => {
    it('starts the next full batch while one runs, and a third only when one ends', async () => {
      const h = harness(2, 0, 10, 2);
      for (const item of ['a1', 'b1', 'c1', 'd1', 'e1', 'f1']) h.at(0, item);
      h.scheduler.flush();
      expect(h.calls).toEqual([
        { at: 0, items: ['a1', 'b1'] },
        { at: 0, items: ['c1', 'd1'] },
        { at: 10, items: ['e1', 'f1'] },
      ]);
      await Promise.resolve();
      expect(h.results).toMatchObject({ a1: 'a1!', d1: 'd1!', f1: 'f1!' });
    });

    it('keeps newest-frame-wins per camera while both slots are busy', async () => {
      const h = harness(2, 0, 10, 2);
      for (const item of ['a1', 'b1', 'c1', 'd1']) h.at(0, item);
      h.at(2, 'a2');
      h.at(4, 'a3');
      h.at(6, 'a4');
      h.scheduler.flush();
      expect(h.calls).toEqual([
        { at: 0, items: ['a1', 'b1'] },
        { at: 0, items: ['c1', 'd1'] },
        { at: 10, items: ['a4'] },
      ]);
      expect(h.dropped).toEqual(['a2', 'a3']);
      await Promise.resolve();
      expect(h.results).toMatchObject({ a2: undefined, a3: undefined, a4: 'a4!' });
    });

    it('with a batching window, a partial batch takes the free slot once the oldest frame has waited', () => {
      const h = harness(3, 5, 20, 2);
      for (const item of ['a1', 'b1', 'c1']) h.at(0, item);
      h.at(1, 'd1');
      h.scheduler.flush();
      expect(h.calls).toEqual([
        { at: 0, items: ['a1', 'b1', 'c1'] },
        { at: 6, items: ['d1'] },
      ]);
    });
  });
});
