/**
 * The `OrtApi` slots this backend calls: index in `struct OrtApi` and C prototype.
 *
 * Indices counted by hand in microsoft/onnxruntime `include/onnxruntime/core/session/onnxruntime_c_api.h`
 * at ORT_API_VERSION 13 (every `ORT_API2_STATUS(...)`, `ORT_CLASS_RELEASE(...)` and plain function pointer
 * member is one slot; the struct has no `#ifdef` inside it). The struct is append-only, so the same indices
 * hold for every later release (checked at run time against 1.30.0 in test/capi-api-table.test.ts).
 * Prototypes use `void *` for every handle and out-parameter: koffi passes typed arrays as pointers to their
 * contents, and pointers come back as BigInt.
 */

/** The API version requested from `OrtGetApiBase()->GetApi`: every slot below exists since 1.13. */
export const ORT_API_VERSION = 13;

/** A C prototype as koffi's `proto(result, args)` takes it. */
export type Prototype = readonly [result: string, args: readonly string[]];

const P = 'void *';
const STATUS = 'void *';

/** Slot index and prototype of each `OrtApi` member used. */
export const ORT_API_SLOTS = {
  CreateStatus: [0, [STATUS, ['int', 'const char *']]],
  GetErrorCode: [1, ['int', [P]]],
  GetErrorMessage: [2, ['const char *', [P]]],
  CreateEnv: [3, [STATUS, ['int', 'const char *', P]]],
  CreateSession: [7, [STATUS, [P, 'const char *', P, P]]],
  Run: [9, [STATUS, [P, P, 'const char **', P, 'size_t', 'const char **', 'size_t', P]]],
  CreateSessionOptions: [10, [STATUS, [P]]],
  SetSessionGraphOptimizationLevel: [23, [STATUS, [P, 'int']]],
  SetIntraOpNumThreads: [24, [STATUS, [P, 'int']]],
  SessionGetInputCount: [30, [STATUS, [P, P]]],
  SessionGetOutputCount: [31, [STATUS, [P, P]]],
  SessionGetInputTypeInfo: [33, [STATUS, [P, 'size_t', P]]],
  SessionGetOutputTypeInfo: [34, [STATUS, [P, 'size_t', P]]],
  SessionGetInputName: [36, [STATUS, [P, 'size_t', P, P]]],
  SessionGetOutputName: [37, [STATUS, [P, 'size_t', P, P]]],
  CreateTensorWithDataAsOrtValue: [49, [STATUS, [P, P, 'size_t', P, 'size_t', 'int', P]]],
  GetTensorMutableData: [51, [STATUS, [P, P]]],
  CastTypeInfoToTensorInfo: [55, [STATUS, [P, P]]],
  GetOnnxTypeFromTypeInfo: [56, [STATUS, [P, P]]],
  GetTensorElementType: [60, [STATUS, [P, P]]],
  GetDimensionsCount: [61, [STATUS, [P, P]]],
  GetDimensions: [62, [STATUS, [P, P, 'size_t']]],
  GetSymbolicDimensions: [63, [STATUS, [P, P, 'size_t']]],
  GetTensorShapeElementCount: [64, [STATUS, [P, P]]],
  GetTensorTypeAndShape: [65, [STATUS, [P, P]]],
  CreateCpuMemoryInfo: [69, [STATUS, ['int', 'int', P]]],
  AllocatorFree: [76, [STATUS, [P, P]]],
  GetAllocatorWithDefaultOptions: [78, [STATUS, [P]]],
  ReleaseEnv: [92, ['void', [P]]],
  ReleaseStatus: [93, ['void', [P]]],
  ReleaseMemoryInfo: [94, ['void', [P]]],
  ReleaseSession: [95, ['void', [P]]],
  ReleaseValue: [96, ['void', [P]]],
  ReleaseTypeInfo: [98, ['void', [P]]],
  ReleaseTensorTypeAndShapeInfo: [99, ['void', [P]]],
  ReleaseSessionOptions: [100, ['void', [P]]],
  GetAvailableProviders: [125, [STATUS, [P, P]]],
  ReleaseAvailableProviders: [126, [STATUS, [P, 'int']]],
  SessionOptionsAppendExecutionProvider_TensorRT_V2: [170, [STATUS, [P, P]]],
  CreateTensorRTProviderOptions: [171, [STATUS, [P]]],
  UpdateTensorRTProviderOptions: [172, [STATUS, [P, 'const char **', 'const char **', 'size_t']]],
  GetTensorRTProviderOptionsAsString: [173, [STATUS, [P, P, P]]],
  ReleaseTensorRTProviderOptions: [174, ['void', [P]]],
  SessionOptionsAppendExecutionProvider_CUDA_V2: [204, [STATUS, [P, P]]],
  CreateCUDAProviderOptions: [205, [STATUS, [P]]],
  UpdateCUDAProviderOptions: [206, [STATUS, [P, 'const char **', 'const char **', 'size_t']]],
  ReleaseCUDAProviderOptions: [208, ['void', [P]]],
  SessionOptionsAppendExecutionProvider: [
    216,
    [STATUS, [P, 'const char *', 'const char **', 'const char **', 'size_t']],
  ],
} as const satisfies Record<string, readonly [number, Prototype]>;

/** Name of an `OrtApi` member this backend calls. */
export type OrtApiName = keyof typeof ORT_API_SLOTS;

/** `ONNXTensorElementDataType` → onnxruntime-node's tensor type name (the enum mirrors TensorProto.DataType). */
export const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** `ONNXType`: 1 is a tensor. */
export const ONNX_TYPE_TENSOR = 1;
/** `OrtErrorCode` values that mean the model, not the provider, is at fault. */
export const MODEL_ERROR_CODES: ReadonlySet<number> = new Set([
  3 /* NO_SUCHFILE */, 4 /* NO_MODEL */, 7 /* INVALID_PROTOBUF */, 8 /* MODEL_LOADED */,
  10 /* INVALID_GRAPH */,
]);
/** `GraphOptimizationLevel.ORT_ENABLE_ALL`, as onnxruntime-node's `graphOptimizationLevel: 'all'`. */
export const ORT_ENABLE_ALL = 99;
/** `OrtAllocatorType.OrtArenaAllocator`, for the CPU memory info of input tensors (as the C++ API's default). */
export const ORT_ARENA_ALLOCATOR = 1;
/** `OrtMemType.OrtMemTypeDefault`, for the same memory info. */
export const ORT_MEM_TYPE_DEFAULT = 0;
