import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Frame, silentLogger } from '@rxvision/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { createDetector, type Detector } from '../src/index.js';
import { readPhoto } from './photo.js';

const model = sharedPath('models', 'yolov5s-coco-640.onnx');
const quiet = silentLogger;

/** Threads of this process (Linux): the worker and onnxruntime's pool inside it add some. */
function threadCount(): number {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^Threads:\s+(\d+)/m);
  return Number(line?.[1]);
}

/** How many 10 ms interval callbacks the event loop managed to run while `work` was pending. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('inferenceThread: worker vs main on the trained YOLOv5s grid model', () => {
  let worker: Detector;
  let main: Detector;
  let photos: Frame[];
  beforeAll(async () => {
    worker = await createDetector({ model, batch: { size: 4 }, inferenceThread: 'worker', logger: quiet });
    main = await createDetector({ model, batch: { size: 4 }, inferenceThread: 'main', logger: quiet });
    photos = await Promise.all(
      [
        'images/yolov7/bus.jpg',
        'images/darknet/dog.jpg',
        'images/yolov7/horses.jpg',
        'images/yolov7/zidane.jpg',
      ].map((p) => readPhoto(sharedPath(p), { modelInput: 640 })),
    );
  });
  afterAll(async () => {
    await worker?.close();
    await main?.close();
  });

  it('finds the same objects in the worker as on the main thread, batch after batch', async () => {
    expect(worker.contract).toEqual(main.contract);
    expect(worker.classNames).toEqual(main.classNames);
    expect(worker.provider).toBe('cpu');
    // Twice: the second run packs into the input buffer the worker handed back.
    for (let round = 0; round < 2; round++) {
      const [fromWorker, fromMain] = await Promise.all([
        worker.detectFrames(photos),
        main.detectFrames(photos),
      ]);
      expect(fromWorker.map((r) => r.detections)).toEqual(fromMain.map((r) => r.detections));
      expect(fromWorker[0]!.detections.some((d) => d.label === 'bus')).toBe(true);
      expect(fromWorker[1]!.detections.some((d) => d.label === 'dog')).toBe(true);
      expect(fromWorker.map((r) => r.frame)).toEqual(photos);
    }
    // A batch smaller than the buffer (a sub-view of it) also travels there and back.
    const [alone] = await worker.detectFrames([photos[1]!]);
    const [alsoAlone] = await main.detectFrames([photos[1]!]);
    expect(alone!.detections).toEqual(alsoAlone!.detections);
    expect(worker.stats().cameras[photos[0]!.streamId]!.processed).toBe(2);
  });

  it('keeps the event loop turning during inference in the worker, not on the main thread', async () => {
    // Behaviour, not speed: a blocked loop runs (almost) no 10 ms timers during a batch of four.
    const onMain = await ticksDuring(() => main.detectFrames(photos));
    const inWorker = await ticksDuring(() => worker.detectFrames(photos));
    expect(inWorker).toBeGreaterThan(onMain + 5);
  });
});

describe('inferenceThread: worker lifecycle', () => {
  it('ends the worker and its threads on close(); later calls reject', async () => {
    const before = threadCount();
    const detector = await createDetector({ model, inferenceThread: 'worker', logger: quiet });
    expect(threadCount()).toBeGreaterThan(before);
    await detector.close();
    expect(threadCount()).toBeLessThanOrEqual(before);
    const dog = await readPhoto(sharedPath('images/darknet/dog.jpg'), { modelInput: 640 });
    await expect(detector.detectFrames([dog])).rejects.toThrow(/closed/);
  });

  it('reports a model no provider in the worker can load, with the reasons, instead of waiting', async () => {
    const warnings: string[] = [];
    await expect(
      createDetector({
        model,
        providers: ['cuda'],
        inferenceThread: 'worker',
        logger: { ...silentLogger, warn: (m) => warnings.push(m) },
      }),
    ).rejects.toThrow(/no execution provider could load the model:\n {2}- cuda: .+\nAdd 'cpu'/);
  });

  it('passes the provider fallback warnings from the worker to the logger', async () => {
    const warnings: string[] = [];
    const detector = await createDetector({
      model,
      providers: ['cuda', 'cpu'],
      inferenceThread: 'worker',
      warmup: false,
      logger: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    await detector.close();
    expect(detector.provider).toBe('cpu');
    expect(warnings).toEqual([expect.stringMatching(/provider cuda skipped: .+/)]);
  });

  it('lets a process that created and closed a worker detector exit on its own, from the built dist/', () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      const { createDetector } = await import(${JSON.stringify(dist)});
      const d = await createDetector({ model: ${JSON.stringify(model)}, inferenceThread: 'worker', logger: { warn() {}, info() {} } });
      console.log(d.provider, d.contract.kind);
      await d.close();`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('cpu grid');
    expect(child.status).toBe(0);
  });
});
