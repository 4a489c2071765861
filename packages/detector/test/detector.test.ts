import { readFileSync } from 'node:fs';
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, type DetectedFrame, type Detector, detect } from '../src/index.js';
import { type ReferenceLine, readPhoto } from './photo.js';

const reference = new Map(
  readFileSync(sharedPath('models', 'reference-detections.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ReferenceLine)
    .map((line) => [line.source.replace('../shared/', ''), line]),
);

function expectMatchesReference(result: DetectedFrame, photo: string, tolerancePx: number): void {
  const expected = reference.get(photo)!;
  expect(result.detections.map((d) => d.classId).sort()).toEqual(
    expected.detections.map((d) => d.classId).sort(),
  );
  for (const want of expected.detections) {
    const match = result.detections.find(
      (d) => d.classId === want.classId && d.bbox.every((v, i) => Math.abs(v - want.bbox[i]!) <= tolerancePx),
    );
    expect(match, `${photo}: ${want.label} at [${want.bbox.join(', ')}]`).toBeDefined();
    expect(Math.abs(match!.score - want.score)).toBeLessThan(0.05);
  }
}

describe('detector on the trained YOLOv5s grid model', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = await createDetector({
      model: sharedPath('models', 'yolov5s-coco-640.onnx'),
      batch: { size: 2 },
    });
  });
  afterAll(() => detector.close());

  it('recognises the grid contract with a dynamic batch and serves on the CPU', () => {
    expect(detector.contract).toMatchObject({ kind: 'grid', batch: 'dynamic', numClasses: 80, width: 640 });
    expect(detector.provider).toBe('cpu');
    expect(detector.classNames[5]).toBe('bus');
  });

  it('finds what the reference finds on bus.jpg and dog.jpg from the FFmpeg model input', async () => {
    const photos = ['images/yolov7/bus.jpg', 'images/darknet/dog.jpg'];
    const frames = await Promise.all(photos.map((p) => readPhoto(sharedPath(p), { modelInput: 640 })));
    const results = await detector.detectFrames(frames);
    const [bus, dog] = results as [DetectedFrame, DetectedFrame];
    expect(bus.detections.filter((d) => d.label === 'person').length).toBeGreaterThanOrEqual(3);
    expect(bus.detections.some((d) => d.label === 'bus')).toBe(true);
    expect(dog.detections[0]?.label).toBe('dog');
    expectMatchesReference(bus, photos[0]!, 6);
    expectMatchesReference(dog, photos[1]!, 6);
    expect(bus.frame).toBe(frames[0]);
  });

  it('letterboxes in JavaScript when a frame has no model input, to the same objects', async () => {
    const { modelInput: _, ...bus } = await readPhoto(sharedPath('images/yolov7/bus.jpg'), {
      modelInput: 640,
    });
    const [result] = await detector.detectFrames([bus]);
    expectMatchesReference(result!, 'images/yolov7/bus.jpg', 6);
  });

  it('runs a burst of camera frames through detect(): newest wins, order kept, drops counted', async () => {
    const dog = await readPhoto(sharedPath('images/darknet/dog.jpg'), { modelInput: 640 });
    const frames = [0, 1, 2].map((seq) => ({ ...dog, streamId: 'cam', seq }));
    const out = await lastValueFrom(from(frames).pipe(detect(detector), toArray()));
    // A synchronous burst: the newest frame wins while the detector is busy, older ones are dropped.
    expect(out.length).toBeGreaterThanOrEqual(1);
    expect(out.map((r) => r.frame.seq)).toEqual([...out.map((r) => r.frame.seq)].sort());
    expect(out.at(-1)!.frame.seq).toBe(2);
    expect(out.at(-1)!.detections.some((d) => d.label === 'dog')).toBe(true);
    const stats = detector.stats().cameras.cam!;
    expect(stats.framesIn).toBe(3);
    expect(stats.processed + stats.dropped).toBe(3);
  });
});
