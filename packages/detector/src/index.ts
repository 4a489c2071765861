export type { Candidate, TensorLike } from './candidate.js';
export type { ClassNamesSource } from './class-names.js';
export { parseNamesMetadata, resolveClassNames } from './class-names.js';
export { decodeEfficientNms, type EfficientNmsOutputs } from './decode-efficient-nms.js';
export { decodeEnd2End } from './decode-end2end.js';
export { decodeGrid } from './decode-grid.js';
export { type Anchors, decodeRawHeads, YOLOV7_ANCHORS, YOLOV7_TINY_ANCHORS } from './decode-raw-heads.js';
export { type DetectOptions, detect } from './detect.js';
export type { DetectedFrame, Detection } from './detection.js';
export { createDetector, type Detector, type DetectorOptions } from './detector.js';
export type { CameraStats, DetectorStats } from './detector-stats.js';
export { type CompiledFilters, compileFilters, DEFAULT_FILTERS, type DetectionFilters } from './filters.js';
export { floatToHalf, halfToFloat } from './float16.js';
export { type BatchPolicy, FrameBatcher } from './frame-batcher.js';
export {
  type ModelContract,
  type ModelContractKind,
  type ModelInputInfo,
  recognizeContract,
  SUPPORTED_CONTRACTS,
  UnsupportedModelError,
  type ValueInfo,
} from './model-contract.js';
export { iou, nms } from './nms.js';
export { hwcToPlanar, letterboxToPlanar, PAD_VALUE, pixelTable } from './preprocess.js';
export type {
  CpuProvider,
  CudaProvider,
  ExecutionProvider,
  TensorRtProvider,
  WebGpuProvider,
} from './providers.js';
export { tensorRtEnvironment } from './providers.js';
