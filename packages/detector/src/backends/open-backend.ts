import type { InferenceRuntime } from '../providers.js';
import type { InferenceBackend } from './inference-backend.js';

/** The backend of `runtime`, loaded on first use (the C API one loads koffi, the default need not). */
export async function inferenceBackend(runtime: InferenceRuntime): Promise<InferenceBackend> {
  switch (runtime) {
    case 'onnxruntime-node':
      return (await import('./onnxruntime-node/index.js')).onnxruntimeNodeBackend;
    case 'onnxruntime-capi':
      return (await import('./onnxruntime-capi/capi-backend.js')).onnxruntimeCapiBackend;
  }
}
