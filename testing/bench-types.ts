/** What every benchmark module (`<workspace>/bench/*.bench.ts`) default-exports. */
export type Benchmark = (options: BenchOptions) => Promise<BenchReport>;

export interface BenchOptions {
  /** `--quick`: the whole suite must finish in under two minutes on a 2-core machine. */
  readonly quick: boolean;
  /** Absolute path of the `../shared` assets folder. */
  readonly sharedDir: string;
}

export interface BenchReport {
  /** Section title in the printed table and in docs/benchmarks.md. */
  readonly name: string;
  /** Rows of the section's table; every value already rounded for humans. */
  readonly rows: ReadonlyArray<Record<string, string | number>>;
  /** Headline figures for `npm run bench -- --json` (e.g. `decode_vs_ffmpeg`). */
  readonly summary: Readonly<Record<string, string | number>>;
  /** One or two sentences on what was measured against what. */
  readonly notes?: string;
}

/**
 * A module that measures several sections in one process (sharing a broker, models and warm-up),
 * e.g. the end-to-end throughput, latency and soak runs. The harness accepts either kind.
 */
export type BenchmarkSuite = (options: BenchOptions) => Promise<readonly BenchReport[]>;
