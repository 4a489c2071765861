import { join } from 'node:path';
import { type Frame, readImage } from '@rxvision/decode';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { interval, map, merge, type Subscription } from 'rxjs';
import type { Benchmark, BenchReport } from '../../../scripts/bench/types.js';
import { createDetector, type Detector, detect } from '../src/index.js';

const MODELS = [
  { label: 'YOLOv7-tiny (untrained)', file: 'yolov7-tiny-640-untrained.onnx' },
  { label: 'YOLOv5s (trained)', file: 'yolov5s-coco-640.onnx' },
] as const;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Milliseconds of each bare `session.run` on a tensor prepared once. */
async function rawRuns(session: InferenceSession, batch: number, runs: number): Promise<number[]> {
  const input = new Tensor('float32', new Float32Array(batch * 3 * 640 * 640).fill(114 / 255), [
    batch,
    3,
    640,
    640,
  ]);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await session.run({ images: input });
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * Milliseconds between consecutive batches coming out of `detect()` while `batch` cameras each
 * offer a frame every 2 ms (the detector is saturated and drops), over `runs` batches.
 */
function operatorRuns(detector: Detector, frame: Frame, batch: number, runs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const intervals: number[] = [];
    let lastBatches = detector.stats().batches;
    let lastAt = 0;
    const cameras = Array.from({ length: batch }, (_, cam) =>
      interval(2).pipe(
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
        lastAt = now;
        lastBatches = batches;
        if (intervals.length >= runs) {
          subscription.unsubscribe();
          resolve(intervals);
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
    for (const batch of [1, 4]) {
      const session = await InferenceSession.create(path, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
      });
      const detector = await createDetector({ model: path, batch: { size: batch, maxWaitMs: 0 } });
      await rawRuns(session, batch, 1);
      const raw: number[] = [];
      const operator: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // Interleaved, and medians taken, so that machine noise hits both sides alike.
        raw.push(...(await rawRuns(session, batch, runs)));
        operator.push(...(await operatorRuns(detector, frame, batch, runs)));
      }
      const rawMs = median(raw) / batch;
      const operatorMs = median(operator) / batch;
      const stats = detector.stats();
      const frames = Object.values(stats.cameras).reduce((n, c) => n + c.processed, 0);
      await detector.close();
      await session.release();
      const ratio = rawMs / operatorMs;
      const nonInferenceMs = operatorMs - rawMs;
      const key = `${model.file.startsWith('yolov5s') ? 'yolov5s' : 'yolov7_tiny'}_b${batch}`;
      summary[`detector_vs_raw_${key}`] = Number(ratio.toFixed(3));
      rows.push({
        model: model.label,
        batch,
        provider: stats.provider,
        'raw session.run fps': Number((1000 / rawMs).toFixed(2)),
        'detect() fps': Number((1000 / operatorMs).toFixed(2)),
        detector_vs_raw: Number(ratio.toFixed(3)),
        'non-inference ms/frame (wall)': Number(nonInferenceMs.toFixed(2)),
        'pre+post ms/frame (measured)': Number((stats.overheadMs / frames).toFixed(2)),
      });
    }
  }
  summary.detector_vs_raw = Number(Math.min(...Object.values(summary)).toFixed(3));
  return {
    name: 'Detector: detect() end to end vs raw session.run (CPU)',
    rows,
    summary,
    notes:
      'Same model, batch and provider (onnxruntime-node CPU) in one run: bare session.run on a ready tensor vs the ' +
      'detect() operator with N saturated cameras (FFmpeg-letterboxed input, packing, batching, decode, NMS); ' +
      'medians of interleaved rounds. ' +
      'No GPU was lent to this task, so only the CPU provider is measured.',
  };
};

export default bench;
