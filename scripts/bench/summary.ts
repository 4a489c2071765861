import type { Machine } from './machine.js';
import type { BenchOutcome } from './runner.js';

/** The headline keys `npm run bench -- --json` always carries (null when no bench produced one). */
export const HEADLINE_KEYS = [
  'decode_vs_ffmpeg',
  'decode_full_yuv_vs_ffmpeg',
  'detector_vs_raw',
  'capi_vs_binding',
  'pipeline_vs_raw',
  'tracker_ms_50_objects',
  'detector_host_ms_per_image',
  'latency_p50_ms',
  'latency_p95_ms',
  'rss_mb_per_camera',
  'rss_growth_pct',
  'restream_added_latency_p50_ms',
  'model',
  'batch_size',
  'provider',
] as const;

interface Target {
  readonly key: string;
  readonly goal: string;
  readonly met: (value: number) => boolean;
}

/** The targets the issues set, checked against the headline figures. */
export const TARGETS: readonly Target[] = [
  // Issue 14: the model input alone ≥ 0.8 of FFmpeg's own decode, with the YUV full frame ≥ 0.7.
  { key: 'decode_vs_ffmpeg', goal: '≥ 0.8', met: (v) => v >= 0.8 },
  { key: 'decode_full_yuv_vs_ffmpeg', goal: '≥ 0.7', met: (v) => v >= 0.7 },
  { key: 'detector_vs_raw', goal: '≥ 0.95', met: (v) => v >= 0.95 },
  { key: 'capi_vs_binding', goal: '≥ 0.98', met: (v) => v >= 0.98 },
  { key: 'pipeline_vs_raw', goal: '≥ 0.95', met: (v) => v >= 0.95 },
  { key: 'tracker_ms_50_objects', goal: '< 1 ms', met: (v) => v < 1 },
  { key: 'detector_host_ms_per_image', goal: '≤ 0.5 ms', met: (v) => v <= 0.5 },
  { key: 'rss_mb_per_camera', goal: '≤ 50 MB', met: (v) => v <= 50 },
  { key: 'rss_growth_pct', goal: '< 5 %', met: (v) => v < 5 },
];

export type Figure = string | number | null;

export interface SuiteSummary {
  readonly [key: string]: unknown;
  readonly quick: boolean;
  readonly seconds: number;
  readonly cpu: string;
  readonly gpu: string;
  readonly machine: Machine;
  readonly targets: ReadonlyArray<{ key: string; goal: string; value: Figure; status: string }>;
  readonly errors: ReadonlyArray<{ module: string; error: string }>;
  readonly benches: ReadonlyArray<{
    module: string;
    name: string;
    seconds: number;
    summary: Readonly<Record<string, string | number>>;
    rows: ReadonlyArray<Readonly<Record<string, string | number>>>;
  }>;
}

/**
 * Flattens every bench's summary into one object. A key given by two benches takes the LAST value:
 * the end-to-end benches run after the node ones, and their figure (e.g. latency through the whole
 * pipeline) is the headline; each node's own figures stay under `benches`.
 */
export function summarise(
  outcomes: readonly BenchOutcome[],
  machine: Machine,
  quick: boolean,
  seconds: number,
): SuiteSummary {
  const merged: Record<string, Figure> = Object.fromEntries(HEADLINE_KEYS.map((k) => [k, null]));
  for (const { reports } of outcomes) {
    for (const report of reports) Object.assign(merged, report.summary);
  }
  const targets = TARGETS.map(({ key, goal, met }) => {
    const value = merged[key] ?? null;
    const status = typeof value === 'number' ? (met(value) ? 'met' : 'MISSED') : 'not measured';
    return { key, goal, value, status };
  });
  return {
    ...merged,
    cpu: machine.cpu,
    gpu: machine.gpu,
    quick,
    seconds: Math.round(seconds),
    machine,
    targets,
    errors: outcomes.flatMap((o) => (o.error ? [{ module: o.module, error: o.error }] : [])),
    benches: outcomes.flatMap((o) =>
      o.reports.map((r) => ({
        module: o.module,
        name: r.name,
        seconds: Math.round(o.seconds),
        summary: r.summary,
        rows: r.rows,
      })),
    ),
  };
}
