export type { Frame, Letterbox, ModelInput } from './frame.js';
export { letterbox, unletterboxPoint } from './letterbox.js';
export type { SourceState, SourceStatus } from './source-status.js';
