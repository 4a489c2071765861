import { type Frame, silentLogger } from '@rxvision/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, type DetectedFrame, type Detector } from '../src/index.js';
import { readPhoto } from './photo.js';

const PHOTOS = [
  'images/yolov7/bus.jpg',
  'images/yolov7/zidane.jpg',
  'images/yolov7/horses.jpg',
  'images/darknet/dog.jpg',
];

function expectSameDetections(
  actual: DetectedFrame,
  expected: DetectedFrame,
  tolerancePx: number,
  scoreTol: number,
) {
  expect(actual.detections.map((d) => d.classId)).toEqual(expected.detections.map((d) => d.classId));
  actual.detections.forEach((d, i) => {
    const want = expected.detections[i]!;
    for (const [k, v] of d.bbox.entries())
      expect(Math.abs(v - want.bbox[k]!)).toBeLessThanOrEqual(tolerancePx);
    expect(Math.abs(d.score - want.score)).toBeLessThanOrEqual(scoreTol);
  });
}

describe('every contract and batch size on the shared models', () => {
  let frames: Frame[];
  let grid: Detector;
  beforeAll(async () => {
    frames = await Promise.all(PHOTOS.map((p) => readPhoto(sharedPath(p), { modelInput: 640 })));
    grid = await createDetector({ model: sharedPath('models', 'yolov5s-coco-640.onnx'), batch: { size: 4 } });
  });
  afterAll(() => grid.close());

  it('gives the same detections from the grid model and the end-to-end (NMS in graph) model', async () => {
    // The end-to-end graph was exported with conf 0.35 and IoU 0.65: filter the grid model the same way.
    const end2end = await createDetector({ model: sharedPath('models', 'yolov5s-coco-640-end2end.onnx') });
    try {
      expect(end2end.contract).toMatchObject({ kind: 'end2end', batch: 1 });
      expect(end2end.batch.size).toBe(1);
      const filters = { confidence: 0.35, iou: 0.65, maxDetections: 100 };
      const fromGrid = await grid.detectFrames(frames, filters);
      const fromEnd2End = await end2end.detectFrames(frames, filters);
      expect(fromEnd2End.map((r) => r.frame)).toEqual(frames);
      for (const [i, r] of fromGrid.entries()) expectSameDetections(fromEnd2End[i]!, r, 0.5, 1e-3);
      expect(fromGrid[0]!.detections.some((d) => d.label === 'bus')).toBe(true);
    } finally {
      await end2end.close();
    }
  });

  it('gives a batch of 4 the same results as 4 single runs, and a fixed-batch-1 model the same again', async () => {
    const batched = await grid.detectFrames(frames);
    expect(grid.stats().batchSizes[4]).toBeGreaterThanOrEqual(1);
    const fixed = await createDetector({
      model: sharedPath('models', 'yolov5s-coco-640-b1.onnx'),
      batch: { size: 4 },
      logger: silentLogger,
    });
    try {
      expect(fixed.contract.batch).toBe(1);
      expect(fixed.batch.size).toBe(1);
      const singles = await fixed.detectFrames(frames);
      expect(fixed.stats().batchSizes).toEqual({ 1: 4 });
      for (const [i, r] of batched.entries()) expectSameDetections(singles[i]!, r, 0.05, 1e-4);
      expect(batched[3]!.detections[0]!.label).toBe('dog');
    } finally {
      await fixed.close();
    }
  });

  it('applies per-class thresholds, allow-list, minimum area, class-agnostic NMS and max detections', async () => {
    const bus = frames[0]!;
    const [all] = await grid.detectFrames([bus]);
    const [persons] = await grid.detectFrames([bus], { classes: ['person'] });
    expect(persons!.detections.length).toBe(all!.detections.filter((d) => d.label === 'person').length);
    expect(persons!.detections.every((d) => d.label === 'person')).toBe(true);
    const [strict] = await grid.detectFrames([bus], { classConfidence: { person: 0.8 } });
    expect(strict!.detections.filter((d) => d.label === 'person').every((d) => d.score >= 0.8)).toBe(true);
    expect(strict!.detections.some((d) => d.label === 'bus')).toBe(true);
    const area = (d: { bbox: readonly number[] }) => (d.bbox[2]! - d.bbox[0]!) * (d.bbox[3]! - d.bbox[1]!);
    const [big] = await grid.detectFrames([bus], { minArea: 100_000 });
    expect(big!.detections.length).toBeGreaterThan(0);
    expect(big!.detections.length).toBeLessThan(all!.detections.length);
    expect(big!.detections.every((d) => area(d) >= 100_000)).toBe(true);
    const [top2] = await grid.detectFrames([bus], { maxDetections: 2 });
    expect(top2!.detections).toEqual(all!.detections.slice(0, 2));
    const [loose] = await grid.detectFrames([bus], { confidence: 0.05, iou: 0.3 });
    const [agnostic] = await grid.detectFrames([bus], { confidence: 0.05, iou: 0.3, classAgnostic: true });
    expect(agnostic!.detections.length).toBeLessThan(loose!.detections.length);
    expect(() => grid.compileFilters({ classes: ['unicorn'] })).toThrow(/unknown class "unicorn"/);
  });

  it('runs the fp32 and fp16 YOLOv7-tiny graphs through the same path with matching outputs', async () => {
    const results: DetectedFrame[][] = [];
    for (const model of ['yolov7-tiny-640-untrained.onnx', 'yolov7-tiny-640-untrained-fp16.onnx']) {
      const detector = await createDetector({ model: sharedPath('models', model) });
      try {
        expect(detector.contract).toMatchObject({ kind: 'grid', batch: 'dynamic', numClasses: 80 });
        expect(detector.classNamesSource).toBe('coco80');
        results.push(await detector.detectFrames(frames.slice(0, 1)));
      } finally {
        await detector.close();
      }
    }
    const [fp32, fp16] = results as [DetectedFrame[], DetectedFrame[]];
    // Untrained weights: the boxes mean nothing, but both precisions must agree on them.
    expect(fp32[0]!.detections.length).toBeGreaterThan(0);
    const top = (r: DetectedFrame) => r.detections.slice(0, 3);
    expect(top(fp16[0]!).map((d) => d.classId)).toEqual(top(fp32[0]!).map((d) => d.classId));
    for (const [i, d] of top(fp16[0]!).entries())
      expect(Math.abs(d.score - top(fp32[0]!)[i]!.score)).toBeLessThan(0.02);
  });

  it('runs the untrained YOLOv7-tiny graph with dynamic batch 1, 4 and 8', async () => {
    const eight = [...frames, ...frames];
    for (const size of [1, 4, 8]) {
      const detector = await createDetector({
        model: sharedPath('models', 'yolov7-tiny-640-untrained.onnx'),
        batch: { size },
      });
      try {
        const results = await detector.detectFrames(eight.slice(0, size));
        expect(results.map((r) => r.frame)).toEqual(eight.slice(0, size));
        expect(detector.stats().batchSizes).toEqual({ [size]: 1 });
        // The same photo in slot 0 and slot 4 of a batch gives the same boxes.
        if (size === 8) expectSameDetections(results[4]!, results[0]!, 0.01, 1e-4);
      } finally {
        await detector.close();
      }
    }
  });
});
