import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Frame, silentLogger } from '@rxvision/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, type Detector, type DetectorOptions } from '../src/index.js';
import { readPhoto } from './photo.js';

/** Every photo under ../shared/images, coco8 included. */
function sharedPhotos(): string[] {
  const root = sharedPath('images');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => join(root, f));
}

/** The same model on both runtimes: their detections on `frames` must be the same. */
async function bothRuntimes(options: DetectorOptions, frames: readonly Frame[]) {
  const node = await createDetector({ ...options, logger: silentLogger });
  const capi = await createDetector({ ...options, runtime: 'onnxruntime-capi', logger: silentLogger });
  try {
    expect(capi.runtime).toBe('onnxruntime-capi');
    expect(node.runtime).toBe('onnxruntime-node');
    expect(capi.contract).toEqual(node.contract);
    const [a, b] = [await node.detectFrames(frames), await capi.detectFrames(frames)];
    return { node: a.map((r) => r.detections), capi: b.map((r) => r.detections), capiDetector: capi };
  } finally {
    await node.close();
    await capi.close();
  }
}

describe('runtime onnxruntime-capi gives the default runtime’s detections', () => {
  let photos: Frame[];
  beforeAll(async () => {
    photos = await Promise.all(sharedPhotos().map((p) => readPhoto(p, { modelInput: 640 })));
  });

  it('on every shared photo, trained YOLOv5s grid model, dynamic batch of 4 (and a last batch of 1–3)', async () => {
    expect(photos.length).toBeGreaterThanOrEqual(21);
    const got = await bothRuntimes(
      { model: sharedPath('models', 'yolov5s-coco-640.onnx'), batch: { size: 4 } },
      photos,
    );
    expect(got.capiDetector.contract.batch).toBe('dynamic');
    expect(got.capi).toEqual(got.node);
    // Not vacuous: the photos hold objects.
    expect(got.capi.flat().length).toBeGreaterThan(50);
    expect(got.capi[photos.findIndex((p) => p.streamId.endsWith('bus.jpg'))]!.map((d) => d.label)).toContain(
      'bus',
    );
  });

  it('batch 1 (fixed-batch model) and the in-graph NMS (end2end) model', async () => {
    const some = photos.filter((p) => /yolov7\//.test(p.streamId));
    for (const file of ['yolov5s-coco-640-b1.onnx', 'yolov5s-coco-640-end2end.onnx']) {
      const got = await bothRuntimes({ model: sharedPath('models', file) }, some);
      expect(got.capiDetector.contract.batch).toBe(1);
      expect(got.capi).toEqual(got.node);
      expect(got.capi.flat().length).toBeGreaterThan(10);
    }
  });

  it('fp32 and fp16 YOLOv7-tiny (untrained: low confidence so there is something to compare)', async () => {
    const some = photos.slice(0, 4);
    for (const file of ['yolov7-tiny-640-untrained.onnx', 'yolov7-tiny-640-untrained-fp16.onnx']) {
      const got = await bothRuntimes(
        { model: sharedPath('models', file), batch: { size: 4 }, filters: { confidence: 0.001 } },
        some,
      );
      expect(got.capi).toEqual(got.node);
      expect(got.capi.flat().length).toBeGreaterThan(0);
    }
  });
});

describe('runtime onnxruntime-capi: providers, threads, errors', () => {
  let detector: Detector;
  const warnings: string[] = [];
  const infos: string[] = [];
  beforeAll(async () => {
    detector = await createDetector({
      model: sharedPath('models', 'yolov5s-coco-640.onnx'),
      runtime: 'onnxruntime-capi',
      providers: [
        { name: 'tensorrt', fp16: true, engineCachePath: join(sharedPath('..'), 'nonexistent-trt-cache') },
        'cuda',
        'cpu',
      ],
      batch: { size: 4 },
      logger: { ...silentLogger, warn: (m) => warnings.push(m), info: (m) => infos.push(m) },
    });
  });
  afterAll(() => detector?.close());

  it('serves [tensorrt {fp16, engine cache}, cuda, cpu] on cpu, saying in ORT’s words why TensorRT and CUDA were skipped', () => {
    expect(detector.provider).toBe('cpu');
    expect(detector.runtime).toBe('onnxruntime-capi');
    expect(detector.runtimeVersion).toMatch(/^1\.\d+\.\d+/);
    expect(warnings).toEqual([
      expect.stringMatching(
        /provider tensorrt skipped: UpdateTensorRTProviderOptions: .*libonnxruntime_providers_shared\.so/,
      ),
      expect.stringMatching(/provider cuda skipped: \w+: .+/),
    ]);
    // One serving line; no engine build announced for a provider that never loaded.
    expect(infos.filter((m) => /serving on cpu \(runtime onnxruntime-capi 1\.\d+/.test(m))).toHaveLength(1);
    expect(infos.some((m) => /TensorRT engine/.test(m))).toBe(false);
  });

  it('keeps the event loop turning while the C API backend runs a batch of four', async () => {
    const photos = await Promise.all(
      ['yolov7/bus.jpg', 'darknet/dog.jpg', 'yolov7/horses.jpg', 'yolov7/zidane.jpg'].map((p) =>
        readPhoto(sharedPath('images', p), { modelInput: 640 }),
      ),
    );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await detector.detectFrames(photos);
    } finally {
      clearInterval(timer);
    }
    // Behaviour, not speed: a blocked loop runs (almost) no 10 ms timers during a batch.
    expect(ticks).toBeGreaterThan(5);
  });

  it('gives one clear error for a missing or wrong runtimeLibrary', async () => {
    const model = sharedPath('models', 'yolov5s-coco-640-b1.onnx');
    await expect(
      createDetector({
        model,
        runtime: 'onnxruntime-capi',
        runtimeLibrary: '/nonexistent/libonnxruntime.so',
      }),
    ).rejects.toThrow(/ONNX Runtime library \/nonexistent\/libonnxruntime\.so does not exist/);
    await expect(
      createDetector({ model, runtime: 'onnxruntime-capi', runtimeLibrary: model, logger: silentLogger }),
    ).rejects.toThrow(/yolov5s-coco-640-b1\.onnx cannot be loaded|is not an ONNX Runtime library/);
    await expect(createDetector({ model, runtimeLibrary: '/x/libonnxruntime.so' })).rejects.toThrow(
      /runtimeLibrary is for runtime onnxruntime-capi/,
    );
  });

  it('refuses, on onnxruntime-node, the options it would drop, saying to use onnxruntime-capi', async () => {
    const model = sharedPath('models', 'yolov5s-coco-640-b1.onnx');
    await expect(
      createDetector({ model, providers: [{ name: 'tensorrt', fp16: true }, 'cpu'] }),
    ).rejects.toThrow(/tensorrt: option "fp16" needs runtime onnxruntime-capi/);
    await expect(
      createDetector({ model, providers: [{ name: 'cuda', gpuMemLimit: 2 ** 30 }, 'cpu'] }),
    ).rejects.toThrow(/cuda: option "gpuMemLimit" needs runtime onnxruntime-capi/);
    await expect(createDetector({ model, providers: [{ name: 'openvino', options: {} }] })).rejects.toThrow(
      /unknown execution provider "openvino" for onnxruntime-node.*runtime onnxruntime-capi/,
    );
  });

  it('refuses an unknown TensorRT key before anything loads, naming it', async () => {
    await expect(
      createDetector({
        model: sharedPath('models', 'yolov5s-coco-640-b1.onnx'),
        runtime: 'onnxruntime-capi',
        providers: [{ name: 'tensorrt', options: { trt_fp17_enable: true } }, 'cpu'],
      }),
    ).rejects.toThrow(/execution provider tensorrt: option "trt_fp17_enable": unknown key/);
  });
});
