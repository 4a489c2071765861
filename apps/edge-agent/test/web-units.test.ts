import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { CameraStats } from '../src/agent/camera-stats.js';
import { SAMPLE_PERIOD_MS, SAMPLES_KEPT, StatsHistory } from '../src/ops/web/stats-history.js';
import { areaYaml, inArrow } from '../web/src/area-yaml.js';

const stats = (id: string, fps: number): CameraStats =>
  ({ id, url: '', state: 'online', fps, inferenceMs: 12.34, objects: 2 }) as CameraStats;

describe('the stats history ring (virtual time)', () => {
  it('samples every 10 s, keeps the last hour, and forgets a removed camera', () => {
    {
      // Flushed by hand: each flush runs the virtual clock up to `maxFrames` ms.
      const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
      let cameras = [stats('a', 1), stats('b', 2)];
      const history = new StatsHistory(() => cameras, scheduler);
      history.start();
      scheduler.flush();
      expect(history.samples('a')).toEqual([{ t: 0, fps: 1, inferenceMs: 12.3, objects: 2 }]);
      scheduler.maxFrames = SAMPLE_PERIOD_MS * (SAMPLES_KEPT + 50);
      scheduler.flush();
      const a = history.samples('a');
      expect(a).toHaveLength(SAMPLES_KEPT);
      expect((a.at(-1)?.t ?? 0) - (a[0]?.t ?? 0)).toBe(((SAMPLES_KEPT - 1) * SAMPLE_PERIOD_MS) / 1000);
      cameras = [stats('a', 1)];
      scheduler.maxFrames += SAMPLE_PERIOD_MS;
      scheduler.flush();
      expect(history.samples('b')).toEqual([]);
      history.stop();
    }
  });
});

describe('the editor’s YAML and line arrow', () => {
  const frame = { width: 800, height: 400 };
  const points = [
    [10.4, 20.6],
    [400, 20],
    [400, 200],
  ] as const;

  it('writes whole pixels, or fractions of the frame', () => {
    expect(areaYaml('hall', { kind: 'zone', name: 'door', points }, 'pixels', frame)).toBe(
      'cameras:\n  hall:\n    zones:\n      door:\n        coordinates: 10,21,400,20,400,200',
    );
    expect(
      areaYaml('hall', { kind: 'line', name: 'gate', points: points.slice(0, 2) }, 'fractions', frame),
    ).toBe('cameras:\n  hall:\n    lines:\n      gate:\n        coordinates: 0.013,0.052,0.5,0.05');
  });

  it('points the in arrow to the right of from→to (y down), the side the tracker counts as in', () => {
    // A line drawn left to right: its right, on an image with y down, is below it.
    expect(inArrow([0, 100], [200, 100], 30)).toEqual({ tail: [100, 70], head: [100, 130] });
  });
});
