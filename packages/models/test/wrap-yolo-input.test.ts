import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import {
  cachedWrappedModel,
  encodeOnnxModel,
  OnnxDataType,
  OnnxGraphBuilder,
  readOnnxMetadata,
  readOnnxSignature,
  wrapYoloInput,
  YoloWrapError,
} from '../src/index.js';

const yolov5s = readFileSync(sharedPath('models', 'yolov5s-coco-640.onnx'));
const S = 640;

/** Deterministic RGB bytes with some structure (a gradient plus noise), NHWC. */
function pixels(images: number): Uint8Array {
  const out = new Uint8Array(images * S * S * 3);
  let seed = 12345;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = ((i / 3) % S) * 0.3 + ((seed >>> 24) & 0x3f);
  }
  return out;
}

/** What the detector's JS packing gives: v / 255 rounded to float32, planar. */
function planar(hwc: Uint8Array, images: number): Float32Array {
  const out = new Float32Array(hwc.length);
  const plane = S * S;
  for (let n = 0; n < images; n++)
    for (let p = 0; p < plane; p++)
      for (let c = 0; c < 3; c++) out[n * 3 * plane + c * plane + p] = hwc[n * 3 * plane + p * 3 + c]! / 255;
  return out;
}

describe('wrapYoloInput', () => {
  it('replaces the float NCHW input with a uint8 NHWC one and keeps outputs and metadata', () => {
    const wrapped = wrapYoloInput(yolov5s);
    const signature = readOnnxSignature(wrapped.bytes);
    expect(signature.inputs).toEqual([
      { name: wrapped.input, elemType: OnnxDataType.UINT8, dims: ['batch', 640, 640, 3] },
    ]);
    expect(signature.outputs).toEqual(readOnnxSignature(yolov5s).outputs);
    expect(signature.opsetVersion).toBe(13);
    expect(readOnnxMetadata(wrapped.bytes)).toEqual(readOnnxMetadata(yolov5s));
    expect(wrapped.threshold).toBeUndefined();
  });

  it('with the pre-filter, adds the threshold input and gives rows and their indices instead of the grid', () => {
    const wrapped = wrapYoloInput(yolov5s, { prefilter: true });
    const signature = readOnnxSignature(wrapped.bytes);
    expect(signature.inputs.map((i) => [i.name, i.elemType])).toEqual([
      [wrapped.input, OnnxDataType.UINT8],
      [wrapped.threshold, OnnxDataType.FLOAT],
    ]);
    expect(signature.outputs.map((o) => o.name)).toEqual([wrapped.rows, wrapped.rowIndex]);
  });

  it('gives the original model outputs bit for bit on the same pixels (fp32, batch 2)', async () => {
    const original = await InferenceSession.create(yolov5s);
    const wrapped = wrapYoloInput(yolov5s);
    const session = await InferenceSession.create(wrapped.bytes);
    try {
      const hwc = pixels(2);
      const theirs = await original.run({ images: new Tensor('float32', planar(hwc, 2), [2, 3, S, S]) });
      const ours = await session.run({ [wrapped.input]: new Tensor('uint8', hwc, [2, S, S, 3]) });
      expect(ours.output!.dims).toEqual([2, 25200, 85]);
      expect(ours.output!.data).toEqual(theirs.output!.data);
    } finally {
      await original.release();
      await session.release();
    }
  }, 600_000);

  it('passes exactly the rows a JS scan keeps at the threshold, in grid order, with their image', async () => {
    const original = await InferenceSession.create(yolov5s);
    const wrapped = wrapYoloInput(yolov5s, { prefilter: true });
    const session = await InferenceSession.create(wrapped.bytes);
    try {
      const hwc = pixels(2);
      const grid = (await original.run({ images: new Tensor('float32', planar(hwc, 2), [2, 3, S, S]) }))
        .output!.data as Float32Array;
      const score = (r: number): number =>
        grid[r * 85 + 4]! * Math.max(...grid.subarray(r * 85 + 5, r * 85 + 85));
      const scores = Array.from({ length: 2 * 25200 }, (_, r) => score(r));
      // A threshold that 40 rows pass, whatever this untrained-looking input makes of the scores.
      const threshold = [...scores].sort((a, b) => b - a)[39]!;
      const expected: number[][] = [];
      scores.forEach((s, r) => {
        if (s >= Math.fround(threshold)) expected.push([Math.floor(r / 25200), r % 25200]);
      });
      expect(expected.length).toBeGreaterThanOrEqual(39);
      const out = await session.run({
        [wrapped.input]: new Tensor('uint8', hwc, [2, S, S, 3]),
        [wrapped.threshold!]: new Tensor('float32', Float32Array.of(threshold), [1]),
      });
      const index = Array.from(out[wrapped.rowIndex!]!.data as BigInt64Array, Number);
      const got = expected.map((_, k) => [index[2 * k]!, index[2 * k + 1]!]);
      expect(index.length).toBe(expected.length * 2);
      expect(got).toEqual(expected);
      const rows = out[wrapped.rows!]!.data as Float32Array;
      const [b, r] = expected[expected.length - 1]!;
      const k = expected.length - 1;
      expect(rows.subarray(k * 85, k * 85 + 85)).toEqual(
        grid.subarray((b! * 25200 + r!) * 85, (b! * 25200 + r! + 1) * 85),
      );
    } finally {
      await original.release();
      await session.release();
    }
  }, 600_000);

  it('casts to float16 for a model whose input is float16, equal to JS half rounding of v / 255', async () => {
    const b = new OnnxGraphBuilder();
    b.node('Identity', ['images'], 'output');
    const fp16 = encodeOnnxModel(
      b.model({
        inputs: [{ name: 'images', elemType: OnnxDataType.FLOAT16, dims: [1, 3, 2, 128] }],
        outputs: [{ name: 'output', elemType: OnnxDataType.FLOAT16, dims: [1, 3, 2, 128] }],
      }),
    );
    const wrapped = wrapYoloInput(fp16);
    const session = await InferenceSession.create(wrapped.bytes);
    try {
      const hwc = Uint8Array.from({ length: 2 * 128 * 3 }, (_, i) => Math.floor(i / 3));
      const out = await session.run({ [wrapped.input]: new Tensor('uint8', hwc, [1, 2, 128, 3]) });
      expect(out.output!.type).toBe('float16');
      const halves = out.output!.data as Uint16Array;
      // Plane 0 (red), pixel p holds byte floor(p) for p < 256: v / 255 as half bits, 0 → 0, 255 → 1.0 (0x3c00).
      expect(halves[0]).toBe(0);
      expect(halves[255]).toBe(0x3c00);
      expect(halves[51]).toBe(0x3266); // 51 / 255 = 0.2 → half 0x3266
    } finally {
      await session.release();
    }
  });

  it('refuses a model without one NCHW image input, and a pre-filter without a grid output', () => {
    const b = new OnnxGraphBuilder();
    b.node('Identity', ['x'], 'y');
    const notImage = encodeOnnxModel(
      b.model({
        inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT, dims: [1, 4] }],
        outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, dims: [1, 4] }],
      }),
    );
    expect(() => wrapYoloInput(notImage)).toThrow(YoloWrapError);
    const end2end = readFileSync(sharedPath('models', 'yolov5s-coco-640-end2end.onnx'));
    expect(() => wrapYoloInput(end2end, { prefilter: true })).toThrow(/grid output/);
  });
});

describe('cachedWrappedModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxvision-wrap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the wrap once under the model hash and reuses it; variants get their own file', async () => {
    const first = await cachedWrappedModel(yolov5s, { prefilter: true }, dir);
    const second = await cachedWrappedModel(yolov5s, { prefilter: true }, dir);
    const plain = await cachedWrappedModel(yolov5s, {}, dir);
    expect([first.reused, second.reused, plain.reused]).toEqual([false, true, false]);
    expect(second.path).toBe(first.path);
    expect(plain.path).not.toBe(first.path);
    expect(second.rows).toBe(first.rows);
    expect(readOnnxSignature(readFileSync(first.path)).outputs.map((o) => o.name)).toEqual([
      first.rows,
      first.rowIndex,
    ]);
    expect(statSync(first.path).mtimeMs).toBe(statSync(second.path).mtimeMs);
  });
});
