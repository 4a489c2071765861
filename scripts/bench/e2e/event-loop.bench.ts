import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { Benchmark } from '../../../testing/bench-types.js';
import { round } from '../lib/format.js';
import { yolov7Tiny } from '../lib/models.js';
import { startSessionWorker } from '../lib/session-worker-client.js';

interface Outcome {
  readonly imagesPerSecond: number;
  readonly delayP50: number;
  readonly delayP99: number;
  readonly delayMax: number;
}

/** Runs `runOnce` for `seconds` while sampling how late the event loop gets to run timers. */
async function measure(runOnce: () => Promise<void>, batch: number, seconds: number): Promise<Outcome> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const started = performance.now();
  let runs = 0;
  while (performance.now() - started < seconds * 1000) {
    await runOnce();
    runs++;
  }
  const elapsed = (performance.now() - started) / 1000;
  histogram.disable();
  const ms = (ns: number) => ns / 1e6;
  return {
    imagesPerSecond: (runs * batch) / elapsed,
    delayP50: ms(histogram.percentile(50)),
    delayP99: ms(histogram.percentile(99)),
    delayMax: ms(histogram.max),
  };
}

async function onMainThread(modelPath: string, batch: number, seconds: number): Promise<Outcome> {
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  const data = new Float32Array(batch * 3 * 640 * 640).fill(114 / 255);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', data, [batch, 3, 640, 640]) };
  await session.run(feeds);
  try {
    return await measure(
      async () => {
        await session.run(feeds);
      },
      batch,
      seconds,
    );
  } finally {
    await session.release();
  }
}

async function inWorker(modelPath: string, batch: number, seconds: number): Promise<Outcome> {
  const worker = await startSessionWorker({ modelPath, batch });
  try {
    return await measure(() => worker.run(), batch, seconds);
  } finally {
    await worker.close();
  }
}

/**
 * What onnxruntime-node's synchronous `session.run` does to the event loop, and whether running
 * the session in a worker thread keeps the same throughput with the loop free.
 */
const bench: Benchmark = async ({ quick, sharedDir }) => {
  const model = yolov7Tiny(sharedDir);
  const seconds = quick ? 1.5 : 6;
  const rows: Array<Record<string, string | number>> = [];
  const summary: Record<string, number> = {};
  // Alternate the two so that load drifts on a shared machine hit both.
  const order = quick ? ['main', 'worker'] : ['main', 'worker', 'main', 'worker'];
  const results: Record<string, Outcome[]> = { main: [], worker: [] };
  for (const where of order) {
    const run = where === 'main' ? onMainThread : inWorker;
    results[where]!.push(await run(model.path, 1, seconds));
  }
  for (const [where, outcomes] of Object.entries(results)) {
    const mean = (f: (o: Outcome) => number) => outcomes.reduce((a, o) => a + f(o), 0) / outcomes.length;
    rows.push({
      'session.run on': where === 'main' ? 'main thread (onnxruntime-node as is)' : 'a worker_threads worker',
      'images/s': round(
        mean((o) => o.imagesPerSecond),
        2,
      ),
      'event-loop delay p50 ms': round(
        mean((o) => o.delayP50),
        1,
      ),
      'p99 ms': round(
        mean((o) => o.delayP99),
        1,
      ),
      'max ms': round(
        mean((o) => o.delayMax),
        1,
      ),
    });
    summary[`event_loop_delay_p99_ms_${where}`] = round(
      mean((o) => o.delayP99),
      1,
    );
    summary[`session_run_fps_${where}`] = round(
      mean((o) => o.imagesPerSecond),
      2,
    );
  }
  summary.worker_vs_main_fps = round(
    (summary.session_run_fps_worker ?? 0) / (summary.session_run_fps_main ?? 1),
    3,
  );
  return {
    name: `Event loop during inference: session.run on the main thread vs in a worker (${model.name}, batch 1)`,
    rows,
    summary,
    notes:
      'Back-to-back `session.run` for ' +
      `${seconds} s each way (alternated), with perf_hooks.monitorEventLoopDelay sampling how late timers run. ` +
      'On the main thread the loop is blocked for a whole inference each time, which is what keeps FFmpeg pipes ' +
      'unread and MQTT keep-alives waiting in the pipeline; in a worker the loop stays free.',
  };
};

export default bench;
