// The agent's config types, each derived from its schema in ./schema (z.output), never written by hand.
export type { AgentConfig, CameraConfig } from './schema/agent-config.js';
export type { CameraLine, CameraZone } from './schema/areas.js';
export type { DetectorConfig, ProviderConfig, ProviderName } from './schema/detectors.js';
export type { FleetConfig } from './schema/fleet.js';
export type { HttpConfig } from './schema/http.js';
export type { LogLevel } from './schema/logger.js';
export type { MqttConfig } from './schema/mqtt.js';
export type { RtspServerConfig } from './schema/rtsp.js';
export type { TrackerConfig } from './schema/tracker.js';
