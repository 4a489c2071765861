// Test seams: the building blocks tests, benches and other runtimes reach for (`@rxvision/detector/internal`), outside the product API in index.ts.
export type { Candidate, TensorLike } from './candidate.js';
export { parseNamesMetadata } from './class-names.js';
export { compileFilters } from './filters.js';
export { floatToHalf, halfToFloat } from './float16.js';
export { type BatchPolicy, FrameBatcher } from './frame-batcher.js';
export { recognizeContract, SUPPORTED_CONTRACTS } from './model-contract.js';
export { nms } from './nms.js';
export { decodeEfficientNms, type EfficientNmsOutputs } from './outputs/decode-efficient-nms.js';
export { decodeEnd2End } from './outputs/decode-end2end.js';
export { decodeGrid } from './outputs/decode-grid.js';
export { decodeRawHeads, YOLOV7_ANCHORS, YOLOV7_TINY_ANCHORS } from './outputs/decode-raw-heads.js';
export type { SingleOutputDecoder } from './outputs/single-output-decoder.js';
export { hwcToPlanar, letterboxToPlanar, PAD_VALUE, pixelTable } from './preprocess.js';
