import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector } from '../src/index.js';
import { readPhoto } from './photo.js';

const model = sharedPath('models', 'yolov5s-coco-640.onnx');

describe('two batches in flight (batch.inFlight 2) on a real model', () => {
  it('gives the same detections as one at a time, every batch of detectFrames queued at once', async () => {
    const dir = sharedPath('images', 'coco8', 'images');
    const frames = await Promise.all(
      readdirSync(dir)
        .sort()
        .map((f) => readPhoto(join(dir, f), { streamId: f, modelInput: 640 })),
    );
    const results = [];
    for (const inFlight of [1, 2]) {
      const detector = await createDetector({ model, batch: { size: 2, inFlight } });
      try {
        expect(detector.batch.inFlight).toBe(inFlight);
        results.push(await detector.detectFrames(frames));
      } finally {
        await detector.close();
      }
    }
    const [one, two] = results;
    expect(two!.map((r) => r.frame.streamId)).toEqual(one!.map((r) => r.frame.streamId));
    expect(two!.map((r) => r.detections)).toEqual(one!.map((r) => r.detections));
    expect(one!.some((r) => r.detections.length > 0)).toBe(true);
  }, 300_000);

  it('runs two frames of a camera at once and keeps only its newest waiting frame beyond that', async () => {
    const frame = await readPhoto(sharedPath('images', 'yolov7', 'bus.jpg'), {
      streamId: 'cam',
      modelInput: 640,
    });
    const detector = await createDetector({ model, batch: { size: 1, inFlight: 2 } });
    try {
      const lane = {};
      const filters = detector.compileFilters();
      const submitted = [1, 2, 3, 4].map((seq) => detector.submit(lane, { ...frame, seq }, filters));
      const answers = await Promise.all(submitted);
      expect(answers.map((a) => a?.frame.seq)).toEqual([1, 2, undefined, 4]);
      expect(answers[3]!.detections).toEqual(answers[0]!.detections);
      expect(detector.stats().cameras.cam).toMatchObject({ processed: 3, dropped: 1 });
    } finally {
      await detector.close();
    }
  }, 300_000);
});
