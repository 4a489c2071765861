import { join } from 'node:path';
import type { BenchmarkSuite, BenchReport } from '../../../testing/bench-types.js';
import { startMosquitto } from '../../../testing/mosquitto.js';
import {
  type PipelineConfig,
  type PipelineResult,
  type PipelineSample,
  runPipeline,
} from '../lib/camera-pipeline.js';
import { round } from '../lib/format.js';
import { profileMainThread, summariseProfile } from '../lib/main-thread-profile.js';
import { yolov7Tiny } from '../lib/models.js';
import { measureRawBesideDecode, type RawBesideDecodeResult } from '../lib/raw-beside-decode.js';
import { measureRawModel } from '../lib/raw-model.js';

/** Frigate's default `detect.fps`: what a camera hands the detector after FFmpeg's fps filter. */
const CAMERA_FPS = 5;
/** Batch window for batch > 1: DeepStream's sample configs use `batched-push-timeout=40000` (µs). */
const BATCH_WAIT_MS = 40;

/** `RXVISION_BENCH_SOAK_S`: shorten the full soak's measured part while developing the suite. */
function soakSecondsOverride(): number | undefined {
  const value = Number(process.env.RXVISION_BENCH_SOAK_S);
  return value > 0 ? value : undefined;
}

interface Plan {
  readonly sweep: ReadonlyArray<{ cameras: number; batch: number }>;
  /** The sweep point whose main thread is profiled (where the time goes at saturation); none in --quick. */
  readonly profiled?: { cameras: number; batch: number };
  readonly warmup: number;
  readonly measure: number;
  readonly latencySeconds: number;
  readonly soakWarmup: number;
  readonly soakMeasure: number;
  readonly soakSampleEvery: number;
  readonly rawRuns: number;
  /** Measure raw throughput after each configuration too (and average), not only before. */
  readonly rawAfter: boolean;
}

const FULL: Plan = {
  sweep: [1, 2, 4, 8].flatMap((cameras) => [1, 4].map((batch) => ({ cameras, batch }))),
  profiled: { cameras: 4, batch: 1 },
  warmup: 4,
  measure: 12,
  latencySeconds: 15,
  soakWarmup: 60,
  soakMeasure: soakSecondsOverride() ?? 540,
  soakSampleEvery: 5,
  rawRuns: 6,
  rawAfter: true,
};

/** Batch of the soak: DeepStream-style batching under overload, the best row of every full run so far. */
const SOAK_BATCH = 4;

// --quick: no sweep; the soak (1 min, batch 4, saturated) is the saturation point.
const QUICK: Plan = {
  sweep: [],
  warmup: 1.5,
  measure: 4,
  latencySeconds: 4,
  soakWarmup: 12,
  soakMeasure: 48,
  soakSampleEvery: 1,
  rawRuns: 3,
  rawAfter: false,
};

interface Measured {
  readonly result: PipelineResult;
  /** Raw `session.run` images/s at the same batch, measured right before and right after. */
  readonly rawFps: number;
}

/**
 * End-to-end: cameras (shared clips played as live) → decode → detect → track → MQTT (real
 * mosquitto), against raw `session.run` throughput at the same model, batch and provider, measured
 * just before and after each configuration so machine noise hits both alike.
 */
const suite: BenchmarkSuite = async ({ quick, sharedDir }) => {
  const plan = quick ? QUICK : FULL;
  const model = yolov7Tiny(sharedDir);
  const clips = ['people-walking-indoor.mp4', 'street-cars.mp4', 'parking-lot-top-down.mp4'].map((f) =>
    join(sharedDir, 'videos', f),
  );
  /** Every raw images/s figure of the run, by batch (unthreaded runs only). */
  const rawByBatch = new Map<number, number[]>();
  const raw = async (batch: number, threads?: number) => {
    const { imagesPerSecond } = await measureRawModel({
      modelPath: model.path,
      batch,
      runs: plan.rawRuns,
      maxSeconds: 4,
      ...(threads ? { threads } : {}),
    });
    if (!threads) rawByBatch.set(batch, [...(rawByBatch.get(batch) ?? []), imagesPerSecond]);
    return imagesPerSecond;
  };
  const broker = await startMosquitto();
  const base = { modelPath: model.path, clips, brokerUrl: broker.url, brokerPort: broker.port };
  let profile: ReturnType<typeof summariseProfile> = [];
  const measured = async (
    config: Omit<PipelineConfig, keyof typeof base>,
    profiled = false,
    rawBefore?: number,
  ): Promise<Measured> => {
    const before = rawBefore ?? (await raw(config.batch, config.threads));
    const run = () => runPipeline({ ...base, ...config });
    let result: PipelineResult;
    if (profiled) {
      const out = await profileMainThread(run);
      result = out.result;
      profile = summariseProfile(out.profile);
    } else {
      result = await run();
    }
    process.stderr.write(
      `  ${config.cameras} cameras, batch ${config.batch}: ${result.fps.toFixed(2)} fps (raw ${before.toFixed(2)})${result.errors.length ? ` errors: ${result.errors.join('; ')}` : ''}\n`,
    );
    if (!plan.rawAfter) return { result, rawFps: before };
    const after = await raw(config.batch, config.threads);
    return { result, rawFps: (before + after) / 2 };
  };

  try {
    // Latency first, at a rate the detector sustains: a third of what it can do at batch 1. If the
    // camera still falls behind its live clock (the machine got busier), halve the rate once.
    const capacity = await raw(1);
    let sustainable = Math.max(1, Math.floor(capacity / 3));
    const latencyAt = (fps: number, rawBefore?: number) =>
      measured(
        {
          cameras: 1,
          batch: 1,
          maxWaitMs: 0,
          fps,
          warmupSeconds: plan.warmup,
          measureSeconds: plan.latencySeconds,
        },
        false,
        rawBefore,
      );
    let single = await latencyAt(sustainable, capacity);
    if (!quick && !sustained(single.result) && sustainable > 1) {
      sustainable = Math.max(1, Math.floor(sustainable / 2));
      single = await latencyAt(sustainable);
    }
    const latencyRuns: Measured[] = [single];
    if (!quick) {
      // Batching at the same total load: 4 cameras sharing batches of 4 (DeepStream-style timeout).
      latencyRuns.push(
        await measured({
          cameras: 4,
          batch: 4,
          maxWaitMs: 100,
          fps: Math.max(1, sustainable / 4),
          warmupSeconds: plan.warmup,
          measureSeconds: plan.latencySeconds,
        }),
      );
    }

    const sweep: Measured[] = [];
    for (const { cameras, batch } of plan.sweep) {
      const profiled = cameras === plan.profiled?.cameras && batch === plan.profiled.batch;
      sweep.push(
        await measured(
          {
            cameras,
            batch,
            maxWaitMs: batch > 1 ? BATCH_WAIT_MS : 0,
            fps: CAMERA_FPS,
            warmupSeconds: plan.warmup,
            measureSeconds: plan.measure,
          },
          profiled,
        ),
      );
    }

    // Soak: enough cameras that the sources offer three times what the detector can take, taking
    // the best raw images/s seen so far at any batch so that a noisy low one cannot undersize the overload.
    const soakRaw = await raw(SOAK_BATCH);
    const bestRaw = Math.max(...[...rawByBatch.values()].flat());
    const soakCameras = Math.max(2, Math.ceil((3 * bestRaw) / CAMERA_FPS));
    const samples: PipelineSample[] = [];
    const soak = await measured(
      {
        cameras: soakCameras,
        batch: SOAK_BATCH,
        maxWaitMs: BATCH_WAIT_MS,
        fps: CAMERA_FPS,
        warmupSeconds: plan.soakWarmup,
        measureSeconds: plan.soakMeasure,
        sampleEverySeconds: plan.soakSampleEvery,
        onSample: (s) => samples.push(s),
      },
      false,
      soakRaw,
    );
    if (quick) sweep.push(soak);

    // Split the best row's gap to raw: what decoding its cameras alone takes from the model.
    const best = bestRow(sweep);
    const beside = await measureRawBesideDecode({
      modelPath: model.path,
      batch: best.result.config.batch,
      cameras: best.result.config.cameras,
      clips,
      fps: CAMERA_FPS,
      settleSeconds: quick ? 1 : 1.5,
      seconds: quick ? 3 : plan.measure,
    });
    process.stderr.write(
      `  raw beside ${best.result.config.cameras} decoding cameras, batch ${best.result.config.batch}: ${beside.imagesPerSecond.toFixed(2)} images/s\n`,
    );

    return [
      throughputReport(sweep, model.name, quick),
      gapReport(best, beside),
      latencyReport(latencyRuns, capacity),
      soakReport(soak, samples, plan),
      ...(plan.profiled ? [profileReport(profile, plan.profiled)] : []),
    ];
  } finally {
    await broker.stop();
  }
};

/** Whether every camera kept up with its live clock (less than 1 s of lag gained in the window). */
const sustained = (r: PipelineResult) => r.sourceLagGrowthSeconds < 1;

/** Share of the measured wall time the model was running: 1.0 = the detector never waited. */
const busyShare = (r: PipelineResult) => (r.batches * r.inferenceMsPerBatch) / (1000 * r.seconds);

function throughputRow(m: Measured): Record<string, string | number> {
  const r = m.result;
  return {
    cameras: r.config.cameras,
    batch: r.config.batch,
    'offered fps': r.config.cameras * (r.config.fps ?? 0),
    'pipeline fps': round(r.fps, 2),
    'raw fps': round(m.rawFps, 2),
    'pipeline/raw': round(r.fps / m.rawFps, 3),
    'detector busy %': round(busyShare(r) * 100, 1),
    'inference ms/batch (raw)': `${round(r.inferenceMsPerBatch, 0)} (${round((1000 * r.config.batch) / m.rawFps, 0)})`,
    'mean batch': round(r.meanBatch, 2),
    'detector drops': r.detectorDrops,
    'overhead ms/frame': round(r.overheadMsPerFrame, 1),
    'p50 ms': round(r.latencyP50, 0),
    'p95 ms': round(r.latencyP95, 0),
    'source lag growth s': round(r.sourceLagGrowthSeconds, 1),
    'CPU (cores)': Object.entries(r.cpu)
      .filter(([, v]) => v >= 0.01)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    ...(r.errors.length ? { errors: r.errors.join('; ') } : {}),
  };
}

/** The configuration pipeline_vs_raw is taken at: the highest end-to-end fps (always a saturated one). */
const bestRow = (sweep: readonly Measured[]) => sweep.reduce((a, b) => (b.result.fps > a.result.fps ? b : a));

function throughputReport(sweep: readonly Measured[], modelName: string, quick: boolean): BenchReport {
  const best = bestRow(sweep);
  return {
    name: `End-to-end throughput: N cameras → decode → detect → track → MQTT (${modelName}, CPU)`,
    rows: sweep.map(throughputRow),
    summary: {
      pipeline_vs_raw: round(best.result.fps / best.rawFps, 3),
      pipeline_detector_busy_share: round(busyShare(best.result), 3),
      pipeline_fps: round(best.result.fps, 2),
      pipeline_raw_fps: round(best.rawFps, 2),
      pipeline_cameras: best.result.config.cameras,
      model: modelName,
      batch_size: best.result.config.batch,
      provider: best.result.provider,
    },
    notes:
      `Each camera is a shared clip played at native speed and looped, capped at ${CAMERA_FPS} fps by FFmpeg ` +
      "(Frigate's default detect fps); one detector shared by all cameras (maxWaitMs 0 at batch 1, " +
      `${BATCH_WAIT_MS} at batch 4 like DeepStream's batched-push-timeout). 'raw fps' is ` +
      '`session.run` on a ready tensor, same model, batch and provider, measured right before and after each ' +
      'row; pipeline_vs_raw is taken at the row with the highest pipeline fps. "detector busy %" is the share ' +
      'of the window the model was running, measured inside the same run (immune to load from other ' +
      'processes); the in-pipeline inference time next to the raw one shows what decode and JS took from it. ' +
      'Latency is capture (frame ' +
      'leaves FFmpeg into JavaScript) to delivery at a separate mosquitto_sub process. ' +
      (quick ? 'Quick mode: the only saturated row is the soak run.' : ''),
  };
}

function gapReport(best: Measured, beside: RawBesideDecodeResult): BenchReport {
  const { cameras, batch } = best.result.config;
  const raw = best.rawFps;
  const decodeKept = beside.imagesPerSecond / raw;
  const pipelineKept = best.result.fps / beside.imagesPerSecond;
  return {
    name: `Where the gap to raw goes (${cameras} cameras, batch ${batch}: the pipeline_vs_raw row)`,
    rows: [
      { measured: 'raw session.run, nothing else running', 'images/s': round(raw, 2), 'vs raw': 1 },
      {
        measured: `raw session.run (worker thread) while ${cameras} cameras decode into JS, frames discarded`,
        'images/s': round(beside.imagesPerSecond, 2),
        'vs raw': round(decodeKept, 3),
      },
      {
        measured: 'the pipeline: decode → detect → track → MQTT',
        'images/s': round(best.result.fps, 2),
        'vs raw': round(best.result.fps / raw, 3),
        'vs raw beside decode': round(pipelineKept, 3),
      },
    ],
    summary: {
      raw_beside_decode_fps: round(beside.imagesPerSecond, 2),
      raw_beside_decode_vs_raw: round(decodeKept, 3),
      pipeline_vs_raw_beside_decode: round(pipelineKept, 3),
    },
    notes:
      'pipeline_vs_raw = (raw beside decode / raw) × (pipeline / raw beside decode). The first factor is what ' +
      "decoding the cameras (FFmpeg, and Node reading the pipes) takes from the model's cores on this machine, " +
      'with no rxvision code running: on a CPU-only box inference and decoding share the same cores, and ' +
      "onnxruntime's intra-op threads wait for their slowest member, so a small load costs more than its own share. " +
      'The second factor is what rxvision adds: packing, batching, worker hand-over, decode of outputs, NMS, ' +
      'tracking and MQTT. With a GPU or hardware decode the first factor goes to 1.',
  };
}

function latencyReport(runs: readonly Measured[], capacity: number): BenchReport {
  const first = runs[0]!.result;
  return {
    name: 'Latency: frame capture → MQTT delivery at a rate the detector sustains',
    rows: runs.map(({ result: r }) => ({
      cameras: r.config.cameras,
      batch: r.config.batch,
      'maxWait ms': r.config.maxWaitMs,
      'fps per camera': round(r.config.fps ?? 0, 2),
      'frames out': r.framesOut,
      delivered: r.delivered,
      'p50 ms': round(r.latencyP50, 0),
      'p95 ms': round(r.latencyP95, 0),
      'inference ms/batch': round(r.inferenceMsPerBatch, 0),
      'mean batch': round(r.meanBatch, 2),
      'source lag growth s': round(r.sourceLagGrowthSeconds, 1),
      sustained: sustained(r) ? 'yes' : 'NO: frames fell behind',
    })),
    summary: {
      latency_p50_ms: round(first.latencyP50, 0),
      latency_p95_ms: round(first.latencyP95, 0),
      latency_fps: round((first.config.fps ?? 0) * first.config.cameras, 2),
    },
    notes:
      `Total camera rate set to a third of the detector's measured capacity (${round(capacity, 2)} images/s at ` +
      'batch 1), halved once if the camera still fell behind its live clock. ' +
      'Capture time is when the frame left FFmpeg into JavaScript (Frame.capturedAt, carried in the ' +
      '`detections` payload as frame_time); delivery is when a separate mosquitto_sub process received it.',
  };
}

function soakReport(soak: Measured, samples: readonly PipelineSample[], plan: Plan): BenchReport {
  const r = soak.result;
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const mean = (xs: readonly PipelineSample[], f: (s: PipelineSample) => number) =>
    xs.reduce((a, s) => a + f(s), 0) / Math.max(1, xs.length);
  const head = samples.slice(0, fifth);
  const tail = samples.slice(-fifth);
  const rssStart = mean(head, (s) => s.rssMiB);
  const rssEnd = mean(tail, (s) => s.rssMiB);
  const growth = ((rssEnd - rssStart) / rssStart) * 100;
  const maxQueue = samples.reduce((m, s) => Math.max(m, s.detectorQueue), 0);
  const offered = r.config.cameras * (r.config.fps ?? 0);
  return {
    name: `Soak: sources offer ${round(offered / soak.rawFps, 1)}× what the detector can take at batch ${r.config.batch}, ${Math.round((plan.soakWarmup + plan.soakMeasure) / 60)} min`,
    rows: [
      {
        cameras: r.config.cameras,
        'offered fps': offered,
        'pipeline fps': round(r.fps, 2),
        'raw fps': round(soak.rawFps, 2),
        'RSS start MiB': round(rssStart, 1),
        'RSS end MiB': round(rssEnd, 1),
        'RSS growth %': round(growth, 2),
        'heap start→end MiB': `${round(
          mean(head, (s) => s.heapUsedMiB),
          1,
        )} → ${round(
          mean(tail, (s) => s.heapUsedMiB),
          1,
        )}`,
        'detector drops': r.detectorDrops,
        'decoded frames': r.framesDecoded,
        'max detector queue': maxQueue,
        'source lag start→end s': `${round(
          mean(head, (s) => s.sourceLagSeconds),
          1,
        )} → ${round(
          mean(tail, (s) => s.sourceLagSeconds),
          1,
        )}`,
        ...(r.errors.length ? { errors: r.errors.join('; ') } : {}),
      },
    ],
    summary: {
      rss_growth_pct: round(growth, 2),
      soak_detector_drops: r.detectorDrops,
      soak_max_detector_queue: maxQueue,
      soak_source_lag_growth_s: round(r.sourceLagGrowthSeconds, 1),
    },
    notes:
      `Warm-up ${plan.soakWarmup} s, then ${plan.soakMeasure} s sampled every ${plan.soakSampleEvery} s; RSS growth compares ` +
      'the mean of the last fifth of the samples with the first fifth. "max detector queue" is frames submitted ' +
      'and neither processed nor dropped (bounded by one per camera by design). "source lag" is how far each ' +
      'camera has fallen behind its own live clock: frames waiting in FFmpeg and the pipe, outside JavaScript.',
  };
}

function profileReport(
  profile: ReturnType<typeof summariseProfile>,
  at: { cameras: number; batch: number },
): BenchReport {
  return {
    name: `Where the main thread's time goes at saturation (${at.cameras} cameras, batch ${at.batch})`,
    rows: profile
      .filter((p) => p.share >= 0.001)
      .map((p) => ({
        where: p.where,
        'ms (self)': round(p.ms, 0),
        'share of wall time': `${round(p.share * 100, 1)} %`,
      })),
    summary: {
      main_thread_inference_share: round(
        profile.find((p) => p.where.startsWith('onnxruntime'))?.share ?? 0,
        3,
      ),
    },
    notes:
      "V8's sampling profiler (what `node --cpu-prof` records) on the main thread during that sweep row, " +
      'warm-up included; self time grouped by the script a sample was in. Inference shows up here only when ' +
      "the detector runs onnxruntime on the main thread (onnxruntime-node's `run` is synchronous); with the " +
      "detector's default worker thread the main thread should be mostly idle.",
  };
}

export default suite;
