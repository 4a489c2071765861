import * as ort from 'onnxruntime-node';

/**
 * `RXVISION_BENCH_PROVIDER` (e.g. `cuda`, `webgpu`): the execution provider the end-to-end benches
 * measure, raw and through the detector alike. Default `cpu`.
 */
export function benchProvider(): 'cpu' | 'cuda' | 'tensorrt' | 'webgpu' {
  const name = process.env.RXVISION_BENCH_PROVIDER ?? 'cpu';
  if (name === 'cpu' || name === 'cuda' || name === 'tensorrt' || name === 'webgpu') return name;
  throw new Error(`RXVISION_BENCH_PROVIDER=${name}: use cpu, cuda, tensorrt or webgpu`);
}

export interface RawRunOptions {
  readonly modelPath: string;
  readonly batch: number;
  /** onnxruntime intra-op threads; omitted = onnxruntime's default (all cores). */
  readonly threads?: number;
  readonly provider?: string;
  /** Timed `session.run` calls after warm-up (stops earlier when `maxSeconds` is reached). */
  readonly runs: number;
  readonly maxSeconds?: number;
}

export interface RawRunResult {
  readonly batch: number;
  readonly runs: number;
  readonly msPerRun: number;
  readonly msPerImage: number;
  readonly imagesPerSecond: number;
  readonly loadMs: number;
}

/**
 * The hardware's own limit: `session.run` on a ready input tensor, nothing else in the loop.
 * Every end-to-end figure is a ratio against this, measured in the same run.
 */
export async function measureRawModel(options: RawRunOptions): Promise<RawRunResult> {
  const loadStart = performance.now();
  const session = await ort.InferenceSession.create(options.modelPath, {
    executionProviders: [options.provider ?? benchProvider()],
    graphOptimizationLevel: 'all',
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  });
  const loadMs = performance.now() - loadStart;
  try {
    const inputName = session.inputNames[0];
    if (!inputName) throw new Error(`${options.modelPath} has no input`);
    const size = 640;
    // Mid-grey pixels: the cost of a conv net does not depend on the values.
    const data = new Float32Array(options.batch * 3 * size * size).fill(114 / 255);
    const feeds = { [inputName]: new ort.Tensor('float32', data, [options.batch, 3, size, size]) };
    // Two untimed runs: onnxruntime's first runs after creation grow its memory arena.
    await session.run(feeds);
    await session.run(feeds);
    const deadline = performance.now() + (options.maxSeconds ?? Number.POSITIVE_INFINITY) * 1000;
    const started = performance.now();
    let runs = 0;
    while (runs < options.runs && (runs === 0 || performance.now() < deadline)) {
      await session.run(feeds);
      runs++;
    }
    const msPerRun = (performance.now() - started) / runs;
    return {
      batch: options.batch,
      runs,
      msPerRun,
      msPerImage: msPerRun / options.batch,
      imagesPerSecond: (1000 * options.batch) / msPerRun,
      loadMs,
    };
  } finally {
    await session.release();
  }
}
