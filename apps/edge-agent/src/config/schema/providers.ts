import {
  CUDA_KEYS,
  checkProviders,
  type ExecutionProvider,
  type InferenceRuntime,
  ProviderConfigError,
  ProviderOptionError,
  providerOrtOptions,
  TENSORRT_KEYS,
} from '@rxvision/detector';
import { z } from 'zod';
import { about, flag, number, problem, type Refinement, text } from './fields.js';

/** Execution providers with their own keys here; any other ONNX Runtime provider is named as ORT knows it (`openvino`, `qnn`, …). */
export const PROVIDER_NAMES = ['tensorrt', 'cuda', 'webgpu', 'cpu'] as const;

/** A provider name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number] | (string & {});

const PROVIDER_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const rawValue = z.union([z.string(), z.number(), z.boolean()]);
const capiOnly = ' (runtime onnxruntime-capi only)';

const tensorRtOptions = z
  .object({
    device_id: number({ min: 0, max: 63, integer: true })
      .optional()
      .meta(about('GPU index', 'DeepStream `gpu-id`')),
    fp16: flag()
      .optional()
      .meta(about(`build an FP16 engine${capiOnly}`, 'DeepStream `network-mode: 2`')),
    int8: flag()
      .optional()
      .meta(
        about(`build an INT8 engine; give the calibration table${capiOnly}`, 'DeepStream `network-mode: 1`'),
      ),
    int8_calibration_table: text()
      .optional()
      .meta(about(`INT8 calibration table file${capiOnly}`, 'DeepStream `int8-calib-file`')),
    engine_cache_path: text()
      .optional()
      .meta(
        about(
          `directory where built engines are kept, so later starts skip the build (minutes on a Jetson)${capiOnly}`,
          'DeepStream `model-engine-file` (its folder)',
        ),
      ),
    workspace_size: number({ min: 1 })
      .optional()
      .meta(about(`builder workspace in bytes${capiOnly}`, 'DeepStream `workspace-size` (MB there)')),
    profile: z
      .strictObject({
        min: number({ min: 1, integer: true }),
        opt: number({ min: 1, integer: true }),
        max: number({ min: 1, integer: true }),
      })
      .optional()
      .meta(
        about(
          `batch sizes of the optimisation profile of a dynamic-batch model, e.g. \`{ min: 1, opt: 4, max: 8 }\`; shapes use the model's own input names${capiOnly}`,
          'trtexec `--minShapes/--optShapes/--maxShapes`',
        ),
      ),
    timing_cache_path: text()
      .optional()
      .meta(
        about(
          `directory of TensorRT's timing cache: faster engine rebuilds${capiOnly}`,
          'trtexec `--timingCacheFile`',
        ),
      ),
    dla_core: number({ min: 0, max: 15, integer: true })
      .optional()
      .meta(
        about(
          `run on this DLA core (Jetson Xavier/Orin)${capiOnly}`,
          'DeepStream `enable-dla` + `use-dla-core`',
        ),
      ),
    builder_optimization_level: number({ min: 0, max: 5, integer: true })
      .optional()
      .meta(
        about(
          `0–5, TensorRT's default 3: higher builds longer for faster engines${capiOnly}`,
          'trtexec `--builderOptimizationLevel`',
        ),
      ),
  })
  .catchall(rawValue)
  .meta(
    about(
      'TensorRT options; any other key is passed to ORT as it spells it (`trt_*`, checked against the keys the TensorRT provider parses)',
    ),
  );

const cudaOptions = z
  .object({
    device_id: number({ min: 0, max: 63, integer: true })
      .optional()
      .meta(about('GPU index', 'DeepStream `gpu-id`')),
    cudnn_conv_algo_search: z
      .enum(['EXHAUSTIVE', 'HEURISTIC', 'DEFAULT'])
      .optional()
      .meta(about(`how cuDNN picks convolution algorithms (ORT's default EXHAUSTIVE)${capiOnly}`)),
    gpu_mem_limit: number({ min: 1 })
      .optional()
      .meta(about(`most bytes CUDA's memory arena may hold${capiOnly}`)),
  })
  .catchall(rawValue)
  .meta(
    about(
      'CUDA options; any other key is passed to ORT as it spells it (checked against the keys the CUDA provider parses)',
    ),
  );

const cpuOptions = z
  .strictObject({
    threads: number({ min: 0, integer: true }).optional().meta(about('intra-op threads (0 = one per core)')),
  })
  .meta(about('CPU options'));

const webgpuOptions = z
  .object({
    preferred_layout: z.enum(['NCHW', 'NHWC']).optional().meta(about('tensor layout WebGPU prefers')),
  })
  .catchall(rawValue)
  .meta(about('WebGPU options'));

const otherOptions = z
  .record(z.string(), rawValue)
  .meta(
    about(
      'any other ONNX Runtime provider (C API runtime): its own keys, e.g. `openvino: { device_type: NPU }`, `qnn: { backend_path: libQnnHtp.so }`',
    ),
  );

/** One entry of `providers`: a name, or `<name>: { options }`. */
export const providerEntry = z
  .union([
    z.string().regex(PROVIDER_NAME, 'expected a provider name such as tensorrt, cuda, openvino or cpu'),
    z
      .object({
        tensorrt: tensorRtOptions.optional(),
        cuda: cudaOptions.optional(),
        cpu: cpuOptions.optional(),
        webgpu: webgpuOptions.optional(),
      })
      .catchall(otherOptions)
      .refine((p) => Object.keys(p).length === 1, {
        message: 'expected a provider name or `<provider>: { options }`',
        params: {
          hint: `use one of: ${PROVIDER_NAMES.join(', ')} or another ORT provider, each alone in its entry`,
        },
      }),
  ])
  .transform((p) => {
    if (typeof p === 'string') return { name: p as ProviderName, options: {} };
    const [name, options] = Object.entries(p)[0] as [ProviderName, ProviderOptionValues | undefined];
    return { name, options: options ?? {} };
  });

/** A provider entry's option values as the YAML gives them. */
export type ProviderOptionValues = Readonly<
  Record<
    string,
    string | number | boolean | { readonly min: number; readonly opt: number; readonly max: number }
  >
>;

/** One execution provider with its options, in the order onnxruntime should try them. */
export type ProviderConfig = z.output<typeof providerEntry>;

/** snake_case YAML keys → the detector's fields, per provider; other keys go to ORT as they are. */
const TYPED_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  tensorrt: {
    device_id: 'deviceId',
    fp16: 'fp16',
    int8: 'int8',
    int8_calibration_table: 'int8CalibrationTable',
    engine_cache_path: 'engineCachePath',
    workspace_size: 'workspaceSize',
    profile: 'profile',
    timing_cache_path: 'timingCachePath',
    dla_core: 'dlaCore',
    builder_optimization_level: 'builderOptimizationLevel',
  },
  cuda: {
    device_id: 'deviceId',
    cudnn_conv_algo_search: 'cudnnConvAlgoSearch',
    gpu_mem_limit: 'gpuMemLimit',
  },
  cpu: { threads: 'threads' },
  webgpu: { preferred_layout: 'preferredLayout' },
};

/** `device_id` → `deviceId` for keys that have none in the table (kept for providers' own camelCase fields). */
function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The detector's provider entry from the config's: typed keys become fields, the rest raw ORT `options`. */
export function toExecutionProvider(p: ProviderConfig): ExecutionProvider {
  const keys = Object.keys(p.options);
  const typed = TYPED_KEYS[p.name];
  if (!typed) return { name: p.name, options: rawOnly(p.options) };
  if (keys.length === 0) return p.name as (typeof PROVIDER_NAMES)[number];
  const fields: Record<string, unknown> = {};
  const raw: Record<string, string | number | boolean> = {};
  for (const key of keys) {
    const value = p.options[key]!;
    const field = typed[key];
    if (field) fields[field] = value;
    else if (p.name === 'cpu') fields[camel(key)] = value;
    else raw[key] = value as string | number | boolean;
  }
  if (Object.keys(raw).length > 0) fields.options = raw;
  return { ...fields, name: p.name } as ExecutionProvider;
}

function rawOnly(options: ProviderOptionValues): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(options)) if (typeof value !== 'object') out[key] = value;
  return out;
}

/**
 * Reports, at the key's path, what the detector would refuse at start: a TensorRT/CUDA key the provider
 * does not parse (`providerOrtOptions`), or an option the chosen runtime cannot pass.
 */
export function checkProviderEntries(
  ctx: Refinement,
  runtime: InferenceRuntime,
  providers: readonly ProviderConfig[],
  at: readonly PropertyKey[],
): void {
  providers.forEach((p, i) => {
    const entry = toExecutionProvider(p);
    const path = [...at, i, p.name];
    // The profile's shapes need the model's inputs: its numbers are checked here, the rest at start.
    const { profile, ...withoutProfile } =
      typeof entry === 'object' ? (entry as { profile?: unknown }) : { profile: undefined };
    try {
      providerOrtOptions(typeof entry === 'object' ? (withoutProfile as ExecutionProvider) : entry);
    } catch (error) {
      if (!(error instanceof ProviderOptionError)) throw error;
      const known = p.name === 'tensorrt' ? TENSORRT_KEYS : p.name === 'cuda' ? CUDA_KEYS : undefined;
      const typed = Object.keys(TYPED_KEYS[p.name] ?? {});
      problem(
        ctx,
        `unknown ${p.name} option`,
        known
          ? `use one of ${typed.join(', ')}, or a key the ${p.name} provider parses: ${[...known].join(', ')}`
          : error.message,
        [...path, userKey(p, error.key)],
      );
      return;
    }
    if (profile && typeof profile === 'object') {
      const { min, opt, max } = profile as { min: number; opt: number; max: number };
      if (!(min <= opt && opt <= max))
        problem(
          ctx,
          `profile needs min <= opt <= max, got ${min}/${opt}/${max}`,
          'e.g. `{ min: 1, opt: 4, max: 8 }`',
          [...path, 'profile'],
        );
    }
    try {
      checkProviders(runtime, [entry]);
    } catch (error) {
      if (!(error instanceof ProviderConfigError)) throw error;
      const key = error.key === undefined ? undefined : userKey(p, error.key);
      problem(
        ctx,
        error.message,
        runtime === 'onnxruntime-node'
          ? 'set `runtime: onnxruntime-capi` on this detector (and `runtime_library` for a GPU build of ONNX Runtime), or remove the option'
          : 'check the spelling',
        key === undefined ? path : [...path, key],
      );
    }
  });
}

/** The YAML key behind a detector field or ORT key named in an error. */
function userKey(p: ProviderConfig, key: string): string {
  const typed = TYPED_KEYS[p.name] ?? {};
  const yaml = Object.keys(typed).find((k) => typed[k] === key);
  if (yaml) return yaml;
  if (key in p.options) return key;
  if (key === 'options') return Object.keys(p.options).find((k) => !(k in typed)) ?? key;
  return Object.keys(p.options).find((k) => camel(k) === key) ?? key;
}
