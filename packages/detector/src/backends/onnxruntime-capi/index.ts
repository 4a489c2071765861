export { onnxruntimeCapiBackend } from './capi-backend.js';
export { type CapiSession, type CapiSessionOptions, openCapiSession } from './capi-session.js';
export {
  type EngineCacheOutcome,
  type EngineListing,
  engineCacheOutcome,
  enginePrefix,
  engineWillBuild,
  listEngines,
} from './engine-cache.js';
export {
  checkRuntimeLibrary,
  defaultRuntimeLibrary,
  loadOrtApi,
  type OrtApi,
  OrtLibraryError,
} from './ort-library.js';
export { OrtStatusError } from './ort-status.js';
export {
  type CapiProvider,
  CUDA_KEYS,
  type ModelInputShape,
  type OrtProviderKeys,
  ProviderOptionError,
  providerOrtOptions,
  TENSORRT_KEYS,
} from './provider-keys.js';
export { availableProviders } from './provider-options.js';
