import { z } from 'zod';
import { about, always, NAME, nameKey, number, optionalText, problem, text } from './fields.js';

/** Execution providers, in the names onnxruntime uses. */
export const PROVIDER_NAMES = ['tensorrt', 'cuda', 'webgpu', 'cpu'] as const;

const providerName = z.enum(PROVIDER_NAMES);
const providerOptions = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .meta(about('provider options; snake_case keys, e.g. `{ device_id: 0 }`'));

/** One entry of `providers`: a name, or `<name>: { options }`. */
const provider = z
  .union([
    providerName,
    z.partialRecord(providerName, providerOptions.nullable()).refine((p) => Object.keys(p).length === 1, {
      message: 'expected a provider name or `<provider>: { options }`',
      params: { hint: `use one of: ${PROVIDER_NAMES.join(', ')}, each alone in its entry` },
    }),
  ])
  .transform((p) => {
    if (typeof p === 'string') return { name: p, options: {} };
    const [name, options] = Object.entries(p)[0] as [
      ProviderName,
      Record<string, string | number | boolean> | null,
    ];
    return { name, options: options ?? {} };
  });

/** A provider name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** One execution provider with its options, in the order onnxruntime should try them. */
export type ProviderConfig = z.output<typeof provider>;

const detectorKeys = z
  .strictObject({
    model: text().meta(about('path of the YOLO ONNX model', 'DeepStream `onnx-file`; Frigate `model.path`')),
    providers: z
      .array(provider)
      .prefault(['cpu'])
      .meta(
        about(
          'ordered execution providers; each a name or `- name: { options }`; one that cannot load is skipped with a warning',
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
        "class names, one per line; used when the model's metadata has none (default COCO-80)",
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

/** `detectors.<name>` as the agent uses it. */
export type DetectorConfig = z.output<typeof detectorsSection>[string];
