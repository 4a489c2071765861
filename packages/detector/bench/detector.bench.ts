import { join } from 'node:path';
import { type Frame, readImage } from '@rxvision/decode';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { interval, map, merge, type Subscription } from 'rxjs';
import type { Benchmark, BenchReport } from '../../../testing/bench-types.js';
import { createDetector, type Detector, detect } from '../src/index.js';

const MODELS = [
  { label: 'YOLOv7-tiny (untrained)', file: 'yolov7-tiny-640-untrained.onnx' },
  { label: 'YOLOv5s (trained)', file: 'yolov5s-coco-640.onnx' },
] as const;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Process CPU milliseconds (all threads, onnxruntime's included) since `since`. */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

interface Sample {
  /** Wall milliseconds per batch, one entry per batch. */
  readonly wall: number[];
  readonly cpuMs: number;
  readonly frames: number;
}

/** Bare `session.run` on a tensor prepared once. */
async function rawRuns(session: InferenceSession, batch: number, runs: number): Promise<Sample> {
  const data = new Float32Array(batch * 3 * 640 * 640).fill(114 / 255);
  const input = new Tensor('float32', data, [batch, 3, 640, 640]);
  const wall: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await session.run({ images: input });
    wall.push(performance.now() - started);
  }
  return { wall, cpuMs: cpuMs(cpu), frames: runs * batch };
}

/**
 * `detect()` while `batch` cameras each offer a frame every 20 ms, 50 fps (the detector is saturated and
 * drops): wall time between consecutive batches and CPU time, over `runs` batches.
 */
function operatorRuns(detector: Detector, frame: Frame, batch: number, runs: number): Promise<Sample> {
  const processed = () => Object.values(detector.stats().cameras).reduce((n, c) => n + c.processed, 0);
  return new Promise((resolve, reject) => {
    const intervals: number[] = [];
    let lastBatches = detector.stats().batches;
    let lastAt = 0;
    let cpu = process.cpuUsage();
    let firstFrames = 0;
    const cameras = Array.from({ length: batch }, (_, cam) =>
      interval(20).pipe(
        map((seq): Frame => ({ ...frame, streamId: `cam${cam}`, seq })),
        detect(detector),
      ),
    );
    const subscription: Subscription = merge(...cameras).subscribe({
      next: () => {
        const batches = detector.stats().batches;
        if (batches === lastBatches) return;
        const now = performance.now();
        if (lastAt > 0) intervals.push((now - lastAt) / (batches - lastBatches));
        else {
          cpu = process.cpuUsage();
          firstFrames = processed();
        }
        lastAt = now;
        lastBatches = batches;
        if (intervals.length >= runs) {
          subscription.unsubscribe();
          resolve({ wall: intervals, cpuMs: cpuMs(cpu), frames: processed() - firstFrames });
        }
      },
      error: reject,
    });
  });
}

const bench: Benchmark = async ({ quick, sharedDir }): Promise<BenchReport> => {
  const runs = quick ? 3 : 8;
  const rounds = quick ? 2 : 3;
  const frame = await readImage(join(sharedDir, 'images', 'yolov7', 'bus.jpg'), {
    modelInput: { width: 640, height: 640 },
  });
  const rows: Record<string, string | number>[] = [];
  const summary: Record<string, number> = {};
  for (const model of MODELS) {
    const path = join(sharedDir, 'models', model.file);
    // --quick: YOLOv7-tiny only (the models bench still times the trained model's raw session.run).
    if (quick && model.file.startsWith('yolov5s')) continue;
    for (const batch of [1, 4]) {
      const session = await InferenceSession.create(path, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
      });
      const detector = await createDetector({ model: path, batch: { size: batch, maxWaitMs: 0 } });
      await rawRuns(session, batch, 1);
      const raw: Sample[] = [];
      const operator: Sample[] = [];
      for (let r = 0; r < rounds; r++) {
        // Interleaved, and medians taken, so that machine noise hits both sides alike.
        raw.push(await rawRuns(session, batch, runs));
        operator.push(await operatorRuns(detector, frame, batch, runs));
      }
      const rawMs = median(raw.flatMap((s) => s.wall)) / batch;
      const operatorMs = median(operator.flatMap((s) => s.wall)) / batch;
      const perFrameCpu = (samples: Sample[]) =>
        samples.reduce((n, s) => n + s.cpuMs, 0) / samples.reduce((n, s) => n + s.frames, 0);
      const rawCpu = perFrameCpu(raw);
      const operatorCpu = perFrameCpu(operator);
      const stats = detector.stats();
      const frames = Object.values(stats.cameras).reduce((n, c) => n + c.processed, 0);
      await detector.close();
      await session.release();
      const ratio = rawMs / operatorMs;
      const nonInferenceMs = operatorMs - rawMs;
      const key = `${model.file.startsWith('yolov5s') ? 'yolov5s' : 'yolov7_tiny'}_b${batch}`;
      summary[`detector_vs_raw_${key}`] = Number(ratio.toFixed(3));
      summary[`detector_vs_raw_cpu_${key}`] = Number((rawCpu / operatorCpu).toFixed(3));
      rows.push({
        model: model.label,
        batch,
        provider: stats.provider,
        'raw session.run fps': Number((1000 / rawMs).toFixed(2)),
        'detect() fps': Number((1000 / operatorMs).toFixed(2)),
        detector_vs_raw: Number(ratio.toFixed(3)),
        'non-inference ms/frame (wall)': Number(nonInferenceMs.toFixed(2)),
        'pre+post ms/frame (measured)': Number((stats.overheadMs / frames).toFixed(2)),
        'CPU ms/frame raw': Number(rawCpu.toFixed(1)),
        'CPU ms/frame detect()': Number(operatorCpu.toFixed(1)),
        detector_vs_raw_cpu: Number((rawCpu / operatorCpu).toFixed(3)),
      });
    }
  }
  const worst = (prefix: string) =>
    Math.min(
      ...Object.entries(summary)
        .filter(([k]) => k.startsWith(prefix) && !k.startsWith(`${prefix}cpu_`))
        .map(([, v]) => v),
    );
  summary.detector_vs_raw = Number(worst('detector_vs_raw_').toFixed(3));
  summary.detector_vs_raw_cpu = Number(worst('detector_vs_raw_cpu_').toFixed(3));
  return {
    name: 'Detector: detect() end to end vs raw session.run (CPU)',
    rows,
    summary,
    notes:
      'Same model, batch and provider (onnxruntime-node CPU) in one run: bare session.run on a ready tensor vs the ' +
      'detect() operator with N saturated 50 fps cameras (FFmpeg-letterboxed input, packing, batching, decode, NMS); ' +
      'wall: medians of interleaved rounds (noisy on a shared machine); cpu: process CPU time per frame, ' +
      'onnxruntime threads included (robust to load). ' +
      'No GPU was lent to this task, so only the CPU provider is measured.',
  };
};

export default bench;
