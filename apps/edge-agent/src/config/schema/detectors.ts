import { existsSync } from 'node:fs';
import { checkRuntimeLibrary, INFERENCE_RUNTIMES, OrtLibraryError } from '@rxvision/detector';
import { z } from 'zod';
import { about, always, field, NAME, nameKey, number, optionalText, problem, text } from './fields.js';
import { checkProviderEntries, type ProviderConfig, providerEntry } from './providers.js';

export { PROVIDER_NAMES, type ProviderConfig, type ProviderName } from './providers.js';

const detectorKeys = z
  .strictObject({
    model: text().meta(about('path of the YOLO ONNX model', 'DeepStream `onnx-file`; Frigate `model.path`')),
    runtime: z
      .enum(INFERENCE_RUNTIMES)
      .default('onnxruntime-node')
      .meta(
        about(
          "`onnxruntime-node` (the npm binding: CPU everywhere; passes CUDA/TensorRT a device id only) or `onnxruntime-capi` (ONNX Runtime's C API on `runtime_library`: every TensorRT/CUDA option, OpenVINO, QNN, …)",
          'DeepStream `nvinfer` vs `nvinferserver`; Frigate `detectors.<x>.type`',
        ),
      ),
    runtime_library: optionalText().meta(
      about(
        "`libonnxruntime.so` the `onnxruntime-capi` runtime calls: ORT's GPU release (`lib/libonnxruntime.so`) or a Jetson build; default onnxruntime-node's own copy (CPU only)",
      ),
    ),
    providers: z
      .array(providerEntry)
      .prefault(['cpu'])
      .meta(
        about(
          'ordered execution providers; each a name or `- name: { options }` (tables below); one that cannot load is skipped with a warning',
          'DeepStream `network-mode`; Frigate `detectors.<x>.type`',
        ),
      ),
    batch_size: number({ min: 1, max: 64, integer: true })
      .default(4)
      .meta(about('most frames per inference call', 'DeepStream `batch-size`')),
    batch_timeout_ms: number({ min: 0, max: 1000 })
      .default(20)
      .meta(about('longest wait to fill a batch', 'DeepStream `batched-push-timeout` (µs there)')),
    min_score: number({ min: 0, max: 1 })
      .default(0.25)
      .meta(
        about(
          'confidence cut (objectness × class)',
          'DeepStream `pre-cluster-threshold`; Frigate `min_score`',
        ),
      ),
    nms_iou_threshold: number({ min: 0, max: 1 })
      .default(0.45)
      .meta(about('NMS IoU', 'DeepStream `nms-iou-threshold`')),
    labelmap_path: optionalText().meta(
      about(
        "class names, one per line (darknet `coco.names` style); they win over the model's own names (default the model's metadata, else COCO-80)",
        'DeepStream `labelfile-path`; Frigate `model.labelmap_path`',
      ),
    ),
    width: number({ min: 32, max: 4096, integer: true })
      .optional()
      .meta(about('input width for models with a dynamic input size (default 640)', 'Frigate `model.width`')),
    height: number({ min: 32, max: 4096, integer: true })
      .optional()
      .meta(
        about('input height for models with a dynamic input size (default 640)', 'Frigate `model.height`'),
      ),
  })
  .meta(about('one detector: a model shared, and batched, by every camera that names it'));

/** `detectors.<name>`: one model shared (and batched) by every camera that names it. */
export const detectorsSection = z
  .record(nameKey, detectorKeys)
  .meta(about('detector name → settings'))
  .superRefine((detectors, ctx) => {
    for (const name of Object.keys(detectors)) {
      if (!NAME.test(name))
        problem(
          ctx,
          'detector names may use letters, digits, `_` and `-` only',
          `rename it, e.g. \`${name.replace(/[^A-Za-z0-9_-]/g, '_')}\``,
          [name],
        );
      const d = detectors[name];
      checkRuntime(ctx, name, d);
      if ((d?.width === undefined) !== (d?.height === undefined))
        problem(
          ctx,
          'a dynamic input size needs both `width` and `height`',
          'set both, or neither for 640×640',
          [name, d?.width === undefined ? 'width' : 'height'],
        );
    }
  }, always)
  .transform((detectors) =>
    Object.fromEntries(
      Object.entries(detectors).map(([name, d]) => [
        name,
        {
          name,
          model: d.model,
          runtime: d.runtime,
          ...(d.runtime_library ? { runtimeLibrary: d.runtime_library } : {}),
          providers: d.providers,
          batchSize: d.batch_size,
          batchTimeoutMs: d.batch_timeout_ms,
          minScore: d.min_score,
          nmsIouThreshold: d.nms_iou_threshold,
          ...(d.labelmap_path ? { labelsPath: d.labelmap_path } : {}),
          ...(d.width !== undefined && d.height !== undefined
            ? { inputSize: { width: d.width, height: d.height } }
            : {}),
        },
      ]),
    ),
  )
  .prefault({});

/**
 * The runtime's own checks, before anything loads: providers' options it cannot pass or ORT does not know,
 * and a `runtime_library` that is missing or not ONNX Runtime.
 */
function checkRuntime(ctx: z.RefinementCtx, name: string, d: unknown): void {
  const runtime = field(d, 'runtime');
  const providers = field(d, 'providers');
  if (runtime !== 'onnxruntime-node' && runtime !== 'onnxruntime-capi') return;
  if (
    Array.isArray(providers) &&
    providers.every((p) => typeof p === 'object' && p !== null && 'options' in p)
  )
    checkProviderEntries(ctx, runtime, providers as ProviderConfig[], [name, 'providers']);
  const library = field(d, 'runtime_library');
  if (typeof library !== 'string' || library === '') return;
  if (runtime !== 'onnxruntime-capi') {
    problem(
      ctx,
      'runtime_library is for runtime onnxruntime-capi',
      'add `runtime: onnxruntime-capi`, or remove runtime_library',
      [name, 'runtime_library'],
    );
    return;
  }
  if (!existsSync(library)) {
    problem(
      ctx,
      `${library} does not exist`,
      "give the path of ONNX Runtime's libonnxruntime.so (e.g. onnxruntime-linux-x64-gpu-<version>/lib/libonnxruntime.so), or remove runtime_library for onnxruntime-node's CPU copy",
      [name, 'runtime_library'],
    );
    return;
  }
  try {
    checkRuntimeLibrary(library);
  } catch (error) {
    if (!(error instanceof OrtLibraryError)) throw error;
    problem(ctx, error.message, "point it at ONNX Runtime's libonnxruntime.so (1.13 or later)", [
      name,
      'runtime_library',
    ]);
  }
}

/** `detectors.<name>` as the agent uses it. */
export type DetectorConfig = z.output<typeof detectorsSection>[string];
