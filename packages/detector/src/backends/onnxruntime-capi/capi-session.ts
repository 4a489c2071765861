import type { Logger } from '@rxvision/decode';
import type { InferenceSession } from 'onnxruntime-node';
import type { TensorLike } from '../../candidate.js';
import {
  type InferenceInput,
  InferenceRunError,
  type InferenceSessionHandle,
  noProviderLoadedError,
} from '../inference-backend.js';
import {
  engineCacheOf,
  engineCacheOutcome,
  engineWillBuild,
  listEngines,
  withEnginePrefix,
} from './engine-cache.js';
import { allocPointers, freePointers, readPointers, writePointers } from './native-memory.js';
import {
  MODEL_ERROR_CODES,
  ORT_ARENA_ALLOCATOR,
  ORT_ENABLE_ALL,
  ORT_MEM_TYPE_DEFAULT,
} from './ort-api-table.js';
import { loadOrtApi, type OrtApi, type Pointer } from './ort-library.js';
import { check, type OrtStatusError, statusError } from './ort-status.js';
import {
  type CapiProvider,
  type ModelInputShape,
  needsModelInputs,
  type OrtProviderKeys,
  providerOrtOptions,
} from './provider-keys.js';
import { appendProvider } from './provider-options.js';
import { createInputTensor, readOutputTensor } from './tensors.js';
import { sessionValueMetadata } from './value-metadata.js';

/** How the C API session is opened. */
export interface CapiSessionOptions {
  /** The `libonnxruntime` to call (ORT's GPU release, a Jetson build); default: onnxruntime-node's own. */
  readonly runtimeLibrary?: string;
  /** Severity from which ORT itself logs to stderr (default `fatal`: every failure also comes back to us). */
  readonly ortLogLevel?: 'verbose' | 'info' | 'warning' | 'error' | 'fatal';
  /** Try the CPU provider when none of the listed ones loads and the list has no `cpu` (default true). */
  readonly cpuFallback?: boolean;
}

/** An `InferenceSessionHandle` on ONNX Runtime's C API (`runtimeVersion`: the library's version). */
export type CapiSession = InferenceSessionHandle;

const LOG_LEVELS = { verbose: 0, info: 1, warning: 2, error: 3, fatal: 4 } as const;

/**
 * Opens `model` on the first provider of the list that loads, through ONNX Runtime's C API (koffi), so
 * TensorRT and CUDA get every option. Each provider that cannot load is skipped with ORT's reason in a
 * `logger.warn`; a refused option key throws; a model ORT cannot read throws ORT's message. Runs go through
 * koffi's worker threads, so the event loop stays free while the model runs.
 */
export async function openCapiSession(
  model: string,
  providers: readonly CapiProvider[],
  logger: Pick<Logger, 'info' | 'warn'>,
  options: CapiSessionOptions = {},
): Promise<CapiSession> {
  if (providers.length === 0)
    throw new Error(`detector ${model}: the providers list is empty; use at least ['cpu']`);
  const api = loadOrtApi(options.runtimeLibrary);
  // Every key is checked before anything is created; TensorRT profiles wait for the model's inputs.
  for (const entry of providers) if (!needsModelInputs(entry)) providerOrtOptions(entry);

  const native = new NativeObjects(api);
  try {
    const env = native.out('CreateEnv', (out) =>
      api.CreateEnv(LOG_LEVELS[options.ortLogLevel ?? 'fatal'], 'rxvision', out),
    );
    native.own(env, (p) => api.ReleaseEnv(p));
    const allocatorOut = new BigUint64Array(1);
    // The default allocator is ORT's own singleton: never released.
    check(api, api.GetAllocatorWithDefaultOptions(allocatorOut), 'GetAllocatorWithDefaultOptions');
    const allocator = allocatorOut[0]!;
    const inputs = providers.some(needsModelInputs)
      ? await modelInputs(api, env, allocator, model)
      : undefined;
    const plans = providers.map((entry) =>
      withEnginePrefix(providerOrtOptions(entry, inputs), model, api.version),
    );
    const implicitCpu = (options.cpuFallback ?? true) && !plans.some((p) => p.kind === 'cpu');
    if (implicitCpu) plans.push(providerOrtOptions('cpu'));

    const skipped: { provider: string; reason: string }[] = [];
    let opened: { session: Pointer; provider: string; effective?: string } | undefined;
    for (const plan of plans) {
      const result = await createSession(api, env, model, plan, logger);
      if ('session' in result) {
        opened = { provider: plan.provider, ...result };
        break;
      }
      skipped.push({ provider: plan.provider, reason: result.reason });
    }
    for (const s of skipped) logger.warn(`detector ${model}: provider ${s.provider} skipped: ${s.reason}`);
    if (implicitCpu && opened?.provider === 'cpu')
      logger.warn(`detector ${model}: none of the listed providers loaded; falling back to cpu`);
    if (!opened) throw noProviderLoadedError(model, skipped);
    const session = opened.session;
    native.own(session, (p) => api.ReleaseSession(p));
    const inputMetadata = sessionValueMetadata(api, session, allocator, 'input');
    const outputMetadata = sessionValueMetadata(api, session, allocator, 'output');
    const memoryInfo = native.out('CreateCpuMemoryInfo', (out) =>
      api.CreateCpuMemoryInfo(ORT_ARENA_ALLOCATOR, ORT_MEM_TYPE_DEFAULT, out),
    );
    native.own(memoryInfo, (p) => api.ReleaseMemoryInfo(p));
    if (opened.effective) logger.info(`detector ${model}: ${opened.provider} settings: ${opened.effective}`);
    return capiSession(api, native, {
      session,
      memoryInfo,
      provider: opened.provider,
      skipped,
      inputMetadata,
      outputMetadata,
    });
  } catch (error) {
    native.releaseAll();
    throw error;
  }
}

/**
 * Runs `open` (CreateSession with the provider appended) and, when TensorRT caches engines, says whether it
 * is building one (first start: minutes), how long the build took, or that the cached engine served.
 */
async function timedEngineBuild<T extends object>(
  model: string,
  plan: OrtProviderKeys,
  logger: Pick<Logger, 'info'>,
  open: () => Promise<T>,
): Promise<T> {
  const cache = engineCacheOf(plan);
  if (!cache) return open();
  const before = listEngines(cache.directory, cache.prefix);
  if (engineWillBuild(before))
    logger.info(
      `detector ${model}: building the TensorRT engine for ${model} (first start; this can take minutes), cached in ${cache.directory}`,
    );
  const started = performance.now();
  const result = await open();
  if (!('session' in result)) return result;
  const outcome = engineCacheOutcome(before, listEngines(cache.directory, cache.prefix));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  logger.info(
    outcome.kind === 'built'
      ? `detector ${model}: built the TensorRT engine in ${seconds} s (${outcome.engines.join(', ')} in ${cache.directory})`
      : `detector ${model}: used the cached TensorRT engine (${outcome.engines.join(', ') || 'none listed'} in ${cache.directory}), opened in ${seconds} s`,
  );
  return result;
}

/** Native objects a session owns, released once, newest first. */
class NativeObjects {
  private readonly owned: { pointer: Pointer; release: (p: Pointer) => void }[] = [];
  constructor(private readonly api: OrtApi) {}

  /** Calls an ORT function with one pointer out-parameter and returns the pointer it wrote. */
  out(call: string, fn: (out: BigUint64Array) => Pointer | null): Pointer {
    const out = new BigUint64Array(1);
    check(this.api, fn(out), call);
    return out[0]!;
  }

  own(pointer: Pointer, release: (p: Pointer) => void): void {
    this.owned.push({ pointer, release });
  }

  releaseAll(): void {
    for (const { pointer, release } of this.owned.splice(0).reverse()) release(pointer);
  }
}

/** Session options for one provider, the session created from them, and the options released either way. */
async function createSession(
  api: OrtApi,
  env: Pointer,
  model: string,
  plan: OrtProviderKeys,
  logger: Pick<Logger, 'info'>,
): Promise<{ session: Pointer; effective?: string } | { reason: string }> {
  const optionsOut = new BigUint64Array(1);
  check(api, api.CreateSessionOptions(optionsOut), 'CreateSessionOptions');
  const options = optionsOut[0]!;
  try {
    check(
      api,
      api.SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL),
      'SetSessionGraphOptimizationLevel',
    );
    const appended = appendProvider(api, options, plan);
    if (!appended.appended) return { reason: appended.reason };
    const created = await timedEngineBuild(model, plan, logger, () =>
      createSessionOnWorker(api, env, model, options),
    );
    if ('session' in created)
      return appended.effective === undefined
        ? { session: created.session }
        : { session: created.session, effective: appended.effective };
    const { error } = created;
    // A model ORT cannot read fails the same on every provider: say so once, in ORT's words.
    if (MODEL_ERROR_CODES.has(error.code) || plan.kind === 'cpu')
      throw new Error(`detector ${model}: ${error.message}`, { cause: error });
    return { reason: `${error.message.split('\n')[0]}` };
  } finally {
    // The session keeps its own copy of the options.
    api.ReleaseSessionOptions(options);
  }
}

/** The model's inputs as ORT sees them, from a CPU session without graph optimisation (released at once). */
async function modelInputs(
  api: OrtApi,
  env: Pointer,
  allocator: Pointer,
  model: string,
): Promise<ModelInputShape[]> {
  const optionsOut = new BigUint64Array(1);
  check(api, api.CreateSessionOptions(optionsOut), 'CreateSessionOptions');
  let session: Pointer | undefined;
  try {
    check(api, api.SetSessionGraphOptimizationLevel(optionsOut[0]!, 0), 'SetSessionGraphOptimizationLevel');
    const created = await createSessionOnWorker(api, env, model, optionsOut[0]!);
    if ('error' in created)
      throw new Error(`detector ${model}: ${created.error.message}`, { cause: created.error });
    session = created.session;
  } finally {
    api.ReleaseSessionOptions(optionsOut[0]!);
  }
  try {
    return sessionValueMetadata(api, session, allocator, 'input').map((v) => ({
      name: v.name,
      shape: v.isTensor ? v.shape : [],
    }));
  } finally {
    api.ReleaseSession(session);
  }
}

/** `CreateSession` off the event loop (a TensorRT engine build takes minutes); the out-pointer is koffi memory. */
async function createSessionOnWorker(
  api: OrtApi,
  env: Pointer,
  model: string,
  options: Pointer,
): Promise<{ session: Pointer } | { error: OrtStatusError }> {
  const out = allocPointers(1);
  try {
    writePointers(out, [null]);
    const error = statusError(api, await api.CreateSessionAsync(env, model, options, out), 'CreateSession');
    if (error) return { error };
    const session = readPointers(out, 1)[0];
    if (!session) throw new Error(`detector ${model}: CreateSession returned neither a session nor an error`);
    return { session };
  } finally {
    freePointers(out);
  }
}

function capiSession(
  api: OrtApi,
  native: NativeObjects,
  opened: {
    readonly session: Pointer;
    readonly memoryInfo: Pointer;
    readonly provider: string;
    readonly skipped: readonly { readonly provider: string; readonly reason: string }[];
    readonly inputMetadata: readonly InferenceSession.ValueMetadata[];
    readonly outputMetadata: readonly InferenceSession.ValueMetadata[];
  },
): CapiSession {
  const inFlight = new Set<Promise<unknown>>();
  let released = false;
  return {
    runtime: 'onnxruntime-capi',
    provider: opened.provider,
    skipped: opened.skipped,
    runtimeVersion: api.version,
    runtimeLibrary: api.path,
    inputMetadata: opened.inputMetadata,
    outputMetadata: opened.outputMetadata,
    async run(inputName, tensor, fetches, scalars = {}) {
      if (released) throw new InferenceRunError('the C API session was released', tensor.data);
      const feeds: [string, InferenceInput][] = [[inputName, tensor]];
      for (const [name, value] of Object.entries(scalars))
        feeds.push([name, { type: 'float32', dims: [1], data: Float32Array.of(value) }]);
      const run = runOnce(api, opened.session, opened.memoryInfo, feeds, fetches);
      inFlight.add(run);
      try {
        return { outputs: await run, input: tensor.data };
      } catch (error) {
        throw new InferenceRunError(error instanceof Error ? error.message : String(error), tensor.data);
      } finally {
        inFlight.delete(run);
      }
    },
    async release() {
      if (released) return;
      released = true;
      // A run on a worker thread still uses the session: wait for it before the session goes.
      await Promise.allSettled([...inFlight]);
      native.releaseAll();
    },
  };
}

/** Feeds of runs in progress: native values point into their arrays, which must outlive the run. */
const pinned = new Set<readonly (readonly [string, InferenceInput])[]>();

/**
 * One `Run` on koffi's worker thread. The input values wrap the feeds' arrays (pinned until the run
 * ends); the pointer arrays live in koffi-allocated memory because JS arrays may move meanwhile.
 */
async function runOnce(
  api: OrtApi,
  session: Pointer,
  memoryInfo: Pointer,
  feeds: readonly (readonly [string, InferenceInput])[],
  fetches: readonly string[],
): Promise<Record<string, TensorLike>> {
  const inputs = allocPointers(feeds.length);
  const outputs = allocPointers(fetches.length);
  const values: Pointer[] = [];
  pinned.add(feeds);
  try {
    for (const [, tensor] of feeds) values.push(createInputTensor(api, memoryInfo, tensor));
    writePointers(inputs, values);
    writePointers(
      outputs,
      fetches.map(() => null),
    );
    const names = feeds.map(([name]) => name);
    const status = await api.RunAsync(session, names, inputs, feeds.length, fetches, fetches.length, outputs);
    const results = readPointers(outputs, fetches.length);
    try {
      check(api, status, 'Run');
      const result: Record<string, TensorLike> = {};
      results.forEach((value, i) => {
        const name = fetches[i]!;
        if (!value) throw new Error(`Run returned no value for output ${name}`);
        result[name] = readOutputTensor(api, value, name);
      });
      return result;
    } finally {
      for (const value of results) if (value) api.ReleaseValue(value);
    }
  } finally {
    for (const value of values) api.ReleaseValue(value);
    pinned.delete(feeds);
    freePointers(inputs);
    freePointers(outputs);
  }
}
