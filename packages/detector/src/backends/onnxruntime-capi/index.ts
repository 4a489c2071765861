export { type CapiSession, type CapiSessionOptions, openCapiSession } from './capi-session.js';
export { defaultRuntimeLibrary, loadOrtApi, type OrtApi, OrtLibraryError } from './ort-library.js';
export { OrtStatusError } from './ort-status.js';
export {
  type CapiProvider,
  CUDA_KEYS,
  type ModelInputShape,
  type OrtProviderKeys,
  ProviderOptionError,
  providerOrtOptions,
  type RawOptions,
  type RawProvider,
  TENSORRT_KEYS,
} from './provider-keys.js';
export { availableProviders } from './provider-options.js';
