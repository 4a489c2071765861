import { createDetector } from '@rxvision/detector';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { measureCapacity } from '../src/fleet/capacity.js';

describe('measureCapacity (the default fleet.capacity)', () => {
  it('measures images/s of a real model in full batches', async () => {
    const detector = await createDetector({
      model: sharedPath('models', 'yolov7-tiny-640-untrained.onnx'),
      batch: { size: 2, maxWaitMs: 5 },
    });
    try {
      const before = detector.stats();
      const capacity = await measureCapacity(detector, 500);
      const after = detector.stats();
      expect(capacity).toBeGreaterThan(0);
      expect(Number.isFinite(capacity)).toBe(true);
      // It really ran the model, in full batches of two (the warm-up batch and at least one timed).
      const batches = after.batches - before.batches;
      expect(batches).toBeGreaterThanOrEqual(2);
      expect(after.batchSizes[2]).toBe(batches);
    } finally {
      await detector.close();
    }
  }, 60_000);
});
