export { defaultCacheDir } from './cache/cache-dir.js';
export {
  DEFAULT_MODEL_PACKAGE,
  type PrepareModelOptions,
  prepareDefaultModel,
} from './cache/default-model.js';
export { type CachedWrappedModel, cachedWrappedModel } from './cache/wrapped-model.js';
export { COCO_LABELS } from './labels/coco-labels.js';
export { fetchNpmTarball, type NpmTarballOptions } from './npm/npm-tarball.js';
export { readTarGz, type TarEntry } from './npm/tar-reader.js';
export { encodeOnnxModel } from './onnx/encode-onnx-model.js';
export { OnnxGraphBuilder, type OnnxGraphSignature } from './onnx/onnx-graph-builder.js';
export { readOnnxMetadata } from './onnx/onnx-metadata.js';
export {
  type OnnxAttributeValue,
  OnnxDataType,
  type OnnxDim,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxTensorData,
  type OnnxValueInfo,
} from './onnx/onnx-model.js';
export { type OnnxSignature, readOnnxSignature } from './onnx/onnx-signature.js';
export {
  type WrappedYoloModel,
  type WrapYoloOptions,
  wrapYoloInput,
  YOLO_WRAPPER_VERSION,
  YoloWrapError,
} from './onnx/wrap-yolo-input.js';
export { ProtobufReader, type ProtobufTag } from './protobuf/protobuf-reader.js';
export { ProtobufWriter } from './protobuf/protobuf-writer.js';
export { WireType } from './protobuf/wire-type.js';
export { loadTfjsGraphModel, type TfjsGraphModel } from './tfjs/tfjs-graph.js';
export { convertTfjsGraphToOnnx, type TfjsToOnnxOptions } from './tfjs/tfjs-to-onnx.js';
export { convertYolov5TfjsDir, yolov5TfjsToOnnx } from './tfjs/yolov5-tfjs.js';
