import { isDeepStrictEqual } from 'node:util';
import type { AgentConfig } from '../config/types.js';

export interface CameraDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Cameras whose own settings, or whose detector's, changed: they restart. */
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
}

/** What a SIGHUP reload must do to go from `before` to `after`; disabled cameras count as absent. */
export function diffCameras(before: AgentConfig, after: AgentConfig): CameraDiff {
  const enabled = (c: AgentConfig) => Object.values(c.cameras).filter((cam) => cam.enabled);
  const old = new Map(enabled(before).map((c) => [c.id, c]));
  const next = new Map(enabled(after).map((c) => [c.id, c]));
  const added: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const [id, camera] of next) {
    const previous = old.get(id);
    if (!previous) added.push(id);
    else if (
      !isDeepStrictEqual(previous, camera) ||
      !isDeepStrictEqual(before.detectors[previous.detector], after.detectors[camera.detector])
    )
      changed.push(id);
    else unchanged.push(id);
  }
  const removed = [...old.keys()].filter((id) => !next.has(id));
  return { added, removed, changed, unchanged };
}
