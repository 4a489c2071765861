import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@rxvision/decode';
import { encodeOnnxModel, OnnxDataType, OnnxGraphBuilder } from '@rxvision/models';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Benchmark, BenchReport } from '../../../testing/bench-types.js';
import type { InferenceSessionHandle } from '../src/backends/inference-backend.js';
import { inferenceBackend } from '../src/backends/open-backend.js';
import type { InputBuffer } from '../src/preprocess.js';

const MODELS = [
  { label: 'YOLOv7-tiny (untrained)', key: 'yolov7_tiny', file: 'yolov7-tiny-640-untrained.onnx' },
  { label: 'YOLOv5s (trained)', key: 'yolov5s', file: 'yolov5s-coco-640.onnx' },
] as const;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** One way of running the model: `run()` does one call and resolves when its outputs are in JS. */
interface Runner {
  readonly name: 'raw' | 'binding' | 'capi';
  run(): Promise<void>;
  release(): Promise<void>;
}

/** Bare onnxruntime-node `session.run` on this thread, on a tensor made once. */
async function rawRunner(model: string, input: string, data: Float32Array, dims: number[]): Promise<Runner> {
  const session = await InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  const tensor = new Tensor('float32', data, dims);
  return {
    name: 'raw',
    run: async () => {
      await session.run({ [input]: tensor });
    },
    release: () => session.release(),
  };
}

/** A `InferenceSessionHandle` (the detector's own call, outputs fetched by name), its input buffer carried from call to call. */
function sessionRunner(
  name: 'binding' | 'capi',
  session: InferenceSessionHandle,
  input: string,
  data: Float32Array,
  dims: number[],
): Runner {
  const fetches = session.outputMetadata.map((o) => o.name);
  let buffer: InputBuffer = data;
  return {
    name,
    run: async () => {
      const ran = await session.run(input, { type: 'float32', dims, data: buffer }, fetches);
      buffer = ran.input;
    },
    release: () => session.release(),
  };
}

async function openRunners(model: string, input: string, dims: number[]): Promise<Runner[]> {
  const size = dims.reduce((a, b) => a * b, 1);
  return [
    await rawRunner(model, input, new Float32Array(size).fill(114 / 255), dims),
    sessionRunner(
      'binding',
      await (await inferenceBackend('onnxruntime-node')).open(model, ['cpu'], silentLogger, {}),
      input,
      new Float32Array(size).fill(114 / 255),
      dims,
    ),
    sessionRunner(
      'capi',
      await (await inferenceBackend('onnxruntime-capi')).open(model, ['cpu'], silentLogger, {}),
      input,
      new Float32Array(size).fill(114 / 255),
      dims,
    ),
  ];
}

/** Per runner: median wall ms per call, and process CPU ms per call (every thread: ORT's, the worker's, koffi's). */
interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Per round, this runner's wall time ÷ the C API's in the same round: the median of those. */
  readonly pairedVsCapi: number;
}

/**
 * `rounds` rounds of one call of each runner (order rotated every round), after one warm-up call
 * each: neighbouring calls see the same machine load, so per-round ratios cancel most of it.
 */
async function time(runners: readonly Runner[], rounds: number): Promise<Map<string, Timing>> {
  const wall = new Map<string, number[]>(runners.map((r) => [r.name, []]));
  const cpu = new Map<string, number>(runners.map((r) => [r.name, 0]));
  for (const r of runners) await r.run();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runners.length; i++) {
      const r = runners[(i + round) % runners.length]!;
      const before = process.cpuUsage();
      const started = performance.now();
      await r.run();
      wall.get(r.name)!.push(performance.now() - started);
      const used = process.cpuUsage(before);
      cpu.set(r.name, cpu.get(r.name)! + (used.user + used.system) / 1000);
    }
  }
  const capi = wall.get('capi')!;
  return new Map(
    runners.map((r) => {
      const own = wall.get(r.name)!;
      return [
        r.name,
        {
          wallMs: median(own),
          cpuMs: cpu.get(r.name)! / rounds,
          pairedVsCapi: median(own.map((ms, i) => ms / capi[i]!)),
        },
      ];
    }),
  );
}

/** A model that does almost nothing (one Add on a 1×3×8×8 input): what a call costs besides inference. */
function tinyModel(dir: string): string {
  const b = new OnnxGraphBuilder();
  b.node('Add', ['images', b.initializer('one', [1], Float32Array.from([1]))], 'output');
  const path = join(dir, 'tiny-add.onnx');
  const { FLOAT } = OnnxDataType;
  writeFileSync(
    path,
    encodeOnnxModel(
      b.model({
        inputs: [{ name: 'images', elemType: FLOAT, dims: [1, 3, 8, 8] }],
        outputs: [{ name: 'output', elemType: FLOAT, dims: [1, 3, 8, 8] }],
      }),
    ),
  );
  return path;
}

const round3 = (v: number) => Number(v.toFixed(3));

const bench: Benchmark = async ({ quick, sharedDir }): Promise<BenchReport> => {
  const rounds = quick ? 3 : 12;
  const rows: Record<string, string | number>[] = [];
  const summary: Record<string, number> = {};
  for (const model of MODELS) {
    // --quick (the whole suite in two minutes): YOLOv7-tiny at batch 1 only.
    if (quick && model.key === 'yolov5s') continue;
    for (const batch of quick ? [1] : [1, 4]) {
      const path = join(sharedDir, 'models', model.file);
      const runners = await openRunners(path, 'images', [batch, 3, 640, 640]);
      try {
        const t = await time(runners, rounds);
        const [raw, binding, capi] = [t.get('raw')!, t.get('binding')!, t.get('capi')!];
        const key = `${model.key}_b${batch}`;
        summary[`capi_vs_binding_${key}`] = round3(binding.pairedVsCapi);
        summary[`capi_vs_binding_cpu_${key}`] = round3(binding.cpuMs / capi.cpuMs);
        summary[`capi_vs_raw_${key}`] = round3(raw.pairedVsCapi);
        rows.push({
          model: model.label,
          batch,
          'raw session.run img/s': round3((1000 * batch) / raw.wallMs),
          'binding (worker) img/s': round3((1000 * batch) / binding.wallMs),
          'capi img/s': round3((1000 * batch) / capi.wallMs),
          capi_vs_binding: round3(binding.pairedVsCapi),
          capi_vs_raw: round3(raw.pairedVsCapi),
          'CPU ms/img raw': Number((raw.cpuMs / batch).toFixed(1)),
          'CPU ms/img binding': Number((binding.cpuMs / batch).toFixed(1)),
          'CPU ms/img capi': Number((capi.cpuMs / batch).toFixed(1)),
          capi_vs_binding_cpu: round3(binding.cpuMs / capi.cpuMs),
        });
      } finally {
        for (const r of runners) await r.release();
      }
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'rxv-backends-bench-'));
  try {
    const runners = await openRunners(tinyModel(dir), 'images', [1, 3, 8, 8]);
    try {
      const t = await time(runners, quick ? 1000 : 4000);
      for (const [name, { wallMs }] of t) summary[`call_us_${name}`] = Number((wallMs * 1000).toFixed(1));
      const [raw, binding, capi] = [t.get('raw')!, t.get('binding')!, t.get('capi')!];
      rows.push({
        model: 'one Add on 1×3×8×8 (per-call overhead; img/s = calls/s)',
        batch: 1,
        'raw session.run img/s': Math.round(1000 / raw.wallMs),
        'binding (worker) img/s': Math.round(1000 / binding.wallMs),
        'capi img/s': Math.round(1000 / capi.wallMs),
        capi_vs_binding: round3(binding.pairedVsCapi),
        capi_vs_raw: round3(raw.pairedVsCapi),
        'CPU ms/img raw': Number(raw.cpuMs.toFixed(3)),
        'CPU ms/img binding': Number(binding.cpuMs.toFixed(3)),
        'CPU ms/img capi': Number(capi.cpuMs.toFixed(3)),
        capi_vs_binding_cpu: round3(binding.cpuMs / capi.cpuMs),
      });
    } finally {
      for (const r of runners) await r.release();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const worst = (prefix: string) =>
    round3(
      Math.min(
        ...Object.entries(summary)
          .filter(([k]) => k.startsWith(prefix))
          .map(([, v]) => v),
      ),
    );
  summary.capi_vs_binding_cpu = worst('capi_vs_binding_cpu_');
  summary.capi_vs_binding = round3(
    Math.min(
      ...Object.entries(summary)
        .filter(([k]) => k.startsWith('capi_vs_binding_') && !k.startsWith('capi_vs_binding_cpu'))
        .map(([, v]) => v),
    ),
  );
  return {
    name: 'Detector backends: ONNX Runtime C API (koffi) vs onnxruntime-node in its worker vs raw session.run (CPU)',
    rows,
    summary,
    notes:
      "Same model file, batch, input values and CPU provider in one process: raw = onnxruntime-node's session.run on " +
      "this thread on a tensor made once; binding = the detector's worker session (buffer transferred to the worker " +
      'and back, outputs fetched by name); capi = openCapiSession (koffi, runs on its worker threads, outputs copied ' +
      'into JS arrays). Rounds of one call each, order rotated; img/s from the median wall time; capi_vs_binding = ' +
      'median over rounds of binding ms / capi ms in the same round (= capi img/s ÷ binding img/s), headline = the worst model/batch; CPU ms/img = process CPU time (all threads) per image, robust to ' +
      'load from other processes, capi_vs_binding_cpu its ratio. The last row is calls/s on a one-Add model: the ' +
      'per-call cost of each path (call_us_* in the summary). No GPU was lent to this task, so only the CPU provider is measured.',
  };
};

export default bench;
