import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@rxvision/decode';
import { encodeOnnxModel, OnnxDataType, OnnxGraphBuilder } from '@rxvision/models';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import {
  type CapiSession,
  OrtLibraryError,
  openCapiSession,
  ProviderOptionError,
} from '../src/backends/onnxruntime-capi/index.js';
import type { TensorLike } from '../src/candidate.js';
import { pixelTable, writeFrame } from '../src/preprocess.js';
import { readPhoto } from './photo.js';

const PHOTOS = [
  'images/yolov7/bus.jpg',
  'images/darknet/dog.jpg',
  'images/yolov7/horses.jpg',
  'images/yolov7/zidane.jpg',
];

/** Real photos, letterboxed into a float32 NCHW batch as the detector packs them. */
async function photoBatch(batch: number): Promise<Float32Array> {
  const data = new Float32Array(batch * 3 * 640 * 640);
  const table = pixelTable('float32');
  for (let i = 0; i < batch; i++) {
    const frame = await readPhoto(sharedPath(PHOTOS[i % PHOTOS.length]!), { modelInput: 640 });
    writeFrame(frame, data, i, 640, 640, table);
  }
  return data;
}

function maxAbsDiff(a: TensorLike, b: TensorLike): number {
  expect(a.type).toBe(b.type);
  expect(a.dims).toEqual(b.dims);
  const x = a.data as ArrayLike<number>;
  const y = b.data as ArrayLike<number>;
  expect(x.length).toBe(y.length);
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]! - y[i]!));
  return max;
}

const figures: string[] = [];
afterAll(() => console.log(`capi figures:\n  ${figures.join('\n  ')}`));

describe('C API session vs onnxruntime-node on the shared models (CPU)', () => {
  const cases: [string, number][] = [
    ['yolov5s-coco-640.onnx', 1],
    ['yolov5s-coco-640.onnx', 4],
    ['yolov5s-coco-640-b1.onnx', 1],
    ['yolov5s-coco-640-end2end.onnx', 1],
    ['yolov7-tiny-640-untrained-fp16.onnx', 2],
  ];
  for (const [file, batch] of cases) {
    it(`${file} at batch ${batch}: same metadata, same outputs to 1e-4`, async () => {
      const model = sharedPath('models', file);
      const reference = await InferenceSession.create(model, { graphOptimizationLevel: 'all' });
      const capi = await openCapiSession(model, ['cpu'], silentLogger);
      try {
        expect(capi.provider).toBe('cpu');
        expect(capi.inputMetadata).toEqual(reference.inputMetadata);
        expect(capi.outputMetadata).toEqual(reference.outputMetadata);
        const data = await photoBatch(batch);
        const dims = [batch, 3, 640, 640];
        const expected = await reference.run({ images: new Tensor('float32', data, dims) });
        const { outputs, input } = await capi.run('images', { type: 'float32', dims, data }, ['output']);
        expect(input).toBe(data);
        const diff = maxAbsDiff(outputs.output!, expected.output!);
        figures.push(
          `${file} batch ${batch}: output [${outputs.output!.dims.join(',')}] max abs diff ${diff}`,
        );
        expect(diff).toBeLessThanOrEqual(1e-4);
        if (file.includes('end2end')) expect(outputs.output!.dims[0]).toBeGreaterThan(0);
      } finally {
        await capi.release();
        await reference.release();
      }
    });
  }

  it('concurrent runs on one session each get their own input’s outputs', async () => {
    const model = sharedPath('models', 'yolov5s-coco-640.onnx');
    const reference = await InferenceSession.create(model, { graphOptimizationLevel: 'all' });
    const capi = await openCapiSession(model, ['cpu'], silentLogger);
    try {
      const batch = await photoBatch(4);
      const images = [0, 1, 2, 3].map((i) => batch.slice(i * 3 * 640 * 640, (i + 1) * 3 * 640 * 640));
      const dims = [1, 3, 640, 640];
      const together = await Promise.all(
        images.map((data) => capi.run('images', { type: 'float32', dims, data }, ['output'])),
      );
      for (const [i, data] of images.entries()) {
        const expected = await reference.run({ images: new Tensor('float32', data, dims) });
        expect(together[i]!.input).toBe(data);
        expect(maxAbsDiff(together[i]!.outputs.output!, expected.output!)).toBe(0);
      }
      // A sub-view of a bigger buffer (the detector's partial batch) is read from its own offset.
      const view = batch.subarray(3 * 640 * 640, 2 * 3 * 640 * 640);
      const { outputs } = await capi.run('images', { type: 'float32', dims, data: view }, ['output']);
      expect(maxAbsDiff(outputs.output!, together[1]!.outputs.output!)).toBe(0);
    } finally {
      await capi.release();
      await reference.release();
    }
  });

  it('release() waits for a run in flight; the run still completes', async () => {
    const capi = await openCapiSession(
      sharedPath('models', 'yolov5s-coco-640-b1.onnx'),
      ['cpu'],
      silentLogger,
    );
    const data = await photoBatch(1);
    const run = capi.run('images', { type: 'float32', dims: [1, 3, 640, 640], data }, ['output']);
    await capi.release();
    expect((await run).outputs.output!.dims).toEqual([1, 25200, 85]);
  });

  it('float16 input and output (Uint16Array bits) and an int64 output, on a built model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capi-'));
    const model = join(dir, 'fp16.onnx');
    writeFileSync(model, identityAndShapeModel());
    const reference = await InferenceSession.create(model);
    const capi = await openCapiSession(model, ['cpu'], silentLogger);
    try {
      expect(capi.inputMetadata).toEqual(reference.inputMetadata);
      expect(capi.outputMetadata).toEqual(reference.outputMetadata);
      const data = Uint16Array.from([0x3c00, 0x4000, 0xbc00, 0x7bff, 0, 1, 0x3555, 0x8000]);
      const expected = await reference.run({ x: new Tensor('float16', data, [2, 4]) });
      const { outputs } = await capi.run('x', { type: 'float16', dims: [2, 4], data }, ['y', 's']);
      expect(outputs.y).toEqual({ type: 'float16', dims: [2, 4], data });
      expect(outputs.y!.data).toBeInstanceOf(Uint16Array);
      expect(outputs.s).toEqual({ type: 'int64', dims: [2], data: new BigInt64Array([2n, 4n]) });
      expect(Array.from(expected.y!.data as Uint16Array)).toEqual(Array.from(data));
    } finally {
      await capi.release();
      await reference.release();
    }
  });
});

describe('C API session: providers', () => {
  it('serves [tensorrt {fp16, engine cache, profile}, cuda, cpu] on cpu here, with ORT’s reasons for the other two', async () => {
    const warnings: string[] = [];
    const capi = await openCapiSession(
      sharedPath('models', 'yolov5s-coco-640.onnx'),
      [
        {
          name: 'tensorrt',
          fp16: true,
          engineCachePath: join(tmpdir(), 'trt-cache'),
          profile: { min: 1, opt: 2, max: 4 },
        },
        'cuda',
        'cpu',
      ],
      { warn: (m) => warnings.push(m), info: () => {} },
    );
    await capi.release();
    expect(capi.provider).toBe('cpu');
    expect(capi.skipped.map((s) => s.provider)).toEqual(['tensorrt', 'cuda']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /provider tensorrt skipped: UpdateTensorRTProviderOptions: .*Failed to load library .*libonnxruntime_providers_shared\.so/,
    );
    expect(warnings[1]).toMatch(
      /provider cuda skipped: CreateCUDAProviderOptions|provider cuda skipped: SessionOptionsAppendExecutionProvider_CUDA_V2: .*[Ll]oad/,
    );
    figures.push(`provider warnings:\n    ${warnings.join('\n    ')}`);
  });

  it('skips a provider this build lacks (OpenVINO through the generic append) in ORT’s words', async () => {
    const warnings: string[] = [];
    const capi = await openCapiSession(
      sharedPath('models', 'yolov5s-coco-640-b1.onnx'),
      [
        { name: 'openvino', options: { device_type: 'GPU', num_of_threads: 2 } },
        { name: 'cpu', threads: 2 },
      ],
      { warn: (m) => warnings.push(m), info: () => {} },
    );
    await capi.release();
    expect(capi.provider).toBe('cpu');
    expect(warnings).toEqual([
      expect.stringMatching(
        /provider openvino skipped: SessionOptionsAppendExecutionProvider\(OpenVINO\): OpenVINO execution provider is not supported in this build/,
      ),
    ]);
  });

  it('falls back to cpu when the list has none, and says so; without the fallback it lists every reason', async () => {
    const model = sharedPath('models', 'yolov5s-coco-640-b1.onnx');
    const warnings: string[] = [];
    const capi = await openCapiSession(model, ['cuda'], { warn: (m) => warnings.push(m), info: () => {} });
    await capi.release();
    expect(capi.provider).toBe('cpu');
    expect(warnings).toEqual([
      expect.stringMatching(/provider cuda skipped: /),
      expect.stringMatching(/none of the listed providers loaded; falling back to cpu$/),
    ]);
    await expect(openCapiSession(model, ['cuda'], silentLogger, { cpuFallback: false })).rejects.toThrow(
      /no execution provider could load the model:\n {2}- cuda: .+\nAdd 'cpu'/,
    );
  });

  it('refuses an unknown TensorRT or CUDA key before loading anything, naming the key', async () => {
    const model = sharedPath('models', 'yolov5s-coco-640-b1.onnx');
    const open = openCapiSession(
      model,
      [{ name: 'tensorrt', fp16: true, options: { trt_fp16_enabled: true } }, 'cpu'],
      silentLogger,
    );
    await expect(open).rejects.toThrow(ProviderOptionError);
    await expect(open).rejects.toThrow(/execution provider tensorrt: option "trt_fp16_enabled": unknown key/);
    await expect(
      openCapiSession(model, [{ name: 'cuda', options: { gpu_memory_limit: 1 } }], silentLogger),
    ).rejects.toThrow(/option "gpu_memory_limit"/);
  });
});

describe('C API session: errors', () => {
  const model = sharedPath('models', 'yolov5s-coco-640-b1.onnx');

  it('a missing runtimeLibrary: one clear error naming the path and the fix', async () => {
    const open = openCapiSession(model, ['cpu'], silentLogger, {
      runtimeLibrary: '/opt/nowhere/libonnxruntime.so',
    });
    await expect(open).rejects.toThrow(OrtLibraryError);
    await expect(open).rejects.toThrow(
      /^ONNX Runtime library \/opt\/nowhere\/libonnxruntime\.so does not exist: set runtimeLibrary to the path of a libonnxruntime\.so/,
    );
  });

  it('a file that is no library at all: one clear error', async () => {
    await expect(
      openCapiSession(model, ['cpu'], silentLogger, { runtimeLibrary: sharedPath('models', 'README.md') }),
    ).rejects.toThrow(
      /README\.md cannot be loaded \(Failed to load shared library: .*invalid ELF header\): set runtimeLibrary/,
    );
  });

  it('a library that is not ONNX Runtime (libz): one clear error', async () => {
    const open = openCapiSession(model, ['cpu'], silentLogger, {
      runtimeLibrary: '/lib/x86_64-linux-gnu/libz.so.1',
    });
    await expect(open).rejects.toThrow(
      /^\/lib\/x86_64-linux-gnu\/libz\.so\.1 is not an ONNX Runtime library \(Cannot find function 'OrtGetApiBase' in shared library\)/,
    );
  });

  it('a model that does not exist, and a file that is not a model: ORT’s own message, once', async () => {
    for (const path of ['/nonexistent/model.onnx', sharedPath('README.md')]) {
      const binding = await InferenceSession.create(path).then(
        () => '',
        (e: Error) => e.message,
      );
      const ortWords = binding.replace(/^Load model from .* failed:/, '');
      await expect(openCapiSession(path, ['cuda', 'cpu'], silentLogger)).rejects.toThrow(ortWords);
    }
  });

  it('a run with a wrong input shape rejects with ORT’s message and hands the buffer back; release is final', async () => {
    const capi = await openCapiSession(model, ['cpu'], silentLogger);
    const data = new Float32Array(3 * 320 * 320);
    const failed = await capi
      .run('images', { type: 'float32', dims: [1, 3, 320, 320], data }, ['output'])
      .catch((e) => e);
    expect(failed.message).toMatch(/^Run: .*Got invalid dimensions for input: images/);
    expect(failed.input).toBe(data);
    await capi.release();
    await capi.release();
    await expect(
      capi.run('images', { type: 'float32', dims: [1, 3, 320, 320], data }, ['output']),
    ).rejects.toThrow(/released/);
  });
});

describe('C API session: the event loop stays free during runs', () => {
  let capi: CapiSession;
  let data: Float32Array;
  beforeAll(async () => {
    capi = await openCapiSession(sharedPath('models', 'yolov5s-coco-640.onnx'), ['cpu'], silentLogger);
    data = await photoBatch(1);
  });
  let baselineTicks: number | undefined;
  afterAll(() => capi?.release());

  it('(baseline) onnxruntime-node’s own run on this thread, for comparison', async () => {
    const reference = await InferenceSession.create(sharedPath('models', 'yolov5s-coco-640.onnx'));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    for (let i = 0; i < 3; i++)
      await reference.run({ images: new Tensor('float32', data, [1, 3, 640, 640]) });
    clearInterval(timer);
    baselineTicks = ticks;
    figures.push(
      `event loop baseline (onnxruntime-node run): 3 runs in ${(performance.now() - started).toFixed(0)} ms; ${ticks} interval ticks`,
    );
    await reference.release();
  });

  it('keeps the loop turning while a model is opened too (CreateSession runs on koffi’s threads)', async () => {
    let ticks = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    const opened = await openCapiSession(
      sharedPath('models', 'yolov5s-coco-640.onnx'),
      ['cpu'],
      silentLogger,
    );
    const elapsed = performance.now() - started;
    clearInterval(timer);
    await opened.release();
    figures.push(
      `event loop while opening: ${elapsed.toFixed(0)} ms, ${ticks} ticks, longest gap ${maxGap.toFixed(0)} ms`,
    );
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
    expect(maxGap).toBeLessThan(250);
  });

  it('keeps 10 ms timers and setImmediate turning while three 640 runs are in flight', async () => {
    let timers = 0;
    let immediates = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      timers++;
    }, 10);
    let spinning = true;
    const spin = () => {
      immediates++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const started = performance.now();
    const runs = [0, 1, 2].map(() =>
      capi.run('images', { type: 'float32', dims: [1, 3, 640, 640], data }, ['output']),
    );
    const results = await Promise.all(runs);
    const elapsed = performance.now() - started;
    spinning = false;
    clearInterval(timer);
    figures.push(
      `event loop: 3 runs in ${elapsed.toFixed(0)} ms; ${timers} interval ticks (10 ms), ${immediates} setImmediate turns, longest gap ${maxGap.toFixed(0)} ms`,
    );
    expect(results.every((r) => r.outputs.output!.dims[1] === 25200)).toBe(true);
    expect(elapsed).toBeGreaterThan(150);
    expect(timers).toBeGreaterThan(elapsed / 10 / 3);
    expect(immediates).toBeGreaterThan(100);
    // Loose bounds: four other engineers share these two cores.
    expect(maxGap).toBeLessThan(250);
    if (baselineTicks !== undefined) expect(timers).toBeGreaterThan(baselineTicks + 10);
  });
});

/** `y = Identity(x)` in float16 and `s = Shape(x)` in int64, over a dynamic batch of 4 values. */
function identityAndShapeModel(): Uint8Array {
  const { FLOAT16, INT64 } = OnnxDataType;
  const b = new OnnxGraphBuilder();
  b.node('Identity', ['x'], 'y');
  b.node('Shape', ['x'], 's');
  return encodeOnnxModel(
    b.model({
      inputs: [{ name: 'x', elemType: FLOAT16, dims: ['n', 4] }],
      outputs: [
        { name: 'y', elemType: FLOAT16, dims: ['n', 4] },
        { name: 's', elemType: INT64, dims: [2] },
      ],
    }),
  );
}
