import type { Benchmark } from '../../../testing/bench-types.js';
import { round } from '../lib/format.js';
import { type BenchModel, yolov5s, yolov7Full, yolov7Tiny } from '../lib/models.js';
import { measureRawModel } from '../lib/raw-model.js';

/**
 * Raw model throughput on the CPU provider: `session.run` on a ready tensor, batch 1 and 4,
 * for YOLOv7-tiny, YOLOv7 (both untrained, architecture-exact) and the trained YOLOv5s.
 */
const bench: Benchmark = async ({ quick, sharedDir }) => {
  const rows: Array<Record<string, string | number>> = [];
  const models: Array<BenchModel | Error> = [yolov7Tiny(sharedDir), yolov5s(sharedDir)];
  try {
    models.push(await yolov7Full(sharedDir, !quick));
  } catch (err) {
    models.push(err as Error);
  }
  const summary: Record<string, string | number> = {};
  for (const model of models) {
    if (model instanceof Error) {
      rows.push({ model: 'YOLOv7 (untrained, architecture-exact)', batch: '—', error: model.message });
      continue;
    }
    const big = model.path.includes('yolov7_640');
    for (const batch of [1, 4]) {
      // --quick: the pipeline bench measures YOLOv7-tiny at batch 1 and 4 itself; here one point per model.
      if (quick && batch > 1) continue;
      const r = await measureRawModel({
        modelPath: model.path,
        batch,
        runs: quick ? (big ? 1 : 3) : big ? 5 : 15,
        maxSeconds: quick ? 4 : 30,
      });
      rows.push({
        model: model.name,
        batch,
        runs: r.runs,
        'ms/batch': round(r.msPerRun),
        'ms/image': round(r.msPerImage),
        'images/s': round(r.imagesPerSecond, 2),
      });
      const key = big ? 'yolov7' : model.trained ? 'yolov5s' : 'yolov7_tiny';
      summary[`${key}_b${batch}_fps`] = round(r.imagesPerSecond, 2);
    }
  }
  return {
    name: 'Models on CPU (raw session.run, onnxruntime-node, CPU provider, default threads)',
    rows,
    summary,
    notes:
      'Raw `session.run` on a ready 640x640 float32 tensor after two warm-up runs; the hardware limit every ' +
      'end-to-end ratio is taken against. YOLOv7 and YOLOv7-tiny are untrained (right compute, meaningless boxes).',
  };
};

export default bench;
