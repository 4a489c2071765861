import type { CudaProvider, ExecutionProvider, RawOptions, TensorRtProvider } from '../../providers.js';

export type { RawOptions, RawOptionValue, RawProvider } from '../../providers.js';

/** One entry of the C API backend's ordered provider list: the detector's own form (any entry may add raw `options`). */
export type CapiProvider = ExecutionProvider;

/** A model input as the TensorRT optimisation profile needs it (from the model's own metadata). */
export interface ModelInputShape {
  readonly name: string;
  readonly shape: readonly (number | string)[];
}

/** What one provider entry means to ONNX Runtime: which call appends it, and its key/value list. */
export interface OrtProviderKeys {
  /** The entry's name as the user wrote it (lower case for the ones we know). */
  readonly provider: string;
  /** How it is appended: TensorRT and CUDA through their V2 option objects, the rest generically. */
  readonly kind: 'tensorrt' | 'cuda' | 'cpu' | 'generic';
  /** The provider name `SessionOptionsAppendExecutionProvider` takes (generic kind only). */
  readonly ortName: string;
  readonly keys: readonly (readonly [key: string, value: string])[];
  /** CPU only: the intra-op thread count (0 = ORT's default). */
  readonly intraOpThreads?: number;
}

/** A provider option that cannot be right: unknown key or value. Config validation can show it as is. */
export class ProviderOptionError extends Error {
  override readonly name = 'ProviderOptionError';
  constructor(
    readonly provider: string,
    readonly key: string,
    message: string,
  ) {
    super(`execution provider ${provider}: option ${JSON.stringify(key)}: ${message}`);
  }
}

/** Keys of `OrtTensorRTProviderOptionsV2` (include/onnxruntime/core/providers/tensorrt/tensorrt_provider_options.h). */
export const TENSORRT_KEYS: ReadonlySet<string> = new Set([
  'device_id',
  'has_user_compute_stream',
  'user_compute_stream',
  'trt_max_partition_iterations',
  'trt_min_subgraph_size',
  'trt_max_workspace_size',
  'trt_fp16_enable',
  'trt_int8_enable',
  'trt_int8_calibration_table_name',
  'trt_int8_use_native_calibration_table',
  'trt_dla_enable',
  'trt_dla_core',
  'trt_dump_subgraphs',
  'trt_engine_cache_enable',
  'trt_engine_cache_path',
  'trt_engine_decryption_enable',
  'trt_engine_decryption_lib_path',
  'trt_force_sequential_engine_build',
  'trt_context_memory_sharing_enable',
  'trt_layer_norm_fp32_fallback',
  'trt_timing_cache_enable',
  'trt_timing_cache_path',
  'trt_force_timing_cache',
  'trt_detailed_build_log',
  'trt_build_heuristics_enable',
  'trt_sparsity_enable',
  'trt_builder_optimization_level',
  'trt_auxiliary_streams',
  'trt_tactic_sources',
  'trt_extra_plugin_lib_paths',
  'trt_profile_min_shapes',
  'trt_profile_max_shapes',
  'trt_profile_opt_shapes',
  'trt_cuda_graph_enable',
  'trt_dump_ep_context_model',
  'trt_ep_context_file_path',
  'trt_ep_context_embed_mode',
  'trt_weight_stripped_engine_enable',
  'trt_onnx_model_folder_path',
  'trt_engine_cache_prefix',
  'trt_engine_hw_compatible',
  'trt_op_types_to_exclude',
]);

/** Keys the CUDA provider parses (onnxruntime/core/providers/cuda/cuda_execution_provider_info.cc). */
export const CUDA_KEYS: ReadonlySet<string> = new Set([
  'device_id',
  'has_user_compute_stream',
  'user_compute_stream',
  'gpu_mem_limit',
  'arena_extend_strategy',
  'cudnn_conv_algo_search',
  'do_copy_in_default_stream',
  'gpu_external_alloc',
  'gpu_external_free',
  'gpu_external_empty_cache',
  'cudnn_conv_use_max_workspace',
  'enable_cuda_graph',
  'cudnn_conv1d_pad_to_nc1d',
  'tunable_op_enable',
  'tunable_op_tuning_enable',
  'tunable_op_max_tuning_duration_ms',
  'enable_skip_layer_norm_strict_mode',
  'prefer_nhwc',
  'use_ep_level_unified_stream',
  'use_tf32',
  'sdpa_kernel',
  'fuse_conv_bias',
]);

/** Our lower-case names → the names `SessionOptionsAppendExecutionProvider` accepts. */
const GENERIC_NAMES: Readonly<Record<string, string>> = {
  openvino: 'OpenVINO',
  qnn: 'QNN',
  xnnpack: 'XNNPACK',
  coreml: 'CoreML',
  dml: 'DML',
  directml: 'DML',
  snpe: 'SNPE',
  webgpu: 'WebGPU',
  webnn: 'WEBNN',
  migraphx: 'MIGraphX',
  vitisai: 'VitisAI',
  azure: 'AZURE',
  nvtensorrtrtx: 'NvTensorRtRtx',
};

/** Whether the entry's TensorRT profile needs the model's input names and shapes. */
export function needsModelInputs(entry: CapiProvider): boolean {
  return typeof entry !== 'string' && entry.name === 'tensorrt' && 'profile' in entry && !!entry.profile;
}

/**
 * Turns one provider entry into the ORT calls' key/value list, checking TensorRT and CUDA keys against the
 * options those providers parse (ORT itself can only check them once the provider library loads, i.e. on
 * a machine with the GPU stack). `inputs` (the model's inputs) is needed for a TensorRT `profile`.
 * Pure: no library is loaded, so config validation can call it anywhere.
 */
export function providerOrtOptions(
  entry: CapiProvider,
  inputs?: readonly ModelInputShape[],
): OrtProviderKeys {
  const name = typeof entry === 'string' ? entry : entry.name;
  const raw = typeof entry === 'string' ? {} : (('options' in entry ? entry.options : undefined) ?? {});
  switch (name) {
    case 'cpu': {
      if (Object.keys(raw).length > 0)
        throw new ProviderOptionError('cpu', Object.keys(raw)[0]!, 'cpu takes no raw options (use threads)');
      const threads = typeof entry === 'object' && 'threads' in entry ? entry.threads : undefined;
      return { provider: 'cpu', kind: 'cpu', ortName: 'CPU', keys: [], intraOpThreads: threads ?? 0 };
    }
    case 'tensorrt': {
      const typed = typeof entry === 'object' ? tensorRtKeys(entry as TensorRtProvider, inputs) : {};
      return known(
        'tensorrt',
        'tensorrt',
        'TensorRT',
        { ...typed, ...rawKeys('tensorrt', raw) },
        TENSORRT_KEYS,
      );
    }
    case 'cuda': {
      const typed = typeof entry === 'object' ? cudaKeys(entry as CudaProvider) : {};
      return known('cuda', 'cuda', 'CUDA', { ...typed, ...rawKeys('cuda', raw) }, CUDA_KEYS);
    }
    case 'webgpu': {
      const layout =
        typeof entry === 'object' && 'preferredLayout' in entry ? entry.preferredLayout : undefined;
      const keys = { ...(layout ? { preferredLayout: layout } : {}), ...rawKeys('webgpu', raw) };
      return { provider: 'webgpu', kind: 'generic', ortName: 'WebGPU', keys: Object.entries(keys) };
    }
    default:
      return {
        provider: name,
        kind: 'generic',
        ortName: GENERIC_NAMES[name.toLowerCase()] ?? name,
        keys: Object.entries(rawKeys(name, raw)),
      };
  }
}

function known(
  provider: string,
  kind: 'tensorrt' | 'cuda',
  ortName: string,
  keys: Record<string, string>,
  allowed: ReadonlySet<string>,
): OrtProviderKeys {
  for (const key of Object.keys(keys))
    if (!allowed.has(key))
      throw new ProviderOptionError(
        provider,
        key,
        `unknown key; the ${ortName} provider takes ${[...allowed].join(', ')}`,
      );
  return { provider, kind, ortName, keys: Object.entries(keys) };
}

function rawKeys(provider: string, raw: RawOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'boolean') out[key] = value ? '1' : '0';
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new ProviderOptionError(provider, key, `${value} is not a number`);
      out[key] = String(value);
    } else if (typeof value === 'string') out[key] = value;
    else throw new ProviderOptionError(provider, key, `values are strings, numbers or booleans`);
  }
  return out;
}

/** Our CudaProvider fields → CUDA provider keys. */
function cudaKeys(provider: CudaProvider): Record<string, string> {
  const keys: Record<string, string> = {};
  if (provider.deviceId !== undefined) keys.device_id = String(provider.deviceId);
  if (provider.cudnnConvAlgoSearch !== undefined) keys.cudnn_conv_algo_search = provider.cudnnConvAlgoSearch;
  if (provider.gpuMemLimit !== undefined) keys.gpu_mem_limit = String(provider.gpuMemLimit);
  return keys;
}

/** Our TensorRtProvider fields → `trt_*` keys (the ones `ORT_TENSORRT_*` variables would have set). */
function tensorRtKeys(
  provider: TensorRtProvider,
  inputs?: readonly ModelInputShape[],
): Record<string, string> {
  const keys: Record<string, string> = {};
  if (provider.deviceId !== undefined) keys.device_id = String(provider.deviceId);
  if (provider.fp16) keys.trt_fp16_enable = '1';
  if (provider.int8) keys.trt_int8_enable = '1';
  if (provider.int8CalibrationTable) keys.trt_int8_calibration_table_name = provider.int8CalibrationTable;
  if (provider.engineCachePath) {
    keys.trt_engine_cache_enable = '1';
    keys.trt_engine_cache_path = provider.engineCachePath;
  }
  if (provider.workspaceSize) keys.trt_max_workspace_size = String(provider.workspaceSize);
  if (provider.timingCachePath) {
    keys.trt_timing_cache_enable = '1';
    keys.trt_timing_cache_path = provider.timingCachePath;
  }
  if (provider.dlaCore !== undefined) {
    keys.trt_dla_enable = '1';
    keys.trt_dla_core = String(provider.dlaCore);
  }
  if (provider.builderOptimizationLevel !== undefined)
    keys.trt_builder_optimization_level = String(provider.builderOptimizationLevel);
  if (provider.profile) Object.assign(keys, profileKeys(provider.profile, inputs));
  return keys;
}

/**
 * `trt_profile_{min,opt,max}_shapes` for every input whose batch (first) dimension is symbolic, e.g.
 * `images:1x3x640x640`. A model with static inputs needs no profile; other symbolic dimensions have no
 * value we could choose, so they are an error asking for the raw keys.
 */
function profileKeys(
  profile: NonNullable<TensorRtProvider['profile']>,
  inputs?: readonly ModelInputShape[],
): Record<string, string> {
  if (!inputs)
    throw new ProviderOptionError('tensorrt', 'profile', "needs the model's inputs (open the model first)");
  const { min, opt, max } = profile;
  if (!(min >= 1 && min <= opt && opt <= max))
    throw new ProviderOptionError(
      'tensorrt',
      'profile',
      `needs 1 <= min <= opt <= max, got ${min}/${opt}/${max}`,
    );
  const dynamic = inputs.filter((input) => typeof input.shape[0] === 'string');
  if (dynamic.length === 0) return {};
  const shapes = (batch: number) =>
    dynamic
      .map((input) => {
        const dims = input.shape.map((d, i) => {
          if (i === 0) return batch;
          if (typeof d === 'number' && d > 0) return d;
          throw new ProviderOptionError(
            'tensorrt',
            'profile',
            `input ${input.name} dimension ${i} is ${JSON.stringify(d)}: set trt_profile_min_shapes/opt/max in options`,
          );
        });
        return `${input.name}:${dims.join('x')}`;
      })
      .join(',');
  return {
    trt_profile_min_shapes: shapes(min),
    trt_profile_opt_shapes: shapes(opt),
    trt_profile_max_shapes: shapes(max),
  };
}
