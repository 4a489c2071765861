import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@rxvision/decode';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, type InferenceRuntime } from '../src/index.js';
import { type EvalBox, meanAveragePrecision, parseYoloLabels } from './map.js';
import { readPhoto } from './photo.js';

describe('coco8 mAP on runtime onnxruntime-capi (conf 0.001, NMS IoU 0.65)', () => {
  it('equals the default runtime’s mAP on the trained YOLOv5s', async () => {
    const dir = sharedPath('images', 'coco8');
    const names = readdirSync(join(dir, 'images'))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .map((f) => f.replace(/\.jpg$/, ''));
    const frames = await Promise.all(
      names.map((n) => readPhoto(join(dir, 'images', `${n}.jpg`), { streamId: n, modelInput: 640 })),
    );
    const truths = frames.flatMap((f) =>
      parseYoloLabels(
        f.streamId,
        readFileSync(join(dir, 'labels', `${f.streamId}.txt`), 'utf8'),
        f.width,
        f.height,
      ),
    );
    const score = async (runtime: InferenceRuntime) => {
      const detector = await createDetector({
        model: sharedPath('models', 'yolov5s-coco-640.onnx'),
        runtime,
        batch: { size: 4 },
        filters: { confidence: 0.001, iou: 0.65 },
        logger: silentLogger,
      });
      try {
        const predictions: EvalBox[] = (await detector.detectFrames(frames)).flatMap((r) =>
          r.detections.map((d) => ({
            image: r.frame.streamId,
            classId: d.classId,
            score: d.score,
            bbox: [...d.bbox] as const,
          })),
        );
        return meanAveragePrecision(predictions, truths);
      } finally {
        await detector.close();
      }
    };
    const node = await score('onnxruntime-node');
    const capi = await score('onnxruntime-capi');
    console.log(
      `coco8 yolov5s mAP@0.5 / mAP@0.5:0.95: onnxruntime-node ${node.map50.toFixed(4)} / ${node.map.toFixed(4)}, onnxruntime-capi ${capi.map50.toFixed(4)} / ${capi.map.toFixed(4)}`,
    );
    expect(capi.map).toBe(node.map);
    expect(capi.map50).toBe(node.map50);
    expect(capi.map50).toBeGreaterThan(0.75);
  });
});
