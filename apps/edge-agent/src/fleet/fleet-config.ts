import { ConfigError } from '../config/issues.js';
import type { AgentConfig } from '../config/types.js';
import type { AgentLogger } from '../ops/logger.js';
import type { StoredCamera } from './fleet-records.js';

type Doc = Record<string, unknown>;

/**
 * The agent's config with the fleet's cameras for this box added to its own `cameras` (which stay
 * pinned to this box and win over a fleet camera of the same id). A fleet camera this box cannot
 * run (say, it names a detector this box lacks) is left out with an error; the others run.
 */
export function withFleetCameras(
  document: unknown,
  cameras: Readonly<Record<string, StoredCamera>>,
  log: AgentLogger,
  /** The agent's own validation (its flags merged in). */
  validate: (doc: unknown) => AgentConfig,
): AgentConfig {
  const doc: Doc = typeof document === 'object' && document !== null ? (document as Doc) : {};
  const local = (typeof doc.cameras === 'object' && doc.cameras !== null ? doc.cameras : {}) as Doc;
  const fleet: Doc = {};
  for (const [id, stored] of Object.entries(cameras)) {
    if (id in local) log.warn('fleet: camera id is also a local camera; the local one runs', { camera: id });
    else fleet[id] = stored.camera;
  }
  const compose = (ids: readonly string[]) => ({
    ...doc,
    cameras: { ...Object.fromEntries(ids.map((id) => [id, fleet[id]])), ...local },
  });
  try {
    return validate(compose(Object.keys(fleet)));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  const runnable = Object.keys(fleet).filter((id) => {
    try {
      validate(compose([id]));
      return true;
    } catch (error) {
      log.error('fleet: this box cannot run an assigned camera', {
        camera: id,
        error: (error as Error).message,
      });
      return false;
    }
  });
  return validate(compose(runnable));
}
