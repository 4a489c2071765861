/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type ProviderName = 'tensorrt' | 'cuda' | 'webgpu' | 'cpu';

/** One execution provider with its options, in the order onnxruntime should try them. */
export interface ProviderConfig {
  readonly name: ProviderName;
  readonly options: Readonly<Record<string, string | number | boolean>>;
}

/** `detectors.<name>`: one model shared (and batched) by every camera that names it. */
export interface DetectorConfig {
  readonly name: string;
  readonly model: string;
  readonly providers: readonly ProviderConfig[];
  /** DeepStream `batch-size`. */
  readonly batchSize: number;
  /** DeepStream `batched-push-timeout`, in ms. */
  readonly batchTimeoutMs: number;
  /** Frigate `min_score`, DeepStream `pre-cluster-threshold`. */
  readonly minScore: number;
  /** DeepStream `nms-iou-threshold`. */
  readonly nmsIouThreshold: number;
}

export type TrackerType = 'bytetrack' | 'sort';

/** `tracker`: defaults for every camera; each camera may override any key. */
export interface TrackerConfig {
  readonly type: TrackerType;
  readonly trackThresh?: number;
  readonly matchThresh?: number;
  readonly trackBuffer?: number;
  readonly maxAge?: number;
  readonly minHits?: number;
  readonly iouThreshold?: number;
  /** The box a track publishes: the detector's (`detection`, default) or the Kalman filter's. */
  readonly box?: 'detection' | 'filter';
}

export type Point = readonly [x: number, y: number];

export interface ZoneConfig {
  readonly name: string;
  readonly coordinates: readonly Point[];
}

export interface LineConfig {
  readonly name: string;
  readonly coordinates: readonly [Point, Point];
}

export interface RestreamConfig {
  readonly enabled: boolean;
  /** RTSP path the annotated stream is served at (default `/<camera>-annotated`). */
  readonly path: string;
}

/** `cameras.<id>`: one source and how to analyse it. */
export interface CameraConfig {
  readonly id: string;
  readonly url: string;
  readonly enabled: boolean;
  /** Frigate `detect.fps`: frames per second handed to the detector. */
  readonly fps?: number;
  readonly detector: string;
  /** Per-camera override of the detector's `min_score`. */
  readonly minScore?: number;
  /** Frigate `objects.track`: labels to keep; absent keeps every label. */
  readonly objects?: readonly string[];
  readonly zones: readonly ZoneConfig[];
  readonly lines: readonly LineConfig[];
  readonly restream: RestreamConfig;
  /** Seconds without a frame before the decoder is restarted. */
  readonly stallTimeout: number;
  /** Files only: play at native speed and loop forever, standing in for a live camera (default true). */
  readonly live: boolean;
  readonly tracker: TrackerConfig;
}

export interface MqttConfig {
  readonly url: string;
  /** Frigate `mqtt.topic_prefix`. */
  readonly topicPrefix: string;
  readonly clientId?: string;
  readonly user?: string;
  readonly password?: string;
}

export interface HttpConfig {
  readonly enabled: boolean;
  readonly host: string;
  readonly port: number;
}

export interface RtspServerConfig {
  readonly port: number;
}

/** The whole agent configuration, validated and with every default filled in. */
export interface AgentConfig {
  readonly mqtt?: MqttConfig;
  readonly http: HttpConfig;
  readonly rtsp: RtspServerConfig;
  readonly detectors: Readonly<Record<string, DetectorConfig>>;
  readonly tracker: TrackerConfig;
  readonly cameras: Readonly<Record<string, CameraConfig>>;
  readonly logLevel: LogLevel;
}
