import { describe, expect, it } from 'vitest';
import { UnsupportedModelError, type ValueInfo } from '../src/index.js';
import { recognizeContract, SUPPORTED_CONTRACTS } from '../src/internal.js';

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
});
