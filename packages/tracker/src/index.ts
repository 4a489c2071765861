export type { Box } from './box.js';
export type { BoxTracker, CoreTrack, ReportedBox, TrackerStep } from './box-tracker.js';
export { reportedBox } from './box-tracker.js';
export type { ByteTrackOptions } from './bytetrack.js';
export { BYTETRACK_DEFAULTS, ByteTracker } from './bytetrack.js';
export type { StationaryOptions, TrackerKind, TrackerOptions, TrackerUpdate } from './camera-tracker.js';
export { CameraTracker } from './camera-tracker.js';
export { endOpenTracks } from './end-open-tracks.js';
export { type Point, parsePoints } from './geometry-config.js';
export { LineTotalsFile } from './line-totals-file.js';
export type { Assignment, AssignmentOptions } from './linear-assignment.js';
export { linearAssignment } from './linear-assignment.js';
export type { LineOptions } from './lines.js';
export type { MotEvalOptions, MotMetrics } from './mot/mot-evaluate.js';
export { evaluateMot, summarizeMot } from './mot/mot-evaluate.js';
export type { MotRow } from './mot/mot-format.js';
export { formatMot, parseMot } from './mot/mot-format.js';
export { formatMotTable } from './mot/mot-table.js';
export type { MotTrackingOptions } from './mot/mot-tracking.js';
export { runMotTracking, trackMotDetections } from './mot/mot-tracking.js';
export type { SortOptions } from './sort.js';
export { SORT_DEFAULTS, SortTracker } from './sort.js';
export { type TrackOptions, track } from './track.js';
export type {
  Crossings,
  LineCount,
  Track,
  TrackEvent,
  TrackedFrame,
  TrackState,
  ZoneOccupancy,
} from './tracked-frame.js';
export type { ZoneOptions } from './zones.js';
