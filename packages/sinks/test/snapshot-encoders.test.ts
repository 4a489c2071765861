import { resolveFfmpegPath } from '@rxvision/decode';
import { describe, expect, it } from 'vitest';
import { boundedJpeg, snapshotEncoders } from '../src/mqtt/snapshot.js';
import { TaskLimit } from '../src/mqtt/task-limit.js';

describe('TaskLimit', () => {
  it('runs at most `concurrency` tasks, in arrival order, and turns tasks away when the queue is full', async () => {
    const limit = new TaskLimit(2, 2);
    const finish = new Map<number, () => void>();
    const started: number[] = [];
    const task = (i: number) => () =>
      new Promise<number>((resolve) => {
        started.push(i);
        finish.set(i, () => resolve(i));
      });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const results = [1, 2, 3, 4, 5].map((i) => limit.run(task(i)));
    expect(started).toEqual([1, 2]);
    expect(limit.skipped).toBe(1);
    expect(await results[4]).toBeUndefined();
    finish.get(1)!();
    await settle();
    expect(started).toEqual([1, 2, 3]);
    finish.get(2)!();
    await settle();
    expect(started).toEqual([1, 2, 3, 4]);
    finish.get(3)!();
    finish.get(4)!();
    expect(await Promise.all(results.slice(0, 4))).toEqual([1, 2, 3, 4]);
    expect(limit.peak).toBe(2);
  });

  it('passes a failing task’s error to its caller and goes on with the next', async () => {
    const limit = new TaskLimit(1, 4);
    const failed = limit.run(() => Promise.reject(new Error('boom')));
    const next = limit.run(() => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });
});

describe('snapshot JPEGs from real FFmpeg under the process-wide encoder limit', () => {
  it('encodes a burst of 12 snapshots with at most two FFmpeg encoders at a time', async () => {
    const image = {
      width: 64,
      height: 48,
      format: 'rgb24' as const,
      data: new Uint8Array(64 * 48 * 3).fill(128),
    };
    const jpegs = await Promise.all(
      Array.from({ length: 12 }, () =>
        boundedJpeg(image, resolveFfmpegPath(), { maxBytes: 64 * 1024, quality: 70 }),
      ),
    );
    for (const jpeg of jpegs) {
      expect(Buffer.isBuffer(jpeg)).toBe(true);
      expect((jpeg as Buffer).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    }
    expect(snapshotEncoders.peak).toBe(2);
  });
});
