import { describe, expect, it } from 'vitest';
import { UnsupportedModelError, type ValueInfo } from '../src/index.js';
import { parseAnchorsMetadata, recognizeContract, SUPPORTED_CONTRACTS } from '../src/internal.js';

const image = (batch: number | string = 'batch', type = 'float32'): ValueInfo => ({
  name: 'images',
  type,
  shape: [batch, 3, 640, 640],
});
const out = (name: string, shape: (number | string)[], type = 'float32'): ValueInfo => ({
  name,
  type,
  shape,
});

describe('recognizeContract', () => {
  it('recognises a grid output with dynamic or fixed batch (export.py --grid [--dynamic-batch])', () => {
    expect(recognizeContract('m', [image()], [out('output', ['batch', 25200, 85])])).toMatchObject({
      kind: 'grid',
      batch: 'dynamic',
      numClasses: 80,
      output: 'output',
    });
    expect(recognizeContract('m', [image(4)], [out('output', [4, 25200, 7])])).toMatchObject({
      kind: 'grid',
      batch: 4,
      numClasses: 2,
    });
  });

  it('prefers the grid output when raw heads are exported beside it', () => {
    const heads = [80, 40, 20].map((s, i) => out(`head${i}`, [1, 3, s, s, 85]));
    expect(recognizeContract('m', [image(1)], [out('output', [1, 25200, 85]), ...heads]).kind).toBe('grid');
  });

  it('recognises the onnxruntime end-to-end output [num_dets, 7] (export.py --end2end)', () => {
    expect(recognizeContract('m', [image(1)], [out('output', ['num_dets', 7])])).toMatchObject({
      kind: 'end2end',
      batch: 1,
    });
  });

  it('recognises the four TensorRT EfficientNMS outputs by name', () => {
    const outputs = [
      out('num_dets', ['batch', 1], 'int32'),
      out('det_boxes', ['batch', 100, 4]),
      out('det_scores', ['batch', 100]),
      out('det_classes', ['batch', 100], 'int32'),
    ];
    expect(recognizeContract('m', [image()], outputs)).toMatchObject({
      kind: 'efficient-nms',
      numDets: 'num_dets',
      boxes: 'det_boxes',
      scores: 'det_scores',
      classes: 'det_classes',
    });
  });

  it('recognises three raw heads and orders them finest grid first', () => {
    const heads = [20, 80, 40].map((s) => out(`h${s}`, ['batch', 3, s, s, 85]));
    expect(recognizeContract('m', [image()], heads)).toMatchObject({
      kind: 'raw-heads',
      heads: ['h80', 'h40', 'h20'],
      numClasses: 80,
    });
  });

  it('accepts float16 inputs and fills dynamic height/width from inputSize', () => {
    const c = recognizeContract(
      'm',
      [{ name: 'x', type: 'float16', shape: ['b', 3, 'h', 'w'] }],
      [out('y', ['b', 'n', 85], 'float16')],
      { width: 512, height: 384 },
    );
    expect(c).toMatchObject({ kind: 'grid', inputType: 'float16', width: 512, height: 384, input: 'x' });
  });

  it('rejects a model matching no contract with an error naming its outputs and listing every contract', () => {
    const attempt = () => recognizeContract('classifier.onnx', [image(1)], [out('logits', [1, 1000])]);
    expect(attempt).toThrow(UnsupportedModelError);
    expect(attempt).toThrow(/classifier\.onnx/);
    expect(attempt).toThrow(/logits float32 \[1, 1000\]/);
    for (const contract of SUPPORTED_CONTRACTS) expect(attempt).toThrow(contract.split(':')[0]!);
    expect(() => recognizeContract('m', [image(1, 'uint8')], [out('output', [1, 10, 85])])).toThrow(
      /uint8; expected float32 or float16/,
    );
  });

  it('tells DeepStream-Yolo exports (input "input") from a one-class YOLOv7 grid, and refuses the May 2023 layout', () => {
    const input = { ...image(), name: 'input' };
    expect(recognizeContract('m', [input], [out('output', ['batch', 8400, 6])])).toMatchObject({
      kind: 'deepstream-yolo',
      output: 'output',
    });
    expect(recognizeContract('m', [image()], [out('output', ['batch', 25200, 6])])).toMatchObject({
      kind: 'grid',
      numClasses: 1,
    });
    const split = [
      out('boxes', ['batch', 8400, 4]),
      out('scores', ['batch', 8400, 1]),
      out('classes', ['batch', 8400, 1]),
    ];
    expect(recognizeContract('m', [input], split)).toMatchObject({
      kind: 'deepstream-yolo-split',
      classes: 'classes',
    });
    expect(() => recognizeContract('old.onnx', [input], [out('output', [1, 25200, 7])])).toThrow(
      /DeepStream-Yolo export_yoloV7\.py model of May 2023[\s\S]*re-export with a current DeepStream-Yolo/,
    );
  });

  it('recognises four raw heads (P6) and checks a dynamic size against stride 64', () => {
    const heads = [160, 80, 40, 20].map((s) => out(`h${s}`, ['batch', 3, s, s, 85]));
    expect(recognizeContract('w6', [image()], heads)).toMatchObject({
      kind: 'raw-heads',
      heads: ['h160', 'h80', 'h40', 'h20'],
    });
    const dynamic = ['a', 'b', 'c', 'd'].map((s) => out(s, ['batch', 3, `${s}h`, `${s}w`, 85]));
    const dynamicImage = { ...image(), shape: ['batch', 3, 'height', 'width'] };
    expect(recognizeContract('w6', [dynamicImage], dynamic, { width: 1280, height: 1280 })).toMatchObject({
      dynamicSize: true,
      width: 1280,
    });
    expect(() => recognizeContract('w6', [dynamicImage], dynamic, { width: 1280, height: 736 })).toThrow(
      /not a multiple of its largest stride 64; use e\.g\. 1280x768/,
    );
  });
});

describe('parseAnchorsMetadata', () => {
  const three = [3, 3, 3];
  const yolov7 = [
    [12, 16, 19, 36, 40, 28],
    [36, 75, 76, 55, 72, 146],
    [142, 110, 192, 243, 459, 401],
  ];

  it('reads the yaml form as JSON, a flat JSON list and a darknet-style comma list alike', () => {
    expect(parseAnchorsMetadata('m', JSON.stringify(yolov7), three)).toEqual(yolov7);
    expect(parseAnchorsMetadata('m', JSON.stringify(yolov7.flat()), three)).toEqual(yolov7);
    expect(
      parseAnchorsMetadata(
        'm',
        '12,16, 19,36, 40,28,  36,75, 76,55, 72,146, 142,110, 192,243, 459,401',
        three,
      ),
    ).toEqual(yolov7);
  });

  it('refuses broken JSON, non-positive numbers and lists that do not fit the heads', () => {
    expect(() => parseAnchorsMetadata('m.onnx', '[[12,16', three)).toThrow(
      /m\.onnx: metadata "anchors" = "\[\[12,16" is not valid JSON/,
    );
    expect(() => parseAnchorsMetadata('m', '12,-16, 19,36', three)).toThrow(/other than positive numbers/);
    expect(() => parseAnchorsMetadata('m', '[[1,2,3,4,5,6],[1,2,3,4,5,6]]', three)).toThrow(
      /has 2 lists for 3 heads/,
    );
    expect(() => parseAnchorsMetadata('m', '[[1,2,3,4],[1,2,3,4,5,6],[1,2,3,4,5,6]]', three)).toThrow(
      /has 4 numbers for head 1, which has 3 anchors \(6 numbers\)/,
    );
  });
});
