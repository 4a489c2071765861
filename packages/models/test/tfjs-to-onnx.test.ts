import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  convertTfjsGraphToOnnx,
  convertYolov5TfjsDir,
  encodeOnnxModel,
  loadTfjsGraphModel,
} from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxv-tfjs-to-onnx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A tiny TF.js graph: NHWC input [1,3,3,2] → 1x1 conv (2→3 channels, bias) → sigmoid → reshape [-1,27]. */
function tinyGraph(
  op = '_FusedConv2D',
  fused = ['BiasAdd'],
): { json: object; shard: Buffer; kernel: number[]; bias: number[] } {
  const kernel = [0.5, -1, 2, 1.5, 0.25, -0.75]; // HWIO [1,1,2,3]
  const bias = [0.1, -0.2, 0.3];
  const shape = [-1, 27];
  const shard = Buffer.concat([
    Buffer.from(Float32Array.from(kernel).buffer),
    Buffer.from(Float32Array.from(bias).buffer),
    Buffer.from(Int32Array.from(shape).buffer),
  ]);
  const json = {
    format: 'graph-model',
    convertedBy: 'hand-written test graph',
    signature: {
      inputs: {
        x: {
          name: 'x:0',
          tensorShape: { dim: [{ size: '1' }, { size: '3' }, { size: '3' }, { size: '2' }] },
        },
      },
      outputs: { y: { name: 'Identity:0', tensorShape: { dim: [{ size: '1' }, { size: '27' }] } } },
    },
    modelTopology: {
      node: [
        { name: 'Identity', op: 'Identity', input: ['reshape'] },
        { name: 'reshape', op: 'Reshape', input: ['sig', 'shape'] },
        { name: 'sig', op: 'Sigmoid', input: ['conv'] },
        {
          name: 'conv',
          op,
          input: ['x', 'kernel', 'bias'],
          attr: {
            strides: { list: { i: ['1', '1', '1', '1'] } },
            dilations: { list: { i: ['1', '1', '1', '1'] } },
            padding: { s: b64('VALID') },
            data_format: { s: b64('NHWC') },
            fused_ops: { list: { s: fused.map(b64) } },
            leakyrelu_alpha: { f: 0.1 },
          },
        },
        { name: 'x', op: 'Placeholder' },
        { name: 'kernel', op: 'Const' },
        { name: 'bias', op: 'Const' },
        { name: 'shape', op: 'Const' },
      ],
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'kernel', shape: [1, 1, 2, 3], dtype: 'float32' },
          { name: 'bias', shape: [3], dtype: 'float32' },
          { name: 'shape', shape: [2], dtype: 'int32' },
        ],
      },
    ],
  };
  return { json, shard, kernel, bias };
}

async function writeModel(name: string, json: object | string, shard?: Buffer): Promise<string> {
  const modelDir = join(dir, name);
  await mkdir(modelDir, { recursive: true });
  await writeFile(join(modelDir, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  if (shard) await writeFile(join(modelDir, 'group1-shard1of1.bin'), shard);
  return modelDir;
}

describe('TF.js graph → ONNX converter', () => {
  it('keeps NHWC semantics: a hand-built conv graph computes what TF would', async () => {
    const { json, shard, kernel, bias } = tinyGraph();
    const model = await loadTfjsGraphModel(await writeModel('tiny', json, shard));
    const onnx = encodeOnnxModel(convertTfjsGraphToOnnx(model, { inputName: 'x', outputName: 'y' }));
    const session = await ort.InferenceSession.create(onnx);
    // NCHW input as the ONNX model takes it; value at (c, y, x) = c + 10 y + 100 x / 1000, all distinct.
    const nchw = new Float32Array(18);
    for (let c = 0; c < 2; c++)
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++) nchw[c * 9 + y * 3 + x] = (c + 10 * y + 100 * x) / 1000;
    const out = (await session.run({ x: new ort.Tensor('float32', nchw, [1, 2, 3, 3]) })).y!;
    expect(out.dims).toEqual([1, 27]);
    const got = Array.from(out.data as Float32Array);
    // TF flattens NHWC: index (y * 3 + x) * 3 + o.
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 3; x++)
        for (let o = 0; o < 3; o++) {
          let sum = bias[o]!;
          for (let i = 0; i < 2; i++) sum += nchw[i * 9 + y * 3 + x]! * kernel[i * 3 + o]!;
          expect(got[(y * 3 + x) * 3 + o]).toBeCloseTo(1 / (1 + Math.exp(-sum)), 6);
        }
    await session.release();
  });

  it('applies a fused LeakyRelu with its float alpha attribute', async () => {
    const { json, shard, kernel, bias } = tinyGraph('_FusedConv2D', ['BiasAdd', 'LeakyRelu']);
    const model = await loadTfjsGraphModel(await writeModel('leaky', json, shard));
    const session = await ort.InferenceSession.create(encodeOnnxModel(convertTfjsGraphToOnnx(model)));
    // All-ones input: each output channel o is sigmoid(leaky(kernel[0][o] + kernel[1][o] + bias[o])).
    const out = (
      await session.run({ images: new ort.Tensor('float32', new Float32Array(18).fill(1), [1, 2, 3, 3]) })
    ).output!;
    const got = Array.from(out.data as Float32Array).slice(0, 3);
    const want = [0, 1, 2].map((o) => {
      const sum = kernel[o]! + kernel[3 + o]! + bias[o]!;
      return 1 / (1 + Math.exp(-(sum < 0 ? 0.1 * sum : sum)));
    });
    for (const [o, value] of want.entries()) expect(got[o]).toBeCloseTo(value, 6);
    await session.release();
  });

  it('names the node and the op it cannot convert', async () => {
    const { json, shard } = tinyGraph('DepthwiseConv2dNative');
    const model = await loadTfjsGraphModel(await writeModel('unsupported', json, shard));
    expect(() => convertTfjsGraphToOnnx(model)).toThrow(
      'node conv: TF op DepthwiseConv2dNative is not supported',
    );
  });

  it('rejects a model.json that is not JSON, naming the file', async () => {
    const modelDir = await writeModel('not-json', '{"format": "graph-model", ');
    await expect(convertYolov5TfjsDir(modelDir, join(dir, 'x.onnx'))).rejects.toThrow(
      `${join(modelDir, 'model.json')}: cannot read as JSON`,
    );
  });

  it('rejects a layers model and a graph without topology, saying what is expected', async () => {
    const layers = await writeModel('layers', { format: 'layers-model', modelTopology: {} });
    await expect(loadTfjsGraphModel(layers)).rejects.toThrow(
      /format is "layers-model", not "graph-model".*tensorflowjs_converter/,
    );
    const noNodes = await writeModel('no-nodes', { format: 'graph-model', modelTopology: {} });
    await expect(loadTfjsGraphModel(noNodes)).rejects.toThrow('modelTopology.node is missing');
  });

  it('rejects weight shards that do not match the manifest, and a missing shard', async () => {
    const { json, shard } = tinyGraph();
    const short = await writeModel('short', json, shard.subarray(0, shard.length - 4));
    await expect(loadTfjsGraphModel(short)).rejects.toThrow('weight shards of group 0 are too short');
    const missing = await writeModel('missing', json);
    await expect(loadTfjsGraphModel(missing)).rejects.toThrow(
      /weight shard group1-shard1of1.bin cannot be read/,
    );
  });

  it('refuses a graph that is not a YOLOv5 export, saying which shapes it found', async () => {
    const { json, shard } = tinyGraph();
    const modelDir = await writeModel('not-yolo', json, shard);
    await expect(convertYolov5TfjsDir(modelDir, join(dir, 'y.onnx'))).rejects.toThrow(
      /not a YOLOv5 TF.js export.*\[1,3,3,2\] and \[1,27\]/,
    );
  });
});
