export type { BackoffOptions } from './backoff.js';
export { backoffDelay } from './backoff.js';
export { decode } from './decode.js';
export type { DecodeErrorKind } from './decode-error.js';
export { DecodeError } from './decode-error.js';
export { resolveFfmpegPath } from './ffmpeg-path.js';
export type { FfmpegExit, FfmpegRun, FfmpegSpawnOptions } from './ffmpeg-process.js';
export { spawnFfmpeg } from './ffmpeg-process.js';
export type { Frame, FrameImage, Letterbox, ModelInput, PixelFormat } from './frame.js';
export { fullImage } from './frame.js';
export { letterbox, unletterboxPoint } from './letterbox.js';
export type { LogFields, Logger } from './logger.js';
export { silentLogger } from './logger.js';
export { newestWhileBusy } from './newest-while-busy.js';
export type { Source, SourceStats } from './open-source.js';
export { openSource } from './open-source.js';
export type { Plane } from './pixel-layout.js';
export { pictureBytes, planesOf } from './pixel-layout.js';
export type { VideoInfo } from './probe.js';
export { readImage } from './read-image.js';
export type { ReconnectOptions } from './reconnect.js';
export { reconnectWithBackoff } from './reconnect.js';
export { redactUrl } from './redact-url.js';
export { roundTo } from './round-to.js';
export type {
  DecodeOptions,
  FullFramePixelFormat,
  Hwaccel,
  ModelInputSize,
  SourceKind,
  SourceOptions,
} from './source-options.js';
export {
  isLive,
  LIVE_RECONNECT_BACKOFF,
  reconnectBackoff,
  SOURCE_SCHEMES,
  sourceKind,
  UNSUPPORTED_SOURCE_SCHEMES,
} from './source-options.js';
export type { SourceState, SourceStatus } from './source-status.js';
export { stallWatchdog } from './stall-watchdog.js';
