import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { readImage } from '@rxvision/decode';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { DetectorPool } from '../src/agent/detector-pool.js';
import { parseConfigText } from '../src/config/load.js';
import { createLogger } from '../src/ops/logger.js';

describe("a detector's labelmap_path (Frigate `model.labelmap_path`, DeepStream `labelfile-path`)", () => {
  it("names the classes, over the names in the model's own metadata", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-labels-'));
    const labels = join(dir, 'labels.txt');
    // COCO-80 as the darknet file writes it, with class 0 renamed: the model's metadata says `person`.
    const coco = readFileSync(sharedPath('images', 'darknet', 'coco.names'), 'utf8')
      .trim()
      .split('\n');
    writeFileSync(labels, ['human', ...coco.slice(1)].join('\n'));
    const model = sharedPath('models', 'yolov5s-coco-640.onnx');
    const config = parseConfigText(`detectors: { d: { model: ${model}, labelmap_path: ${labels} } }\n`);
    const detectorConfig = config.detectors.d;
    if (!detectorConfig) throw new Error('expected detector d');
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    const pool = new DetectorPool(createLogger({ level: 'error', stream: quiet }));
    const detector = await pool.get(detectorConfig);
    try {
      expect(detector.classNames[0]).toBe('human');
      expect(detector.classNames).toHaveLength(80);
      const frame = await readImage(sharedPath('images', 'darknet', 'person.jpg'), {
        modelInput: detector.inputSize,
      });
      const [result] = await detector.detectFrames([frame]);
      expect(result?.detections.map((d) => d.label)).toContain('human');
      expect(result?.detections.map((d) => d.label)).not.toContain('person');
    } finally {
      await detector.close();
    }
  }, 60_000);
});
