import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, letterbox, silentLogger } from '@rxvision/decode';
import { encodeOnnxModel, OnnxDataType, OnnxGraphBuilder, readOnnxMetadata } from '@rxvision/models';
import { afterAll, describe, expect, it } from 'vitest';
import { createDetector, INFERENCE_RUNTIMES, UnsupportedModelError } from '../src/index.js';

const { FLOAT, FLOAT16, INT32 } = OnnxDataType;

const dir = mkdtempSync(join(tmpdir(), 'rxv-detector-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A float16-in, float16-out "grid" model on a 32×32 input: every input value v becomes a row
 * `[v, v, v, v, v, v, …]` (cx = cy = w = h = obj = every class score = v), via Reshape + Expand.
 */
function fp16GridModel(): string {
  const path = join(dir, 'fp16-io-grid.onnx');
  const b = new OnnxGraphBuilder();
  const values = b.node('Reshape', ['images', b.int64s('column', [0, -1, 1])], 'values');
  b.node('Expand', [values, b.int64s('row', [1, 1, 7])], 'output');
  const model = b.model({
    inputs: [{ name: 'images', elemType: FLOAT16, dims: ['batch', 3, 32, 32] }],
    outputs: [{ name: 'output', elemType: FLOAT16, dims: ['batch', 3072, 7] }],
    metadata: { names: "{0: 'white', 1: 'grey'}" },
  });
  writeFileSync(path, encodeOnnxModel(model));
  return path;
}

/** 32×32 frame (the model's size, so no resampling blurs the edge): left half white, right half grey 114. */
function halfWhiteFrame(): Frame {
  const data = new Uint8Array(32 * 32 * 3).fill(114);
  for (let y = 0; y < 32; y++) data.fill(255, y * 32 * 3, y * 32 * 3 + 16 * 3);
  return { streamId: 'test', seq: 0, pts: 0, capturedAt: 0, width: 32, height: 32, format: 'rgb24', data };
}

/**
 * A raw-head model on a 32×32 input (export.py without --grid): three `[1, 3, H, W, 7]` logits
 * outputs, coarsest first, every value = the mean input value (ReduceMean → Reshape → Expand).
 */
function rawHeadModel(name: string): string {
  const path = join(dir, name);
  const cells = [1, 2, 4];
  const b = new OnnxGraphBuilder();
  const mean = b.node('ReduceMean', ['images'], 'mean');
  const logit = b.node('Reshape', [mean, b.int64s('scalar', [1, 1, 1, 1, 1])], 'logit');
  for (const n of cells) b.node('Expand', [logit, b.int64s(`shape${n}`, [1, 3, n, n, 7])], `head${n}`);
  const model = b.model({
    inputs: [{ name: 'images', elemType: FLOAT, dims: [1, 3, 32, 32] }],
    outputs: cells.map((n) => ({ name: `head${n}`, elemType: FLOAT, dims: [1, 3, n, n, 7] })),
  });
  writeFileSync(path, encodeOnnxModel(model));
  return path;
}

// Every contract through both inference runtimes: the detector above the backend is the same.
describe.each(INFERENCE_RUNTIMES)('models built in the test, run through %s', (runtime) => {
  it('decodes a raw-head model with the built-in anchors, finest head first', async () => {
    const white: Frame = {
      ...halfWhiteFrame(),
      data: new Uint8Array(32 * 32 * 3).fill(255),
    };
    const sigma = 1 / (1 + Math.exp(-1));
    // Logit 1 everywhere: score σ(1)²; the first candidate is stride 8, cell (0, 0), first anchor.
    const expectBox = (bbox: readonly number[], anchor: [number, number]) => {
      const xy = (2 * sigma - 0.5) * 8;
      const [w, h] = anchor.map((a) => (2 * sigma) ** 2 * a) as [number, number];
      const want = [Math.max(0, xy - w / 2), Math.max(0, xy - h / 2), xy + w / 2, xy + h / 2];
      for (const [i, v] of bbox.entries()) expect(v).toBeCloseTo(want[i]!, 3);
    };
    for (const [file, anchors, first] of [
      ['raw-heads-tiny.onnx', undefined, [10, 13]],
      ['raw-heads.onnx', undefined, [12, 16]],
      [
        'raw-heads-custom.onnx',
        [
          [20, 20, 1, 1, 1, 1],
          [1, 1, 1, 1, 1, 1],
          [1, 1, 1, 1, 1, 1],
        ],
        [20, 20],
      ],
    ] as const) {
      const detector = await createDetector({
        runtime,
        model: rawHeadModel(file),
        ...(anchors ? { anchors: anchors.map((a) => [...a]) } : {}),
        filters: { maxDetections: 1 },
        logger: silentLogger,
      });
      try {
        expect(detector.contract).toMatchObject({
          kind: 'raw-heads',
          heads: ['head4', 'head2', 'head1'],
          numClasses: 2,
        });
        const [result] = await detector.detectFrames([white]);
        expect(result!.detections).toHaveLength(1);
        expect(result!.detections[0]!.score).toBeCloseTo(sigma * sigma, 5);
        expectBox(result!.detections[0]!.bbox, [first[0], first[1]]);
      } finally {
        await detector.close();
      }
    }
  });

  it('runs a float16-input, float16-output model through the same path (table packing, fp16 decode)', async () => {
    const path = fp16GridModel();
    const detector = await createDetector({ runtime, model: path, inputSize: { width: 32, height: 32 } });
    try {
      expect(detector.contract).toMatchObject({
        kind: 'grid',
        inputType: 'float16',
        numClasses: 2,
        width: 32,
      });
      expect(detector.classNames).toEqual(['white', 'grey']);
      expect(detector.classNamesSource).toBe('model-metadata');
      const [result] = await detector.detectFrames([halfWhiteFrame()]);
      // White rows: a 1×1 box centred at (1, 1), score 1 × 1, class 0 (first of equal scores);
      // grey rows score (114/255)² ≈ 0.2 < 0.25.
      expect(result!.detections).toHaveLength(1);
      const [white] = result!.detections;
      expect(white).toMatchObject({ classId: 0, label: 'white', score: 1 });
      expect(white!.bbox).toEqual([0.5, 0.5, 1.5, 1.5]);
      const frame = halfWhiteFrame();
      const [viaModelInput] = await detector.detectFrames([
        {
          ...frame,
          modelInput: {
            width: 32,
            height: 32,
            format: 'rgb24',
            data: frame.data,
            letterbox: letterbox(32, 32, 32, 32),
          },
        },
      ]);
      expect(viaModelInput!.detections).toEqual(result!.detections);
      const [loose] = await detector.detectFrames([halfWhiteFrame()], { confidence: 0.15 });
      const grey = loose!.detections[1]!;
      expect(grey.score).toBeCloseTo((114 / 255) ** 2, 2);
      expect(grey.bbox[2] - grey.bbox[0]).toBeCloseTo(114 / 255, 2);
    } finally {
      await detector.close();
    }
  });

  it('reads the four EfficientNMS outputs: only num_dets rows, boxes mapped back to the source frame', async () => {
    // The TensorRT plugin does not run on the CPU provider: the outputs come from constants here.
    const path = join(dir, 'efficient-nms.onnx');
    const constants = [
      { name: 'num_dets', dims: [1, 1], data: Int32Array.from([2]) },
      {
        name: 'det_boxes',
        dims: [1, 3, 4],
        data: Float32Array.from([4, 8, 12, 16, 0, 0, 32, 32, 1, 1, 2, 2]),
      },
      { name: 'det_scores', dims: [1, 3], data: Float32Array.from([0.9, 0.6, 0.99]) },
      { name: 'det_classes', dims: [1, 3], data: Int32Array.from([1, 0, 1]) },
    ];
    const b = new OnnxGraphBuilder();
    for (const { name, dims, data } of constants)
      b.node('Identity', [b.initializer(`c_${name}`, dims, data)], name);
    const model = b.model({
      inputs: [{ name: 'images', elemType: FLOAT, dims: [1, 3, 32, 32] }],
      outputs: constants.map(({ name, dims, data }) => ({
        name,
        dims,
        elemType: data instanceof Int32Array ? INT32 : FLOAT,
      })),
    });
    writeFileSync(path, encodeOnnxModel(model));
    const detector = await createDetector({ runtime, model: path, classNames: ['cat', 'dog'] });
    try {
      expect(detector.contract.kind).toBe('efficient-nms');
      // A 64×48 frame letterboxed to 32×32: scale 0.5, 4 px of padding on top.
      const frame: Frame = { ...halfWhiteFrame(), width: 64, height: 48, data: new Uint8Array(64 * 48 * 3) };
      const [result] = await detector.detectFrames([frame]);
      expect(result!.detections).toEqual([
        { bbox: [8, 8, 24, 24], score: expect.closeTo(0.9, 5), classId: 1, label: 'dog' },
        { bbox: [0, 0, 64, 48], score: expect.closeTo(0.6, 5), classId: 0, label: 'cat' },
      ]);
      const [strict] = await detector.detectFrames([frame], { classConfidence: { cat: 0.7 } });
      expect(strict!.detections.map((d) => d.label)).toEqual(['dog']);
    } finally {
      await detector.close();
    }
  });

  it('reads metadata_props without parsing the graph', () => {
    const b = new OnnxGraphBuilder();
    b.node('Identity', ['x'], 'y');
    const model = encodeOnnxModel(
      b.model({
        inputs: [{ name: 'x', elemType: FLOAT, dims: [1] }],
        outputs: [{ name: 'y', elemType: FLOAT, dims: [1] }],
        metadata: { names: '["a"]', stride: '32' },
      }),
    );
    expect(Object.fromEntries(readOnnxMetadata(model))).toEqual({ names: '["a"]', stride: '32' });
  });

  it('refuses a model that is not a detector, naming the file and listing the contracts', async () => {
    const path = join(dir, 'identity.onnx');
    const b = new OnnxGraphBuilder();
    b.node('Identity', ['images'], 'features');
    const model = b.model({
      inputs: [{ name: 'images', elemType: FLOAT, dims: [1, 3, 8, 8] }],
      outputs: [{ name: 'features', elemType: FLOAT, dims: [1, 3, 8, 8] }],
    });
    writeFileSync(path, encodeOnnxModel(model));
    const attempt = createDetector({ runtime, model: path });
    await expect(attempt).rejects.toThrow(UnsupportedModelError);
    await expect(attempt).rejects.toThrow(
      /identity\.onnx: its outputs match no supported detection contract/,
    );
    await expect(attempt).rejects.toThrow(
      /features float32 \[1, 3, 8, 8\][\s\S]*Supported contracts:[\s\S]*raw-heads/,
    );
  });
});
