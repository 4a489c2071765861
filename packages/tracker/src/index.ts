export type { Track, TrackEvent, TrackedFrame, TrackState } from './track.js';
