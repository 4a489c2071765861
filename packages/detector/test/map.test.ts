import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector } from '../src/index.js';
import { type EvalBox, meanAveragePrecision, parseYoloLabels } from './map.js';
import { readPhoto } from './photo.js';
import { referenceDetect } from './reference-yolo.js';

describe('mAP on coco8 (conf 0.001, NMS IoU 0.65)', () => {
  it('matches a straightforward reference implementation within 0.005 mAP@0.5:0.95', async () => {
    const dir = sharedPath('images', 'coco8');
    const images = readdirSync(join(dir, 'images'))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .map((f) => ({ name: f.replace(/\.jpg$/, ''), path: join(dir, 'images', f) }));
    const model = sharedPath('models', 'yolov5s-coco-640.onnx');
    const frames = await Promise.all(
      images.map((i) => readPhoto(i.path, { streamId: i.name, modelInput: 640 })),
    );
    const reference = await referenceDetect(
      model,
      frames.map((frame) => ({ name: frame.streamId, frame })),
      0.001,
      0.65,
    );
    const truths = frames.flatMap((f) =>
      parseYoloLabels(
        f.streamId,
        readFileSync(join(dir, 'labels', `${f.streamId}.txt`), 'utf8'),
        f.width,
        f.height,
      ),
    );
    expect(truths).toHaveLength(30);

    const detector = await createDetector({
      model,
      batch: { size: 4 },
      filters: { confidence: 0.001, iou: 0.65 },
    });
    let predictions: EvalBox[];
    try {
      const frames = await Promise.all(
        images.map((i) => readPhoto(i.path, { streamId: i.name, modelInput: 640 })),
      );
      const results = await detector.detectFrames(frames);
      predictions = results.flatMap((r) =>
        r.detections.map((d) => ({
          image: r.frame.streamId,
          classId: d.classId,
          score: d.score,
          bbox: [...d.bbox] as const,
        })),
      );
    } finally {
      await detector.close();
    }
    const ours = meanAveragePrecision(predictions, truths);
    const theirs = meanAveragePrecision(reference, truths);
    console.log(
      `coco8 yolov5s: detector mAP@0.5 ${ours.map50.toFixed(4)} mAP@0.5:0.95 ${ours.map.toFixed(4)}; ` +
        `reference mAP@0.5 ${theirs.map50.toFixed(4)} mAP@0.5:0.95 ${theirs.map.toFixed(4)}`,
    );
    expect(Math.abs(ours.map - theirs.map)).toBeLessThanOrEqual(0.005);
    // The shared README's reference scores 0.865 / 0.638 on the same photos.
    expect(ours.map50).toBeGreaterThan(0.75);
    expect(ours.map).toBeGreaterThan(0.5);
  });
});
