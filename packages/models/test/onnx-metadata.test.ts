import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { encodeOnnxModel, OnnxDataType, OnnxGraphBuilder, readOnnxMetadata } from '../src/index.js';

describe('readOnnxMetadata', () => {
  it('reads back the metadata_props encodeOnnxModel wrote, in order, skipping the graph', () => {
    const b = new OnnxGraphBuilder();
    b.node('Reshape', ['x', b.int64s('shape', [1, -1])], 'y');
    const x = { name: 'x', elemType: OnnxDataType.FLOAT, dims: ['batch', 2, 2] };
    const y = { name: 'y', elemType: OnnxDataType.FLOAT, dims: [1, 4] };
    const bytes = encodeOnnxModel(
      b.model({ inputs: [x], outputs: [y], metadata: { stride: '32', names: '{}' } }),
    );
    expect([...readOnnxMetadata(bytes)]).toEqual([
      ['stride', '32'],
      ['names', '{}'],
    ]);
  });

  it('gives an empty map for a model without metadata', () => {
    const bytes = encodeOnnxModel(new OnnxGraphBuilder().model({ inputs: [], outputs: [] }));
    expect(readOnnxMetadata(bytes).size).toBe(0);
  });

  it('reads the class names a PyTorch-style export wrote into a shared model', () => {
    const metadata = readOnnxMetadata(readFileSync(sharedPath('models', 'yolov5s-coco-640.onnx')));
    expect(metadata.get('stride')).toBe('32');
    const names = JSON.parse(metadata.get('names') ?? '{}') as Record<string, string>;
    expect(Object.keys(names)).toHaveLength(80);
    expect(names['0']).toBe('person');
  });

  it('throws a RangeError for bytes that are not a protobuf message', () => {
    expect(() => readOnnxMetadata(new TextEncoder().encode('not a model'))).toThrow(RangeError);
  });
});
