import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '@rxvision/decode';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, type DetectedFrame, type Detector } from '../src/index.js';
import { meanAveragePrecision, parseYoloLabels } from './map.js';
import { readPhoto } from './photo.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'rxvision-prefix-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** Every shared photo: coco8 (with labels) and the darknet and yolov7 sample photos. */
function photos(): { name: string; path: string }[] {
  const coco = sharedPath('images', 'coco8', 'images');
  const list = readdirSync(coco).map((f) => ({ name: `coco8/${f}`, path: join(coco, f) }));
  for (const dir of ['darknet', 'yolov7'])
    for (const f of readdirSync(sharedPath('images', dir)).filter((f) => f.endsWith('.jpg')))
      list.push({ name: `${dir}/${f}`, path: sharedPath('images', dir, f) });
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

async function detectWith(detector: Detector, frames: readonly Frame[]): Promise<DetectedFrame[]> {
  try {
    return await detector.detectFrames(frames);
  } finally {
    await detector.close();
  }
}

function expectSameDetections(ours: readonly DetectedFrame[], theirs: readonly DetectedFrame[]): void {
  expect(ours.map((r) => r.frame.streamId)).toEqual(theirs.map((r) => r.frame.streamId));
  ours.forEach((result, i) => {
    const expected = theirs[i]!.detections;
    expect(
      result.detections.map((d) => d.classId),
      result.frame.streamId,
    ).toEqual(expected.map((d) => d.classId));
    result.detections.forEach((d, k) => {
      const e = expected[k]!;
      expect(Math.abs(d.score - e.score)).toBeLessThan(1e-3);
      for (const [j, v] of d.bbox.entries()) expect(Math.abs(v - e.bbox[j]!)).toBeLessThan(1e-3);
    });
  });
}

describe.each([
  ['yolov5s-coco-640.onnx', 'fp32, trained'],
  ['yolov7-tiny-640-untrained-fp16.onnx', 'fp16 compute'],
])('the wrapped uint8 model (%s, %s) against the original float model', (file) => {
  const model = sharedPath('models', file);

  it('detects the same boxes on every shared photo at confidence 0.001, so coco8 has the same mAP', async () => {
    const list = photos();
    const frames = await Promise.all(
      list.map((p) => readPhoto(p.path, { streamId: p.name, modelInput: 640 })),
    );
    const options = {
      model,
      batch: { size: 4 },
      filters: { confidence: 0.001, iou: 0.65 },
      modelCacheDir: cacheDir,
    };
    const wrapped = await createDetector(options);
    expect(wrapped.inputPrefix?.prefilter).toBe(true);
    const ours = await detectWith(wrapped, frames);
    const original = await createDetector({ ...options, inputPrefix: false });
    expect(original.inputPrefix).toBeUndefined();
    const theirs = await detectWith(original, frames);
    expect(theirs.some((r) => r.detections.length > 0)).toBe(true);
    expectSameDetections(ours, theirs);

    const dir = sharedPath('images', 'coco8');
    const coco = (results: readonly DetectedFrame[]) =>
      results.filter((r) => r.frame.streamId.startsWith('coco8/'));
    const truths = coco(theirs).flatMap((r) =>
      parseYoloLabels(
        r.frame.streamId,
        readFileSync(join(dir, 'labels', r.frame.streamId.replace(/^coco8\/(.*)\.jpg$/, '$1.txt')), 'utf8'),
        r.frame.width,
        r.frame.height,
      ),
    );
    const boxes = (results: readonly DetectedFrame[]) =>
      coco(results).flatMap((r) =>
        r.detections.map((d) => ({
          image: r.frame.streamId,
          classId: d.classId,
          score: d.score,
          bbox: [...d.bbox] as const,
        })),
      );
    const ourMap = meanAveragePrecision(boxes(ours), truths);
    const theirMap = meanAveragePrecision(boxes(theirs), truths);
    expect(ourMap.map).toBeCloseTo(theirMap.map, 6);
    expect(ourMap.map50).toBeCloseTo(theirMap.map50, 6);
  }, 600_000);

  it('letterboxes a frame without an FFmpeg model input in JavaScript to the same bytes either way', async () => {
    const frames = [await readPhoto(sharedPath('images', 'yolov7', 'zidane.jpg'), { streamId: 'zidane' })];
    const options = { model, filters: { confidence: 0.05 }, modelCacheDir: cacheDir };
    const ours = await detectWith(await createDetector(options), frames);
    const theirs = await detectWith(await createDetector({ ...options, inputPrefix: false }), frames);
    expectSameDetections(ours, theirs);
  }, 300_000);
});

describe('the input prefix on other contracts', () => {
  it('wraps an end-to-end NMS model without a pre-filter and finds the same boxes', async () => {
    const model = sharedPath('models', 'yolov5s-coco-640-end2end.onnx');
    const frames = [
      await readPhoto(sharedPath('images', 'yolov7', 'bus.jpg'), { streamId: 'bus', modelInput: 640 }),
    ];
    const wrapped = await createDetector({ model, modelCacheDir: cacheDir });
    expect(wrapped.inputPrefix).toEqual({ path: expect.stringContaining(cacheDir), prefilter: false });
    const ours = await detectWith(wrapped, frames);
    const theirs = await detectWith(await createDetector({ model, inputPrefix: false }), frames);
    expect(ours[0]!.detections.length).toBeGreaterThan(0);
    expectSameDetections(ours, theirs);
  }, 300_000);
});
