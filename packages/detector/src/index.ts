export type {
  InferenceBackend,
  InferenceBackendOptions,
  InferenceInput,
  InferenceSessionHandle,
} from './backends/inference-backend.js';
export { InferenceRunError } from './backends/inference-backend.js';
export {
  checkRuntimeLibrary,
  defaultRuntimeLibrary,
  OrtLibraryError,
} from './backends/onnxruntime-capi/ort-library.js';
export {
  CUDA_KEYS,
  type ModelInputShape,
  type OrtProviderKeys,
  ProviderOptionError,
  providerOrtOptions,
  TENSORRT_KEYS,
} from './backends/onnxruntime-capi/provider-keys.js';
export { inferenceBackend } from './backends/open-backend.js';
export type { ClassNamesSource } from './class-names.js';
export { resolveClassNames } from './class-names.js';
export { type DetectOptions, detect } from './detect.js';
export type { DetectedFrame, Detection } from './detection.js';
export { createDetector, type Detector, type DetectorOptions } from './detector.js';
export type { DetectorCameraStats, DetectorStats } from './detector-stats.js';
export { type CompiledFilters, DEFAULT_FILTERS, type DetectionFilters } from './filters.js';
export {
  type ModelContract,
  type ModelContractKind,
  type ModelInputInfo,
  UnsupportedModelError,
  type ValueInfo,
} from './model-contract.js';
export type { Anchors } from './outputs/decode-raw-heads.js';
export type {
  CpuProvider,
  CudaProvider,
  ExecutionProvider,
  InferenceRuntime,
  RawOptions,
  RawOptionValue,
  RawProvider,
  TensorRtProvider,
  WebGpuProvider,
} from './providers.js';
export { checkProviders, INFERENCE_RUNTIMES, ProviderConfigError, providerName } from './providers.js';
export { TensorRtOnlyModelError } from './tensorrt-plugin-check.js';
