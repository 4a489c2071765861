import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, silentLogger } from '@rxvision/decode';
import {
  encodeOnnxModel,
  OnnxDataType,
  OnnxGraphBuilder,
  type OnnxValueInfo,
  ProtobufWriter,
} from '@rxvision/models';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, TensorRtOnlyModelError, UnsupportedModelError } from '../src/index.js';
import { tensorRtPluginNodes, YOLOV7_W6_ANCHORS } from '../src/internal.js';

const { FLOAT } = OnnxDataType;
const dir = mkdtempSync(join(tmpdir(), 'rxv-export-contracts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sigma = 1 / (1 + Math.exp(-1));

/** A white frame of the model's own size (no letterbox scaling or padding). */
function whiteFrame(width: number, height: number): Frame {
  const data = new Uint8Array(width * height * 3).fill(255);
  return { streamId: 'test', seq: 0, pts: 0, capturedAt: 0, width, height, format: 'rgb24', data };
}

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/**
 * Raw heads whose every logit is the mean pixel of its cell's channel (AveragePool with kernel =
 * stride, then Expand to 5+2 values), so a white frame gives logit 1 everywhere at any input size.
 * `strides` are listed in the graph's output order.
 */
function rawHeads(
  b: OnnxGraphBuilder,
  strides: readonly number[],
  dims: (stride: number) => (number | string)[],
): OnnxValueInfo[] {
  return strides.map((s) => {
    const pooled = b.node('AveragePool', ['images'], `pool${s}`, { kernel_shape: [s, s], strides: [s, s] });
    const cells = b.node('Reshape', [pooled, b.int64s(`cells${s}`, [0, 0, 0, 0, 1])], `cells${s}`);
    const head = b.node('Expand', [cells, b.int64s(`row${s}`, [1, 1, 1, 1, 7])], `head${s}`);
    return { name: head, elemType: FLOAT, dims: dims(s) };
  });
}

/** The box a logit-1 cell (0, 0) of stride `stride` gives with anchor `[w, h]`, clipped at 0 as the detector clips. */
function expectBox(bbox: readonly number[], stride: number, [w, h]: readonly [number, number]): void {
  const xy = (2 * sigma - 0.5) * stride;
  const [bw, bh] = [w, h].map((a) => (2 * sigma) ** 2 * a) as [number, number];
  const want = [Math.max(0, xy - bw / 2), Math.max(0, xy - bh / 2), xy + bw / 2, xy + bh / 2];
  for (const [i, v] of bbox.entries()) expect(v).toBeCloseTo(want[i]!, 3);
}

describe('TensorRT EfficientNMS export (export.py --end2end without --max-wh)', () => {
  /**
   * The real graph's tail: one `TRT::EfficientNMS_TRT` node making the four outputs. The builder
   * writes the default domain only, so the node and the `TRT` opset are appended as a second
   * `graph`/`opset_import` field, which protobuf merges into the first.
   */
  function efficientNmsTrtModel(): string {
    const b = new OnnxGraphBuilder();
    b.node('ReduceMean', ['images'], 'pooled');
    const base = encodeOnnxModel(
      b.model({
        inputs: [{ name: 'images', elemType: FLOAT, dims: [1, 3, 32, 32] }],
        outputs: [
          { name: 'num_dets', elemType: OnnxDataType.INT32, dims: [1, 1] },
          { name: 'det_boxes', elemType: FLOAT, dims: [1, 100, 4] },
          { name: 'det_scores', elemType: FLOAT, dims: [1, 100] },
          { name: 'det_classes', elemType: OnnxDataType.INT32, dims: [1, 100] },
        ],
      }),
    );
    const tail = new ProtobufWriter()
      .message(8, (o) => o.string(1, 'TRT').varint(2, 1))
      .message(7, (g) =>
        g.message(1, (n) => {
          n.string(1, 'pooled');
          for (const out of ['num_dets', 'det_boxes', 'det_scores', 'det_classes']) n.string(2, out);
          n.string(3, 'batched_nms').string(4, 'EfficientNMS_TRT').string(7, 'TRT');
        }),
      )
      .finish();
    return save('yolov7-end2end-trt.onnx', Uint8Array.from([...base, ...tail]));
  }

  it('finds the plugin node in the graph', () => {
    const path = efficientNmsTrtModel();
    const bytes = new Uint8Array(readFileSync(path));
    expect(tensorRtPluginNodes(bytes)).toEqual([{ opType: 'EfficientNMS_TRT', domain: 'TRT' }]);
  });

  it("finds none in the shared models, whose end-to-end export uses onnxruntime's own NMS (--max-wh 640)", () => {
    for (const name of ['yolov5s-coco-640-end2end.onnx', 'yolov7-tiny-640-untrained.onnx'])
      expect(tensorRtPluginNodes(new Uint8Array(readFileSync(sharedPath('models', name))))).toEqual([]);
  });

  it('refuses it on a provider list without TensorRT before opening a session, saying how to export for onnxruntime', async () => {
    const attempt = createDetector({
      model: efficientNmsTrtModel(),
      providers: ['cpu'],
      logger: silentLogger,
    });
    await expect(attempt).rejects.toThrow(TensorRtOnlyModelError);
    await expect(attempt).rejects.toThrow(
      /TRT::EfficientNMS_TRT, a TensorRT plugin that only the tensorrt provider runs/,
    );
    await expect(attempt).rejects.toThrow(/--grid --end2end --max-wh 640/);
    await expect(attempt).rejects.toThrow(/`--grid` alone/);
  });

  it('explains the failure in the same words when TensorRT is listed but does not load (no GPU here)', async () => {
    const attempt = createDetector({
      model: efficientNmsTrtModel(),
      providers: ['tensorrt', 'cpu'],
      inferenceThread: 'main',
      logger: silentLogger,
    });
    await expect(attempt).rejects.toThrow(TensorRtOnlyModelError);
    await expect(attempt).rejects.toThrow(/and the model did not load: [\s\S]*--max-wh 640/);
  });
});

describe('raw-head P6 models (YOLOv7-w6/e6/d6/e6e: four heads, strides 8-64)', () => {
  function p6Model(metadata?: Record<string, string>): string {
    const b = new OnnxGraphBuilder();
    // Coarsest first in the graph: the detector must order the heads itself.
    const outputs = rawHeads(b, [64, 32, 16, 8], (s) => [1, 3, 128 / s, 128 / s, 7]);
    const model = b.model({
      inputs: [{ name: 'images', elemType: FLOAT, dims: [1, 3, 128, 128] }],
      outputs,
      ...(metadata ? { metadata } : {}),
    });
    return save(`p6-${metadata ? 'meta' : 'plain'}.onnx`, encodeOnnxModel(model));
  }

  it('decodes four heads with the yolov7-w6 anchors by default, finest head first', async () => {
    const detector = await createDetector({
      model: p6Model(),
      filters: { maxDetections: 1 },
      logger: silentLogger,
    });
    try {
      expect(detector.contract).toMatchObject({
        kind: 'raw-heads',
        heads: ['head8', 'head16', 'head32', 'head64'],
        numClasses: 2,
      });
      const [result] = await detector.detectFrames([whiteFrame(128, 128)]);
      expect(result!.detections[0]!.score).toBeCloseTo(sigma * sigma, 5);
      expectBox(result!.detections[0]!.bbox, 8, [19, 27]);
      expect(YOLOV7_W6_ANCHORS[3]).toEqual([436, 615, 739, 380, 925, 792]);
    } finally {
      await detector.close();
    }
  });

  it("refuses a P5 anchor set for four heads, naming 'yolov7-w6'", async () => {
    await expect(
      createDetector({ model: p6Model(), anchors: 'yolov7', logger: silentLogger }),
    ).rejects.toThrow(
      /4 raw heads but the anchors \(yolov7\) have 3 sets; give 4 anchor lists or 'yolov7-w6'/,
    );
  });

  it("takes the anchors from the model's metadata, the anchors option over them", async () => {
    const anchors = '[[40,20, 1,1, 1,1], [1,1, 1,1, 1,1], [1,1, 1,1, 1,1], [1,1, 1,1, 1,1]]';
    const path = p6Model({ anchors });
    const fromMetadata = await createDetector({
      model: path,
      filters: { maxDetections: 1 },
      logger: silentLogger,
    });
    try {
      expect(fromMetadata.contract).toMatchObject({ anchors: JSON.parse(anchors) });
      const [result] = await fromMetadata.detectFrames([whiteFrame(128, 128)]);
      expectBox(result!.detections[0]!.bbox, 8, [40, 20]);
    } finally {
      await fromMetadata.close();
    }
    const overridden = await createDetector({
      model: path,
      anchors: 'yolov7-w6',
      filters: { maxDetections: 1 },
      logger: silentLogger,
    });
    try {
      const [result] = await overridden.detectFrames([whiteFrame(128, 128)]);
      expectBox(result!.detections[0]!.bbox, 8, [19, 27]);
    } finally {
      await overridden.close();
    }
  });

  it('refuses anchors metadata that does not fit the heads, quoting the key and the accepted form', async () => {
    await expect(
      createDetector({ model: p6Model({ anchors: '10,13, 16,30, 33,23' }), logger: silentLogger }),
    ).rejects.toThrow(/metadata "anchors" = "10,13, 16,30, 33,23" has 6 numbers, not 24; expected 4 lists/);
  });
});

describe('dynamic input height/width (export.py --dynamic)', () => {
  it('decodes raw heads at a configured non-square size, stride from the run-time grid', async () => {
    const b = new OnnxGraphBuilder();
    const outputs = rawHeads(b, [8, 16, 32], (s) => ['batch', 3, `h${s}`, `w${s}`, 7]);
    const path = save(
      'raw-heads-dynamic.onnx',
      encodeOnnxModel(
        b.model({
          inputs: [{ name: 'images', elemType: FLOAT, dims: ['batch', 3, 'height', 'width'] }],
          outputs,
        }),
      ),
    );
    const detector = await createDetector({
      model: path,
      inputSize: { width: 96, height: 64 },
      filters: { maxDetections: 1 },
      logger: silentLogger,
    });
    try {
      expect(detector.contract).toMatchObject({
        kind: 'raw-heads',
        dynamicSize: true,
        width: 96,
        height: 64,
      });
      expect(detector.inputSize).toEqual({ width: 96, height: 64 });
      const [result] = await detector.detectFrames([whiteFrame(96, 64)]);
      expectBox(result!.detections[0]!.bbox, 8, [12, 16]);
    } finally {
      await detector.close();
    }
  });

  it('runs a grid model at a configured non-square size', async () => {
    const b = new OnnxGraphBuilder();
    // Every input value v becomes a row [v × 7]: at 64×32, 3×64×32 rows.
    const values = b.node('Reshape', ['images', b.int64s('column', [0, -1, 1])], 'values');
    b.node('Expand', [values, b.int64s('row', [1, 1, 7])], 'output');
    const path = save(
      'grid-dynamic-run.onnx',
      encodeOnnxModel(
        b.model({
          inputs: [{ name: 'images', elemType: FLOAT, dims: ['batch', 3, 'height', 'width'] }],
          outputs: [{ name: 'output', elemType: FLOAT, dims: ['batch', 'rows', 7] }],
        }),
      ),
    );
    const detector = await createDetector({
      model: path,
      inputSize: { width: 64, height: 32 },
      filters: { maxDetections: 1 },
      logger: silentLogger,
    });
    try {
      expect(detector.contract).toMatchObject({ kind: 'grid', dynamicSize: true, width: 64, height: 32 });
      const [result] = await detector.detectFrames([whiteFrame(64, 32)]);
      expect(result!.detections).toEqual([
        { bbox: [0.5, 0.5, 1.5, 1.5], score: expect.closeTo(1, 5), classId: 0, label: 'person' },
      ]);
    } finally {
      await detector.close();
    }
  });

  it('refuses a configured size that is not a multiple of the largest stride, suggesting one', async () => {
    const b = new OnnxGraphBuilder();
    b.node('Reshape', ['images', b.int64s('rows', [0, -1, 7])], 'output');
    const path = save(
      'grid-dynamic.onnx',
      encodeOnnxModel(
        b.model({
          inputs: [{ name: 'images', elemType: FLOAT, dims: ['batch', 3, 'height', 'width'] }],
          outputs: [{ name: 'output', elemType: FLOAT, dims: ['batch', 'rows', 7] }],
        }),
      ),
    );
    const attempt = createDetector({
      model: path,
      inputSize: { width: 100, height: 64 },
      logger: silentLogger,
    });
    await expect(attempt).rejects.toThrow(UnsupportedModelError);
    await expect(attempt).rejects.toThrow(
      /input size 100x64 is not a multiple of its largest stride 32; use e\.g\. 96x64/,
    );
  });
});

describe('DeepStream-Yolo exports (marcoslucianops/DeepStream-Yolo utils/export_yoloV7.py)', () => {
  const rows = [
    [10, 10, 30, 30, 0.9, 0],
    [11, 11, 31, 31, 0.8, 0], // overlaps the first: NMS drops it (DeepStream clusters the same way)
    [40, 40, 60, 50, 0.7, 1],
    [0, 0, 64, 64, 0.1, 1], // under the confidence threshold
  ];

  /** `constants` as outputs of a graph over a 64×64 input named "input" (the exporter's name). */
  function constantsModel(
    name: string,
    constants: { name: string; dims: number[]; data: number[] }[],
  ): string {
    const b = new OnnxGraphBuilder();
    b.node('ReduceMean', ['input'], 'unused');
    for (const c of constants)
      b.node('Identity', [b.initializer(`c_${c.name}`, c.dims, Float32Array.from(c.data))], c.name);
    const model = b.model({
      inputs: [{ name: 'input', elemType: FLOAT, dims: [1, 3, 64, 64] }],
      outputs: constants.map((c) => ({ name: c.name, elemType: FLOAT, dims: c.dims })),
    });
    return save(name, encodeOnnxModel(model));
  }

  const expected = [
    { bbox: [10, 10, 30, 30], score: expect.closeTo(0.9, 5), classId: 0, label: 'person' },
    { bbox: [40, 40, 60, 50], score: expect.closeTo(0.7, 5), classId: 1, label: 'bicycle' },
  ];

  it('decodes the current single output [b, N, 6] = x1, y1, x2, y2, score, class, with NMS after', async () => {
    const path = constantsModel('deepstream-yolo.onnx', [
      { name: 'output', dims: [1, 4, 6], data: rows.flat() },
    ]);
    const detector = await createDetector({ model: path, logger: silentLogger });
    try {
      expect(detector.contract).toMatchObject({ kind: 'deepstream-yolo', output: 'output', input: 'input' });
      const [result] = await detector.detectFrames([
        { ...whiteFrame(64, 64), data: new Uint8Array(64 * 64 * 3) },
      ]);
      expect(result!.detections).toEqual(expected);
    } finally {
      await detector.close();
    }
  });

  it('decodes the 2023 split outputs boxes (cx, cy, w, h) / scores / classes', async () => {
    const centre = rows.map(([x1, y1, x2, y2]) => [(x1! + x2!) / 2, (y1! + y2!) / 2, x2! - x1!, y2! - y1!]);
    const path = constantsModel('deepstream-yolo-split.onnx', [
      { name: 'boxes', dims: [1, 4, 4], data: centre.flat() },
      { name: 'scores', dims: [1, 4, 1], data: rows.map((r) => r[4]!) },
      { name: 'classes', dims: [1, 4, 1], data: rows.map((r) => r[5]!) },
    ]);
    const detector = await createDetector({ model: path, logger: silentLogger });
    try {
      expect(detector.contract).toMatchObject({ kind: 'deepstream-yolo-split', boxes: 'boxes' });
      const [result] = await detector.detectFrames([
        { ...whiteFrame(64, 64), data: new Uint8Array(64 * 64 * 3) },
      ]);
      expect(result!.detections).toEqual(expected);
    } finally {
      await detector.close();
    }
  });
});
