import { openSource } from '@rxvision/decode';
import type { Subscription } from 'rxjs';
import { benchProvider } from './raw-model.js';
import { startSessionWorker } from './session-worker-client.js';

export interface RawBesideDecodeOptions {
  readonly modelPath: string;
  readonly batch: number;
  /** Sources decoded at the same time, opened exactly as the pipeline bench opens its cameras. */
  readonly cameras: number;
  readonly clips: readonly string[];
  readonly fps: number;
  /** Decoding before timing starts, so every source runs at its steady rate. */
  readonly settleSeconds: number;
  readonly seconds: number;
}

export interface RawBesideDecodeResult {
  readonly imagesPerSecond: number;
  readonly framesDecoded: number;
}

/**
 * Raw `session.run` throughput (in a worker thread, as the detector runs it) while `cameras`
 * sources decode the pipeline's clips into JavaScript, which reads and discards every frame. The
 * gap to the bare raw figure is what decoding alone takes from the model on this machine; the gap
 * from this figure to the pipeline's is what rxvision's detect → track → MQTT path costs.
 */
export async function measureRawBesideDecode(
  options: RawBesideDecodeOptions,
): Promise<RawBesideDecodeResult> {
  const worker = await startSessionWorker({
    modelPath: options.modelPath,
    batch: options.batch,
    provider: benchProvider(),
  });
  const subscriptions: Subscription[] = [];
  const sources = Array.from({ length: options.cameras }, (_, i) =>
    openSource({
      url: options.clips[i % options.clips.length]!,
      streamId: `decode${i}`,
      realtime: true,
      loop: true,
      fps: options.fps,
      modelInput: { width: 640, height: 640 },
    }),
  );
  try {
    for (const source of sources) subscriptions.push(source.frames$.subscribe());
    await new Promise((resolve) => setTimeout(resolve, options.settleSeconds * 1000));
    const decodedBefore = sources.reduce((n, s) => n + s.stats().frames, 0);
    const started = performance.now();
    let runs = 0;
    while (performance.now() - started < options.seconds * 1000) {
      await worker.run();
      runs++;
    }
    const elapsed = performance.now() - started;
    return {
      imagesPerSecond: (runs * options.batch * 1000) / elapsed,
      framesDecoded: sources.reduce((n, s) => n + s.stats().frames, 0) - decodedBefore,
    };
  } finally {
    for (const s of subscriptions) s.unsubscribe();
    await worker.close();
  }
}
