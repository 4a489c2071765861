export type { AnnotateOptions, AnnotationLine, AnnotationZone } from './draw/annotate.js';
export { annotate } from './draw/annotate.js';
export type { Rgb } from './draw/color.js';
export type { Picture } from './draw/raster.js';
export { RotatingFile, type RotationOptions } from './jsonl/rotating-file.js';
export { type JsonlRecord, type ToJsonlOptions, toJsonl } from './jsonl/to-jsonl.js';
export { eventId, type FrigateObject, type FrigateSnapshot } from './mqtt/frigate-object.js';
export {
  type CameraEntities,
  type DiscoveryMessage,
  type DiscoveryTopics,
  discoveryId,
  discoveryMessages,
} from './mqtt/ha-discovery.js';
export type { MessageKind, PublishOptions, QueuedMessage } from './mqtt/message.js';
export type { OfflineQueueLimits } from './mqtt/offline-queue.js';
export {
  type FsyncPolicy,
  type PersistentQueueOptions,
  readPersistentQueue,
} from './mqtt/persistent-queue.js';
export { createMqttPublisher, type MqttPublisher } from './mqtt/publisher.js';
export type { PublisherMetrics } from './mqtt/publisher-metrics.js';
export type { MqttPublisherOptions, OfflineQueueOptions } from './mqtt/publisher-options.js';
export type { StoredMessage } from './mqtt/queue-log-record.js';
export type { ReviewOptions, ReviewSegment, ReviewSeverity } from './mqtt/review-segments.js';
export {
  type FrameJpegOptions,
  frameJpeg,
  type SnapshotOptions,
  THUMBNAIL_HEIGHT,
  thumbnailJpeg,
} from './mqtt/snapshot.js';
export {
  type PublishObserver,
  SnapshotStore,
  type SnapshotStoreLimits,
  type StoredEvent,
  type StoredSnapshot,
} from './mqtt/snapshot-store.js';
export { DEFAULT_THRESHOLD, detectionsPayload, type ToMqttOptions, toMqtt } from './mqtt/to-mqtt.js';
export { toMqttStatus } from './mqtt/to-mqtt-status.js';
export { assertTopicLevel, assertTopicPrefix, DEFAULT_TOPIC_PREFIX } from './mqtt/topics.js';
export { assertRtspPath } from './rtsp/rtsp-path.js';
export { createRtspServer, type RtspServer, type RtspServerOptions } from './rtsp/rtsp-server.js';
export type { RtspStream } from './rtsp/rtsp-stream.js';
export { type ToRtspOptions, toRtsp } from './rtsp/to-rtsp.js';
