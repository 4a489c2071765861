export type { DetectedFrame, Detection } from './detection.js';
