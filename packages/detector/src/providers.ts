import type { Logger } from '@rxvision/decode';
import type { InferenceSession } from 'onnxruntime-node';

/** CPU: always present. `threads` sets onnxruntime's intra-op thread count (0 = one per core). */
export interface CpuProvider {
  readonly name: 'cpu';
  readonly threads?: number;
}

/** CUDA: needs onnxruntime-node's CUDA provider libraries (see the README). */
export interface CudaProvider {
  readonly name: 'cuda';
  readonly deviceId?: number;
}

/**
 * TensorRT (DeepStream `network-mode` 0/1/2 ↔ fp32 / `int8` / `fp16`). Options are handed to
 * onnxruntime's TensorRT provider as its `ORT_TENSORRT_*` settings.
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
  /** Batch sizes of the optimisation profile for a dynamic-batch model. */
  readonly profile?: { readonly min: number; readonly opt: number; readonly max: number };
}

export interface WebGpuProvider {
  readonly name: 'webgpu';
  readonly preferredLayout?: 'NCHW' | 'NHWC';
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
  | WebGpuProvider;

export interface OpenedSession {
  readonly session: InferenceSession;
  readonly provider: string;
  /** Providers tried before this one, with why each could not load. */
  readonly skipped: readonly { readonly provider: string; readonly reason: string }[];
}

type SessionFactory = (options: InferenceSession.SessionOptions) => Promise<InferenceSession>;

/**
 * Opens the model on the first provider of the ordered list that loads; each one that cannot is
 * skipped with a warning saying why. Throws, listing every reason, when none loads.
 */
export async function openSession(
  model: string,
  create: SessionFactory,
  providers: readonly ExecutionProvider[],
  logger: Pick<Logger, 'info' | 'warn'>,
  profileInput: ProfileInput = { name: 'images', width: 640, height: 640 },
): Promise<OpenedSession> {
  const skipped: { provider: string; reason: string }[] = [];
  if (providers.length === 0)
    throw new Error(`detector ${model}: the providers list is empty; use at least ['cpu']`);
  for (const entry of providers) checkProvider(entry);
  for (const entry of providers) {
    const provider = typeof entry === 'string' ? { name: entry } : entry;
    try {
      const session = await create(sessionOptions(provider as ProviderObject, profileInput));
      for (const s of skipped) logger.warn(`detector ${model}: provider ${s.provider} skipped: ${s.reason}`);
      logger.info(`detector ${model}: serving on ${provider.name}`);
      return { session, provider: provider.name, skipped };
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
      skipped.push({ provider: provider.name, reason });
    }
  }
  throw new Error(
    `detector ${model}: no execution provider could load the model:\n${skipped
      .map((s) => `  - ${s.provider}: ${s.reason}`)
      .join(
        '\n',
      )}\nAdd 'cpu' at the end of the providers list as a fallback, or install the provider libraries.`,
  );
}

/** The image input the TensorRT optimisation profile describes. */
export interface ProfileInput {
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

const KNOWN_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  cpu: ['threads'],
  cuda: ['deviceId'],
  tensorrt: [
    'deviceId',
    'fp16',
    'int8',
    'int8CalibrationTable',
    'engineCachePath',
    'workspaceSize',
    'profile',
  ],
  webgpu: ['preferredLayout'],
};

/** A misspelt provider or option is a configuration error, reported before anything loads. */
function checkProvider(entry: ExecutionProvider): void {
  const name = typeof entry === 'string' ? entry : entry.name;
  const known = KNOWN_OPTIONS[name];
  if (!known)
    throw new Error(
      `unknown execution provider ${JSON.stringify(name)}: use one of ${Object.keys(KNOWN_OPTIONS).join(', ')}`,
    );
  if (typeof entry === 'string') return;
  for (const key of Object.keys(entry)) {
    if (key !== 'name' && !known.includes(key))
      throw new Error(
        `execution provider ${name}: unknown option ${JSON.stringify(key)}; it takes ${known.join(', ')}`,
      );
  }
}

type ProviderObject = CpuProvider | CudaProvider | TensorRtProvider | WebGpuProvider;

function sessionOptions(
  provider: ProviderObject,
  profileInput: ProfileInput,
): InferenceSession.SessionOptions {
  const common: InferenceSession.SessionOptions = { graphOptimizationLevel: 'all' };
  switch (provider.name) {
    case 'cpu':
      return {
        ...common,
        executionProviders: [{ name: 'cpu' }],
        ...(provider.threads ? { intraOpNumThreads: provider.threads } : {}),
      };
    case 'cuda':
      return { ...common, executionProviders: [{ name: 'cuda', deviceId: provider.deviceId ?? 0 }] };
    case 'webgpu':
      return {
        ...common,
        executionProviders: [{ name: 'webgpu', preferredLayout: provider.preferredLayout ?? 'NCHW' }],
      };
    case 'tensorrt':
      Object.assign(process.env, tensorRtEnvironment(provider, profileInput));
      return { ...common, executionProviders: [{ name: 'tensorrt', deviceId: provider.deviceId ?? 0 }] };
    default: {
      const unknown: { name: string } = provider;
      throw new Error(
        `unknown execution provider ${JSON.stringify(unknown.name)} (use cpu, cuda, tensorrt or webgpu)`,
      );
    }
  }
}

/** onnxruntime's TensorRT provider reads these when it is created; onnxruntime-node passes only a device id. */
export function tensorRtEnvironment(provider: TensorRtProvider, input: ProfileInput): Record<string, string> {
  const env: Record<string, string> = {};
  if (provider.fp16) env.ORT_TENSORRT_FP16_ENABLE = '1';
  if (provider.int8) env.ORT_TENSORRT_INT8_ENABLE = '1';
  if (provider.int8CalibrationTable)
    env.ORT_TENSORRT_INT8_CALIBRATION_TABLE_NAME = provider.int8CalibrationTable;
  if (provider.engineCachePath) {
    env.ORT_TENSORRT_ENGINE_CACHE_ENABLE = '1';
    env.ORT_TENSORRT_CACHE_PATH = provider.engineCachePath;
  }
  if (provider.workspaceSize) env.ORT_TENSORRT_MAX_WORKSPACE_SIZE = String(provider.workspaceSize);
  if (provider.profile) {
    const shape = (b: number) => `${input.name}:${b}x3x${input.height}x${input.width}`;
    env.ORT_TENSORRT_PROFILE_MIN_SHAPES = shape(provider.profile.min);
    env.ORT_TENSORRT_PROFILE_OPT_SHAPES = shape(provider.profile.opt);
    env.ORT_TENSORRT_PROFILE_MAX_SHAPES = shape(provider.profile.max);
  }
  return env;
}
