/** A raw provider option value; booleans become "1"/"0", numbers their decimal form. */
export type RawOptionValue = string | number | boolean;
/** Provider keys passed to ONNX Runtime as they are (e.g. `trt_timing_cache_enable`, `device_type`). */
export type RawOptions = Readonly<Record<string, RawOptionValue>>;

/** CPU: always present. `threads` sets onnxruntime's intra-op thread count (0 = one per core). */
export interface CpuProvider {
  readonly name: 'cpu';
  readonly threads?: number;
}

/** CUDA. With `runtime: 'onnxruntime-node'` only `deviceId` reaches it; the C API runtime passes every key. */
export interface CudaProvider {
  readonly name: 'cuda';
  readonly deviceId?: number;
  /** `cudnn_conv_algo_search`: how cuDNN picks convolution algorithms (default `EXHAUSTIVE`). */
  readonly cudnnConvAlgoSearch?: 'EXHAUSTIVE' | 'HEURISTIC' | 'DEFAULT';
  /** `gpu_mem_limit`: the most bytes CUDA's arena may hold. */
  readonly gpuMemLimit?: number;
  /** Any other CUDA provider key as ORT spells it (checked against `CUDA_KEYS`). C API runtime only. */
  readonly options?: RawOptions;
}

/**
 * TensorRT (DeepStream `network-mode` 0/1/2 ↔ fp32 / `int8` / `fp16`). With `runtime: 'onnxruntime-node'`
 * only `deviceId` reaches it; everything else needs `runtime: 'onnxruntime-capi'`.
 */
export interface TensorRtProvider {
  readonly name: 'tensorrt';
  readonly deviceId?: number;
  readonly fp16?: boolean;
  readonly int8?: boolean;
  /** INT8 calibration table (DeepStream `int8-calib-file`). */
  readonly int8CalibrationTable?: string;
  /** Directory where built engines are cached (DeepStream `model-engine-file`'s folder). */
  readonly engineCachePath?: string;
  /** Builder workspace in bytes (DeepStream `workspace-size`, which is in MB). */
  readonly workspaceSize?: number;
  /** Batch sizes of the optimisation profile for a dynamic-batch model (shapes use the model's own input names). */
  readonly profile?: { readonly min: number; readonly opt: number; readonly max: number };
  /** Directory of TensorRT's timing cache (`trt_timing_cache_enable` + `trt_timing_cache_path`): faster rebuilds. */
  readonly timingCachePath?: string;
  /** Runs on this DLA core (Jetson Xavier/Orin; `trt_dla_enable` + `trt_dla_core`; DeepStream `enable-dla`/`use-dla-core`). */
  readonly dlaCore?: number;
  /** `trt_builder_optimization_level` 0–5 (TensorRT's default 3): higher builds longer for faster engines. */
  readonly builderOptimizationLevel?: number;
  /** Any other TensorRT provider key as ORT spells it (checked against `TENSORRT_KEYS`). C API runtime only. */
  readonly options?: RawOptions;
}

/** WebGPU (onnxruntime-node's own build). */
export interface WebGpuProvider {
  readonly name: 'webgpu';
  readonly preferredLayout?: 'NCHW' | 'NHWC';
}

/**
 * Any other ONNX Runtime provider by name with its own keys, C API runtime only:
 * `{ name: 'openvino', options: { device_type: 'NPU' } }`, `{ name: 'qnn', options: { backend_path: 'libQnnHtp.so' } }`.
 */
export interface RawProvider {
  readonly name: string;
  readonly options: RawOptions;
}

/** One entry of the ordered provider list: a name or a name with options. */
export type ExecutionProvider =
  | 'cpu'
  | 'cuda'
  | 'tensorrt'
  | 'webgpu'
  | CpuProvider
  | CudaProvider
  | TensorRtProvider
  | WebGpuProvider
  | RawProvider;

/** The inference runtimes the detector can run a model on. */
export const INFERENCE_RUNTIMES = ['onnxruntime-node', 'onnxruntime-capi'] as const;
/** `onnxruntime-node` (the npm binding, default) or `onnxruntime-capi` (ONNX Runtime's C API on any `libonnxruntime.so`). */
export type InferenceRuntime = (typeof INFERENCE_RUNTIMES)[number];

/** The option fields each provider we know takes, per runtime (onnxruntime-node passes only these). */
const NODE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  cpu: ['threads'],
  cuda: ['deviceId'],
  tensorrt: ['deviceId'],
  webgpu: ['preferredLayout'],
};
const CAPI_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  cpu: ['threads'],
  cuda: ['deviceId', 'cudnnConvAlgoSearch', 'gpuMemLimit', 'options'],
  tensorrt: [
    'deviceId',
    'fp16',
    'int8',
    'int8CalibrationTable',
    'engineCachePath',
    'workspaceSize',
    'profile',
    'timingCachePath',
    'dlaCore',
    'builderOptimizationLevel',
    'options',
  ],
  webgpu: ['preferredLayout', 'options'],
};

/** A provider entry the chosen runtime cannot honour: unknown name, unknown option, or one only the C API passes. */
export class ProviderConfigError extends Error {
  override readonly name = 'ProviderConfigError';
  constructor(
    readonly provider: string,
    /** The option at fault (our field name), or undefined when the provider itself is the problem. */
    readonly key: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The entry's name. */
export function providerName(entry: ExecutionProvider): string {
  return typeof entry === 'string' ? entry : entry.name;
}

/**
 * Checks every entry against what `runtime` can pass to ONNX Runtime, before anything loads: a misspelt
 * provider or option is a configuration error, and an option onnxruntime-node would drop (TensorRT's fp16,
 * engine cache, …) is refused with the way to get it, never silently ignored.
 */
export function checkProviders(runtime: InferenceRuntime, providers: readonly ExecutionProvider[]): void {
  if (providers.length === 0)
    throw new ProviderConfigError('', undefined, "the providers list is empty; use at least ['cpu']");
  for (const entry of providers) checkProvider(runtime, entry);
}

function checkProvider(runtime: InferenceRuntime, entry: ExecutionProvider): void {
  const name = providerName(entry);
  const capi = CAPI_OPTIONS[name];
  const node = NODE_OPTIONS[name];
  if (runtime === 'onnxruntime-node') {
    if (!node)
      throw new ProviderConfigError(
        name,
        undefined,
        `unknown execution provider ${JSON.stringify(name)} for onnxruntime-node: use one of ${Object.keys(NODE_OPTIONS).join(', ')}, or runtime onnxruntime-capi with an ONNX Runtime build that has it`,
      );
    if (typeof entry === 'string') return;
    for (const key of Object.keys(entry)) {
      if (key === 'name' || node.includes(key)) continue;
      if (capi?.includes(key))
        throw new ProviderConfigError(
          name,
          key,
          `execution provider ${name}: option ${JSON.stringify(key)} needs runtime onnxruntime-capi (runtime: onnxruntime-capi); onnxruntime-node passes ${name} only ${node.join(', ')} and would drop it`,
        );
      throw unknownOption(name, key, capi ?? node);
    }
    return;
  }
  if (typeof entry === 'string' || !capi) return;
  for (const key of Object.keys(entry))
    if (key !== 'name' && !capi.includes(key)) throw unknownOption(name, key, capi);
}

function unknownOption(name: string, key: string, known: readonly string[]): ProviderConfigError {
  return new ProviderConfigError(
    name,
    key,
    `execution provider ${name}: unknown option ${JSON.stringify(key)}; it takes ${known.join(', ')}`,
  );
}
