import { openSource, type Source, silentLogger } from '@rxvision/decode';
import { createDetector, type DetectorStats, detect } from '@rxvision/detector';
import { createMqttPublisher, toMqtt } from '@rxvision/sinks';
import { track } from '@rxvision/tracker';
import { type Subscription, tap } from 'rxjs';
import { cpuShares, sampleCpu } from './cpu-split.js';
import { percentile, sleep } from './format.js';
import { subscribeDeliveries } from './mqtt-delivery.js';
import { benchProvider } from './raw-model.js';

export interface PipelineConfig {
  readonly modelPath: string;
  /** Detector `batch.size` (DeepStream `batch-size`). */
  readonly batch: number;
  /** Detector `batch.maxWaitMs` (DeepStream `batched-push-timeout`). */
  readonly maxWaitMs: number;
  /** onnxruntime intra-op threads; omitted = one per core. */
  readonly threads?: number;
  readonly cameras: number;
  /** Clips played as live cameras (native speed, looped), assigned round-robin. */
  readonly clips: readonly string[];
  /** Per-camera frame-rate cap applied in FFmpeg (Frigate `detect.fps`); omitted = the clip's rate. */
  readonly fps?: number;
  readonly warmupSeconds: number;
  readonly measureSeconds: number;
  readonly brokerUrl: string;
  readonly brokerPort: number;
  /** Calls `onSample` this often during the measured window (the soak's RSS/queue series). */
  readonly sampleEverySeconds?: number;
  readonly onSample?: (sample: PipelineSample) => void;
}

export interface PipelineSample {
  /** Seconds since the measured window opened. */
  readonly t: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  /** Frames submitted to the detector and not yet processed nor dropped (its queue, all cameras). */
  readonly detectorQueue: number;
  readonly processed: number;
  readonly dropped: number;
  /** Worst camera's lag behind its live clock (s): how far frames queue upstream of JavaScript. */
  readonly sourceLagSeconds: number;
}

export interface PipelineResult {
  readonly config: PipelineConfig;
  readonly provider: string;
  /** Frames that came out of the last stage (`toMqtt`) in the measured window. */
  readonly framesOut: number;
  readonly seconds: number;
  readonly fps: number;
  /** Frames offered by the sources in the window (after the FFmpeg fps cap). */
  readonly framesDecoded: number;
  /** Frames the detector dropped (newest frame per camera wins while it is busy). */
  readonly detectorDrops: number;
  readonly batches: number;
  readonly meanBatch: number;
  readonly inferenceMsPerBatch: number;
  /** Detector pre+postprocessing per frame (ms), from its own stats. */
  readonly overheadMsPerFrame: number;
  readonly delivered: number;
  readonly latencyP50: number;
  readonly latencyP95: number;
  /** Worst camera's lag behind its live clock at the end of the window (s); see `SourceLag`. */
  readonly sourceLagSeconds: number;
  /** How much that lag grew during the window (s): > 0 means frames pile up before JavaScript. */
  readonly sourceLagGrowthSeconds: number;
  readonly cpu: Record<string, number>;
  readonly errors: readonly string[];
}

/**
 * How late a file played "as live" is against its own clock: wall time elapsed since the first
 * frame minus media time elapsed. It stays near zero while JavaScript keeps up; it grows when
 * frames wait in FFmpeg or the pipe (FFmpeg's `-re` never skips, so a slow reader delays it).
 */
class SourceLag {
  private first: { wall: number; pts: number } | undefined;
  private lastPts = 0;
  lag = 0;
  observe(pts: number, capturedAt: number): void {
    // A loop restart (pts going back) re-anchors the clock.
    if (!this.first || pts < this.lastPts) this.first = { wall: capturedAt - this.lag * 1000, pts };
    this.lastPts = pts;
    this.lag = (capturedAt - this.first.wall) / 1000 - (pts - this.first.pts);
  }
}

const counters = (s: DetectorStats) => {
  let framesIn = 0;
  let processed = 0;
  let dropped = 0;
  for (const c of Object.values(s.cameras)) {
    framesIn += c.framesIn;
    processed += c.processed;
    dropped += c.dropped;
  }
  return {
    framesIn,
    processed,
    dropped,
    batches: s.batches,
    inferenceMs: s.inferenceMs.total,
    overheadMs: s.overheadMs,
  };
};

/**
 * N cameras through decode → detect (one shared, batched detector) → track → MQTT (a real
 * broker), measured after a warm-up: frames out per second, detector drops, capture→delivery
 * latency seen by a separate subscriber process, and where the CPU went.
 */
export async function runPipeline(config: PipelineConfig): Promise<PipelineResult> {
  const detector = await createDetector({
    model: config.modelPath,
    // No CPU fallback: a bench that silently measured the CPU instead would lie about the provider.
    providers: [
      benchProvider() === 'cpu' && config.threads
        ? { name: 'cpu', threads: config.threads }
        : benchProvider(),
    ],
    batch: { size: config.batch, maxWaitMs: config.maxWaitMs },
    logger: { ...silentLogger, warn: (m) => process.stderr.write(`${m}\n`) },
  });
  const publisher = createMqttPublisher({
    url: config.brokerUrl,
    topicPrefix: 'bench',
    statsIntervalMs: 0,
    discovery: false,
    logger: { ...silentLogger, warn: (m) => process.stderr.write(`${m}\n`) },
  });
  const log = await subscribeDeliveries(config.brokerPort, 'bench/+/detections');
  const errors: string[] = [];
  const subscriptions: Subscription[] = [];
  const sources: Source[] = [];
  const lags: SourceLag[] = [];
  const worstLag = () => lags.reduce((m, l) => Math.max(m, l.lag), 0);
  let framesOut = 0;
  try {
    for (let i = 0; i < config.cameras; i++) {
      const camera = `cam${i}`;
      const source = openSource({
        url: config.clips[i % config.clips.length]!,
        streamId: camera,
        realtime: true,
        loop: true,
        modelInput: detector.inputSize,
        ...(config.fps ? { fps: config.fps } : {}),
      });
      sources.push(source);
      const lag = new SourceLag();
      lags.push(lag);
      subscriptions.push(
        source.frames$
          .pipe(
            tap((frame) => lag.observe(frame.pts, frame.capturedAt)),
            detect(detector),
            track({ tracker: 'bytetrack' }),
            // Snapshots off: with an untrained model every random box would spawn a JPEG encoder.
            toMqtt(publisher, { camera, detectionsIntervalMs: 0, snapshot: false }),
          )
          .subscribe({
            next: () => {
              framesOut++;
            },
            error: (err: unknown) =>
              errors.push(`${camera}: ${err instanceof Error ? err.message : String(err)}`),
          }),
      );
    }
    await sleep(config.warmupSeconds * 1000);

    const decodedAt = () => sources.reduce((n, s) => n + s.stats().frames, 0);
    const before = {
      out: framesOut,
      decoded: decodedAt(),
      det: counters(detector.stats()),
      cpu: sampleCpu(),
      lag: worstLag(),
    };
    const windowStart = Date.now();
    const started = performance.now();
    const every = (config.sampleEverySeconds ?? 0) * 1000;
    while (performance.now() - started < config.measureSeconds * 1000) {
      await sleep(
        every > 0 ? Math.min(every, config.measureSeconds * 1000 - (performance.now() - started)) : 250,
      );
      if (every > 0 && config.onSample) {
        const mem = process.memoryUsage();
        const c = counters(detector.stats());
        config.onSample({
          t: (performance.now() - started) / 1000,
          rssMiB: mem.rss / 2 ** 20,
          heapUsedMiB: mem.heapUsed / 2 ** 20,
          detectorQueue: c.framesIn - c.processed - c.dropped,
          processed: c.processed - before.det.processed,
          dropped: c.dropped - before.det.dropped,
          sourceLagSeconds: worstLag(),
        });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const windowEnd = Date.now();
    const after = {
      out: framesOut,
      decoded: decodedAt(),
      det: counters(detector.stats()),
      cpu: sampleCpu(),
      lag: worstLag(),
    };

    const latencies = log.deliveries
      .filter((d) => d.receivedAt >= windowStart && d.receivedAt <= windowEnd)
      .map((d) => d.receivedAt - d.capturedAt)
      .sort((a, b) => a - b);
    for (const source of sources) {
      const st = source.stats();
      if (st.frames === 0) errors.push(`${st.streamId}: no frame decoded (state ${st.state})`);
      if (st.reconnects > 0) errors.push(`${st.streamId}: ${st.reconnects} reconnects, ${st.stalls} stalls`);
    }
    const batches = after.det.batches - before.det.batches;
    const processed = after.det.processed - before.det.processed;
    return {
      config,
      provider: detector.provider,
      framesOut: after.out - before.out,
      seconds,
      fps: (after.out - before.out) / seconds,
      framesDecoded: after.decoded - before.decoded,
      detectorDrops: after.det.dropped - before.det.dropped,
      batches,
      meanBatch: batches ? processed / batches : 0,
      inferenceMsPerBatch: batches ? (after.det.inferenceMs - before.det.inferenceMs) / batches : 0,
      overheadMsPerFrame: processed ? (after.det.overheadMs - before.det.overheadMs) / processed : 0,
      delivered: latencies.length,
      latencyP50: percentile(latencies, 50),
      latencyP95: percentile(latencies, 95),
      sourceLagSeconds: after.lag,
      sourceLagGrowthSeconds: after.lag - before.lag,
      cpu: cpuShares(before.cpu, after.cpu, seconds),
      errors,
    };
  } finally {
    for (const s of subscriptions) s.unsubscribe();
    await publisher.close(2000);
    await log.stop();
    await detector.close();
  }
}
