import { isDeepStrictEqual } from 'node:util';
import { createDetector, type Detector, resolveClassNames } from '@rxvision/detector';
import type { DetectorConfig } from '../config/types.js';
import type { AgentLogger } from '../ops/logger.js';
import { toExecutionProviders } from './providers.js';

/** A camera's detector as `/api/cameras` shows it. */
export interface DetectorInfo {
  readonly name: string;
  readonly state: 'loading' | 'loaded';
  readonly runtime?: string;
  readonly runtimeVersion?: string;
  readonly provider?: string;
}

interface Entry {
  readonly config: DetectorConfig;
  readonly detector: Promise<Detector>;
  /** Set once loading succeeded. */
  loaded?: Detector;
  failed?: string;
}

/**
 * The names in the detector's `labelmap_path`, read by the detector's own reader; given as the
 * class names, they win over the model's metadata, as Frigate's `labelmap_path` does.
 */
async function labelsFileNames(config: DetectorConfig): Promise<readonly string[] | undefined> {
  if (!config.labelsPath) return undefined;
  return (await resolveClassNames(new Map(), { labelsPath: config.labelsPath })).names;
}

/**
 * The detectors named in the config, each loaded once and shared (batched) by all its cameras.
 * Loading is lazy and memoised; a changed detector is replaced on reload.
 */
export class DetectorPool {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly log: AgentLogger) {}

  get(config: DetectorConfig): Promise<Detector> {
    const existing = this.entries.get(config.name);
    if (existing && isDeepStrictEqual(existing.config, config)) return existing.detector;
    const log = this.log.child({ detector: config.name });
    const detector = labelsFileNames(config).then((classNames) =>
      createDetector({
        model: config.model,
        runtime: config.runtime,
        ...(config.runtimeLibrary ? { runtimeLibrary: config.runtimeLibrary } : {}),
        providers: toExecutionProviders(config.providers),
        batch: { size: config.batchSize, maxWaitMs: config.batchTimeoutMs },
        filters: { confidence: config.minScore, iou: config.nmsIouThreshold },
        ...(classNames ? { classNames } : {}),
        ...(config.inputSize ? { inputSize: config.inputSize } : {}),
        logger: log,
      }),
    );
    const entry: Entry = { config, detector };
    detector.then(
      (d) => {
        entry.loaded = d;
      },
      (error: Error) => {
        entry.failed = error.message;
        // A failed load is retried on the next camera restart rather than cached forever.
        if (this.entries.get(config.name) === entry) this.entries.delete(config.name);
      },
    );
    this.entries.set(config.name, entry);
    if (existing)
      void existing.detector.then(
        (d) => d.close(),
        () => {},
      );
    return detector;
  }

  /** Every detector in use: loaded ones with their `Detector`, others still loading. */
  list(): Array<{ name: string; detector?: Detector }> {
    return [...this.entries].map(([name, e]) => (e.loaded ? { name, detector: e.loaded } : { name }));
  }

  /** What `/api/cameras` shows of a camera's detector: its name, and once loaded the runtime and provider serving. */
  describe(name: string | undefined): DetectorInfo | undefined {
    if (name === undefined) return undefined;
    const entry = this.entries.get(name);
    const d = entry?.loaded;
    // A failed load is forgotten (retried on the camera's restart): it shows as loading again.
    if (!d) return { name, state: 'loading' };
    return {
      name,
      state: 'loaded',
      runtime: d.runtime,
      runtimeVersion: d.runtimeVersion,
      provider: d.provider,
    };
  }

  /** Closes detectors no longer named in `keep`. */
  async retain(keep: readonly string[]): Promise<void> {
    for (const [name, entry] of [...this.entries]) {
      if (keep.includes(name)) continue;
      this.entries.delete(name);
      await entry.detector.then(
        (d) => d.close(),
        () => {},
      );
    }
  }

  async closeAll(): Promise<void> {
    await this.retain([]);
  }
}
