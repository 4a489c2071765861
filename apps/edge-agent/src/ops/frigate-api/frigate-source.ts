import type { SnapshotStore } from '@rxvision/sinks';
import type { CameraStats } from '../../agent/camera-stats.js';
import type { AgentConfig } from '../../config/types.js';
import type { LatestFrames } from './latest-frames.js';

/** The Frigate version the API claims: the integration refuses servers below 0.12 and turns on 0.16+ features (faces, plates) it would find missing. */
export const FRIGATE_API_VERSION = '0.14.1';

/** What the Frigate-compatible API reads from the running agent. */
export interface FrigateApiSource {
  /** The agent's own version, reported after Frigate's (`0.14.1-rxvision.<version>`). */
  readonly agentVersion: string;
  config(): AgentConfig;
  cameras(): readonly CameraStats[];
  uptimeSeconds(): number;
  readonly events: SnapshotStore;
  readonly latest: LatestFrames;
  readonly ffmpegPath?: string;
}

/** `/api/version`'s text and `service.version`. */
export function frigateVersion(source: FrigateApiSource): string {
  return `${FRIGATE_API_VERSION}-rxvision.${source.agentVersion}`;
}
