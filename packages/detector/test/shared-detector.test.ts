import { type Frame, silentLogger } from '@rxvision/decode';
import { concatMap, lastValueFrom, merge, of, timer, toArray } from 'rxjs';
import { map } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, type Detector, detect } from '../src/index.js';
import { readPhoto } from './photo.js';

const CAMERAS = {
  front: 'images/yolov7/bus.jpg',
  yard: 'images/darknet/dog.jpg',
  paddock: 'images/yolov7/horses.jpg',
} as const;
const EXPECTED = { front: 'bus', yard: 'dog', paddock: 'horse' } as const;

describe('one detector shared by three cameras (real model, real time)', () => {
  let detector: Detector;
  const warnings: string[] = [];
  let photos: Record<string, Frame>;
  beforeAll(async () => {
    detector = await createDetector({
      model: sharedPath('models', 'yolov5s-coco-640.onnx'),
      providers: ['cuda', { name: 'tensorrt', deviceId: 0 }, { name: 'cpu', threads: 2 }],
      batch: { size: 3, maxWaitMs: 500 },
      logger: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    photos = Object.fromEntries(
      await Promise.all(
        Object.entries(CAMERAS).map(async ([id, p]) => [
          id,
          await readPhoto(sharedPath(p), { modelInput: 640 }),
        ]),
      ),
    );
  });
  afterAll(() => detector.close());

  it('skips providers that cannot load, with a warning saying why, and names the one serving', () => {
    expect(detector.provider).toBe('cpu');
    expect(detector.stats().provider).toBe('cpu');
    expect(warnings.find((w) => w.includes('provider cuda skipped'))).toMatch(/cuda skipped: .+/);
    expect(warnings.some((w) => w.includes('provider tensorrt skipped'))).toBe(true);
  });

  it('batches frames of all cameras into one call and routes each result back to its camera', async () => {
    const camera = (id: keyof typeof CAMERAS, startMs: number) =>
      timer(startMs).pipe(
        concatMap(() => of(0, 1)),
        // Each camera sends its second frame well after the first batch has finished.
        concatMap((seq) => (seq === 0 ? of(seq) : timer(2500).pipe(map(() => seq)))),
        map((seq): Frame => ({ ...photos[id]!, streamId: id, seq })),
        detect(detector),
      );
    const results = await lastValueFrom(
      merge(camera('front', 0), camera('yard', 50), camera('paddock', 100)).pipe(toArray()),
    );
    expect(results).toHaveLength(6);
    for (const result of results) {
      const id = result.frame.streamId as keyof typeof CAMERAS;
      expect(
        result.detections.some((d) => d.label === EXPECTED[id]),
        `${id} sees a ${EXPECTED[id]}`,
      ).toBe(true);
    }
    const stats = detector.stats();
    // The three first frames arrive within the 500 ms window: one batch of 3.
    expect(stats.batchSizes[3]).toBeGreaterThanOrEqual(1);
    for (const id of Object.keys(CAMERAS))
      expect(stats.cameras[id]).toEqual({ framesIn: 2, processed: 2, dropped: 0 });
    expect(stats.inferenceMs.total).toBeGreaterThan(0);
  });

  it('fails with every reason when no provider in the list can load', async () => {
    await expect(
      createDetector({
        model: sharedPath('models', 'yolov5s-coco-640-b1.onnx'),
        providers: ['cuda'],
        logger: silentLogger,
      }),
    ).rejects.toThrow(/no execution provider could load the model:\n {2}- cuda: .+\nAdd 'cpu'/);
  });

  it('refuses an unknown provider or provider option before loading anything', async () => {
    const model = sharedPath('models', 'yolov5s-coco-640-b1.onnx');
    await expect(
      createDetector({ model, providers: [{ name: 'cuda', device_id: 1 } as never] }),
    ).rejects.toThrow(/execution provider cuda: unknown option "device_id"; it takes deviceId/);
    await expect(createDetector({ model, providers: ['tpu' as never] })).rejects.toThrow(
      /unknown execution provider "tpu"/,
    );
  });

  it('names the file when the model cannot be read', async () => {
    await expect(createDetector({ model: '/nonexistent/model.onnx' })).rejects.toThrow(
      /cannot read model \/nonexistent\/model\.onnx/,
    );
  });
});
