import type { InferenceBackend } from '../inference-backend.js';
import { openCapiSession } from './capi-session.js';

/** ONNX Runtime's C API through koffi, on any `libonnxruntime.so`: every TensorRT/CUDA/other provider key reaches its provider. */
export const onnxruntimeCapiBackend: InferenceBackend = {
  runtime: 'onnxruntime-capi',
  open: (model, providers, logger, options) =>
    openCapiSession(
      model,
      providers,
      logger,
      options.runtimeLibrary === undefined ? {} : { runtimeLibrary: options.runtimeLibrary },
    ),
};
