// Test seams: the building blocks tests, benches and other runtimes reach for (`@rxvision/detector/internal`), outside the product API in index.ts.
export type { Candidate, TensorLike } from './candidate.js';
export { parseNamesMetadata } from './class-names.js';
export { compileFilters } from './filters.js';
export { floatToHalf, halfToFloat } from './float16.js';
export { type BatchPolicy, FrameBatcher } from './frame-batcher.js';
export { recognizeContract, SUPPORTED_CONTRACTS } from './model-contract.js';
export { nms } from './nms.js';
export { contractHasNms, contractOutputs, decodeContract } from './outputs/decode-contract.js';
export {
  type DeepStreamYoloSplitOutputs,
  decodeDeepStreamYolo,
  decodeDeepStreamYoloSplit,
} from './outputs/decode-deepstream-yolo.js';
export { decodeEfficientNms, type EfficientNmsOutputs } from './outputs/decode-efficient-nms.js';
export { decodeEnd2End } from './outputs/decode-end2end.js';
export { decodeGrid } from './outputs/decode-grid.js';
export {
  decodeRawHeads,
  YOLOV7_ANCHORS,
  YOLOV7_TINY_ANCHORS,
  YOLOV7_W6_ANCHORS,
} from './outputs/decode-raw-heads.js';
export { NAMED_ANCHORS, parseAnchorsMetadata, resolveAnchors } from './outputs/raw-head-anchors.js';
export type { SingleOutputDecoder } from './outputs/single-output-decoder.js';
export { hwcToPlanar, letterboxToPlanar, PAD_VALUE, pixelTable } from './preprocess.js';
export {
  checkTensorRtPlugins,
  type TensorRtPluginNode,
  tensorRtPluginNodes,
} from './tensorrt-plugin-check.js';
