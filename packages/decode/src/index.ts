export type { Frame, Letterbox, ModelInput } from './frame.js';
export type { SourceState, SourceStatus } from './source-status.js';
