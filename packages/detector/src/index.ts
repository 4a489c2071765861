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
  TensorRtProvider,
  WebGpuProvider,
} from './providers.js';
export { tensorRtEnvironment } from './providers.js';
export { TensorRtOnlyModelError } from './tensorrt-plugin-check.js';
