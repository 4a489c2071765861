import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { ORT_API_SLOTS, ORT_API_VERSION, type OrtApiName } from './ort-api-table.js';

/** A native pointer as koffi 3 represents it. */
export type Pointer = bigint;
/** An `OrtStatus*`: null on success, else a status the caller must release. */
export type StatusPointer = Pointer | null;

/** The `OrtApi` functions this backend calls, typed (out-parameters are typed arrays or koffi allocations). */
export interface OrtApi {
  /** The library file these functions come from. */
  readonly path: string;
  /** `OrtApiBase::GetVersionString()`, e.g. "1.30.0". */
  readonly version: string;
  CreateStatus(code: number, message: string): StatusPointer;
  GetErrorCode(status: Pointer): number;
  GetErrorMessage(status: Pointer): string;
  CreateEnv(logLevel: number, logId: string, out: BigUint64Array): StatusPointer;
  CreateSession(env: Pointer, modelPath: string, options: Pointer, out: BigUint64Array): StatusPointer;
  /** `CreateSession` on one of koffi's worker threads (a TensorRT engine build takes minutes): `out` from koffi.alloc. */
  CreateSessionAsync(env: Pointer, modelPath: string, options: Pointer, out: Pointer): Promise<StatusPointer>;
  /** `Run` on one of koffi's worker threads: `inputs`/`outputs` must be stable (koffi.alloc) memory. */
  RunAsync(
    session: Pointer,
    inputNames: readonly string[],
    inputs: Pointer,
    inputCount: number,
    outputNames: readonly string[],
    outputCount: number,
    outputs: Pointer,
  ): Promise<StatusPointer>;
  CreateSessionOptions(out: BigUint64Array): StatusPointer;
  SetSessionGraphOptimizationLevel(options: Pointer, level: number): StatusPointer;
  SetIntraOpNumThreads(options: Pointer, threads: number): StatusPointer;
  SessionGetInputCount(session: Pointer, out: BigUint64Array): StatusPointer;
  SessionGetOutputCount(session: Pointer, out: BigUint64Array): StatusPointer;
  SessionGetInputTypeInfo(session: Pointer, index: number, out: BigUint64Array): StatusPointer;
  SessionGetOutputTypeInfo(session: Pointer, index: number, out: BigUint64Array): StatusPointer;
  SessionGetInputName(
    session: Pointer,
    index: number,
    allocator: Pointer,
    out: BigUint64Array,
  ): StatusPointer;
  SessionGetOutputName(
    session: Pointer,
    index: number,
    allocator: Pointer,
    out: BigUint64Array,
  ): StatusPointer;
  CreateTensorWithDataAsOrtValue(
    memoryInfo: Pointer,
    data: Pointer,
    byteLength: number,
    shape: BigInt64Array,
    shapeLength: number,
    elementType: number,
    out: BigUint64Array,
  ): StatusPointer;
  GetTensorMutableData(value: Pointer, out: BigUint64Array): StatusPointer;
  CastTypeInfoToTensorInfo(typeInfo: Pointer, out: BigUint64Array): StatusPointer;
  GetOnnxTypeFromTypeInfo(typeInfo: Pointer, out: Int32Array): StatusPointer;
  GetTensorElementType(info: Pointer, out: Int32Array): StatusPointer;
  GetDimensionsCount(info: Pointer, out: BigUint64Array): StatusPointer;
  GetDimensions(info: Pointer, out: BigInt64Array, count: number): StatusPointer;
  GetSymbolicDimensions(info: Pointer, out: BigUint64Array, count: number): StatusPointer;
  GetTensorShapeElementCount(info: Pointer, out: BigUint64Array): StatusPointer;
  GetTensorTypeAndShape(value: Pointer, out: BigUint64Array): StatusPointer;
  CreateCpuMemoryInfo(allocatorType: number, memType: number, out: BigUint64Array): StatusPointer;
  AllocatorFree(allocator: Pointer, pointer: Pointer): StatusPointer;
  GetAllocatorWithDefaultOptions(out: BigUint64Array): StatusPointer;
  ReleaseEnv(env: Pointer): void;
  ReleaseStatus(status: Pointer): void;
  ReleaseMemoryInfo(info: Pointer): void;
  ReleaseSession(session: Pointer): void;
  ReleaseValue(value: Pointer): void;
  ReleaseTypeInfo(info: Pointer): void;
  ReleaseTensorTypeAndShapeInfo(info: Pointer): void;
  ReleaseSessionOptions(options: Pointer): void;
  GetAvailableProviders(out: BigUint64Array, count: Int32Array): StatusPointer;
  ReleaseAvailableProviders(list: Pointer, count: number): StatusPointer;
  SessionOptionsAppendExecutionProvider_TensorRT_V2(options: Pointer, trt: Pointer): StatusPointer;
  CreateTensorRTProviderOptions(out: BigUint64Array): StatusPointer;
  UpdateTensorRTProviderOptions(
    trt: Pointer,
    keys: readonly string[],
    values: readonly string[],
    count: number,
  ): StatusPointer;
  GetTensorRTProviderOptionsAsString(trt: Pointer, allocator: Pointer, out: BigUint64Array): StatusPointer;
  ReleaseTensorRTProviderOptions(trt: Pointer): void;
  SessionOptionsAppendExecutionProvider_CUDA_V2(options: Pointer, cuda: Pointer): StatusPointer;
  CreateCUDAProviderOptions(out: BigUint64Array): StatusPointer;
  UpdateCUDAProviderOptions(
    cuda: Pointer,
    keys: readonly string[],
    values: readonly string[],
    count: number,
  ): StatusPointer;
  ReleaseCUDAProviderOptions(cuda: Pointer): void;
  SessionOptionsAppendExecutionProvider(
    options: Pointer,
    providerName: string,
    keys: readonly string[],
    values: readonly string[],
    count: number,
  ): StatusPointer;
}

/** The ONNX Runtime library could not be found or is not one. */
export class OrtLibraryError extends Error {
  override readonly name = 'OrtLibraryError';
}

const FIX =
  'set runtimeLibrary to the path of a libonnxruntime.so (onnxruntime-node ships one in bin/napi-v6/<platform>/<arch>; ' +
  "ORT's GPU release has lib/libonnxruntime.so; a Jetson build has it where it was installed)";

/** onnxruntime-node's own copy of the library for this platform and architecture. */
export function defaultRuntimeLibrary(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  const file =
    process.platform === 'darwin'
      ? 'libonnxruntime.1.dylib'
      : process.platform === 'win32'
        ? 'onnxruntime.dll'
        : 'libonnxruntime.so.1';
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch, file);
}

/**
 * Loaded libraries by real path. The koffi handle is kept with the API: a collected handle unloads the
 * library (dlclose) and leaves every decoded function pointer dangling.
 */
const loaded = new Map<string, { readonly api: OrtApi; readonly handles: readonly unknown[] }>();

/**
 * Loads `path` (default: onnxruntime-node's library) and returns its `OrtApi` functions. One load per file:
 * the same library onnxruntime-node already loaded is the same dlopen handle, so both share one ORT.
 */
export function loadOrtApi(path: string = defaultRuntimeLibrary()): OrtApi {
  if (process.platform === 'win32')
    throw new OrtLibraryError(
      'the onnxruntime C API backend passes model paths as char*: Linux and macOS only',
    );
  if (!existsSync(path)) throw new OrtLibraryError(`ONNX Runtime library ${path} does not exist: ${FIX}`);
  const real = realpathSync(path);
  const cached = loaded.get(real);
  if (cached) return cached.api;
  let lib: LibraryHandle;
  try {
    lib = koffi.load(real);
  } catch (error) {
    throw new OrtLibraryError(`${path} cannot be loaded (${(error as Error).message}): ${FIX}`);
  }
  let base: Pointer | null;
  try {
    base = lib.func('OrtGetApiBase', 'void *', [])() as Pointer | null;
  } catch (error) {
    throw new OrtLibraryError(`${path} is not an ONNX Runtime library (${(error as Error).message}): ${FIX}`);
  }
  if (!base) throw new OrtLibraryError(`${path}: OrtGetApiBase() returned NULL: ${FIX}`);
  const [getApi, getVersion] = koffi.decode(base, 'void *', 2) as [Pointer, Pointer];
  const version = koffi.decode(getVersion, koffi.proto('const char *', []))() as string;
  const table = koffi.decode(getApi, koffi.proto('void *', ['uint32_t']))(ORT_API_VERSION) as Pointer | null;
  if (!table)
    throw new OrtLibraryError(
      `${path} is ONNX Runtime ${version}, which lacks C API version ${ORT_API_VERSION} (ONNX Runtime 1.13 or later is needed)`,
    );
  const { api, prototypes } = bind(table, real, version);
  selfCheck(api);
  loaded.set(real, { api, handles: [lib, prototypes] });
  return api;
}

type NativeFunction = ((...args: unknown[]) => unknown) & {
  async: (...args: unknown[]) => void;
};

/** Decodes every slot once; the only place koffi's untyped functions are seen. */
function bind(table: Pointer, path: string, version: string): { api: OrtApi; prototypes: unknown[] } {
  const fns: Partial<Record<OrtApiName, NativeFunction>> = {};
  const prototypes: unknown[] = [];
  for (const [name, [index, [result, args]]] of Object.entries(ORT_API_SLOTS)) {
    const slot = koffi.decode(table, index * 8, 'void *') as Pointer | null;
    if (!slot) throw new OrtLibraryError(`${path}: OrtApi slot ${index} (${name}) is NULL`);
    const prototype = koffi.proto(result, [...args]);
    prototypes.push(prototype);
    fns[name as OrtApiName] = koffi.decode(slot, prototype) as NativeFunction;
  }
  const onWorker = (fn: NativeFunction, ...args: unknown[]) =>
    new Promise<StatusPointer>((resolve, reject) =>
      fn.async(...args, (error: unknown, status: StatusPointer) => (error ? reject(error) : resolve(status))),
    );
  const api = {
    ...fns,
    path,
    version,
    GetErrorMessage: (status: Pointer) => (fns.GetErrorMessage!(status) as string | null) ?? '',
    CreateSessionAsync: (env: Pointer, modelPath: string, options: Pointer, out: Pointer) =>
      onWorker(fns.CreateSession!, env, modelPath, options, out),
    RunAsync: (
      session: Pointer,
      inputNames: readonly string[],
      inputs: Pointer,
      inputCount: number,
      outputNames: readonly string[],
      outputCount: number,
      outputs: Pointer,
    ) => onWorker(fns.Run!, session, null, inputNames, inputs, inputCount, outputNames, outputCount, outputs),
  };
  return { api: api as unknown as OrtApi, prototypes };
}

/** A status round trip through slots 0, 1, 2 and 93: a library whose table differs fails here, not mid-run. */
function selfCheck(api: OrtApi): void {
  const status = api.CreateStatus(2, 'rxvision self-check');
  if (!status)
    throw new OrtLibraryError(`${api.path}: CreateStatus returned NULL; not a compatible OrtApi table`);
  const code = api.GetErrorCode(status);
  const message = api.GetErrorMessage(status);
  api.ReleaseStatus(status);
  if (code !== 2 || message !== 'rxvision self-check')
    throw new OrtLibraryError(
      `${api.path}: the OrtApi status functions answer wrongly; not a compatible OrtApi table`,
    );
}

/**
 * Loads `path` as ONNX Runtime and returns its version, or throws one `OrtLibraryError` naming the path and
 * the fix (missing file, not a library, not ONNX Runtime, too old). Config validation calls it for
 * `runtime_library`.
 */
export function checkRuntimeLibrary(path: string): string {
  return loadOrtApi(path).version;
}
