import type { BackoffOptions } from '@rxvision/decode';
import { firstValueFrom, type Observable, ReplaySubject, race, type Subscription, timer } from 'rxjs';
import type { CameraConfig } from '../config/types.js';
import type { AgentLogger } from '../ops/logger.js';
import { redactText } from '../ops/redact.js';
import { type CameraStats, LiveCameraStats } from './camera-stats.js';
import { restartOnError } from './restart-on-error.js';

/**
 * Builds one camera's pipeline. It must complete (ending open tracks, publishing their `end`
 * events) soon after `stop$` emits, keep `stats` current and attach its source and detector to it.
 */
export type BuildCamera = (
  camera: CameraConfig,
  stop$: Observable<void>,
  stats: LiveCameraStats,
) => Observable<unknown>;

interface RunningCamera {
  readonly config: CameraConfig;
  readonly stats: LiveCameraStats;
  readonly stop$: ReplaySubject<void>;
  readonly subscription: Subscription;
  readonly done: Promise<void>;
}

export interface CameraManagerOptions {
  /** Delays between restarts of a failing pipeline. Default 1 s doubling to 30 s, ±20 % jitter. */
  readonly restartBackoff?: BackoffOptions;
  readonly onRestart?: (camera: string) => void;
  /** A camera's pipeline completed by itself (a file played once), not because it was stopped. */
  readonly onEnded?: (camera: string) => void;
}

/**
 * Runs each camera's pipeline in its own subscription: a camera that errors is logged with
 * context and restarted with backoff; adding, removing or restarting one camera never touches
 * another's subscription.
 */
export class CameraManager {
  private readonly running = new Map<string, RunningCamera>();

  constructor(
    private readonly build: BuildCamera,
    private readonly log: AgentLogger,
    private readonly options: CameraManagerOptions = {},
  ) {}

  ids(): string[] {
    return [...this.running.keys()];
  }

  stats(): CameraStats[] {
    return [...this.running.values()].map((c) => c.stats.read());
  }

  config(id: string): CameraConfig | undefined {
    return this.running.get(id)?.config;
  }

  start(camera: CameraConfig): void {
    if (this.running.has(camera.id)) throw new Error(`camera ${camera.id} is already running`);
    const log = this.log.child({ camera: camera.id });
    const stats = new LiveCameraStats(camera.id, redactText(camera.url));
    // Replayed so a pipeline that restarts after the stop request still sees it.
    const stop$ = new ReplaySubject<void>(1);
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const subscription = this.build(camera, stop$, stats)
      .pipe(
        restartOnError({
          ...this.options.restartBackoff,
          onError: (error, attempt, delayMs) => {
            stats.restarts++;
            stats.state = 'restarting';
            stats.lastError = redactText(error instanceof Error ? error.message : String(error));
            this.options.onRestart?.(camera.id);
            log.error('camera pipeline failed; restarting', { error: stats.lastError, attempt, delayMs });
          },
        }),
      )
      .subscribe({
        complete: () => {
          stats.state = 'stopped';
          resolveDone();
          if (this.running.get(camera.id)?.stats === stats) {
            this.running.delete(camera.id);
            log.info('camera ended');
            this.options.onEnded?.(camera.id);
          }
        },
        // restartOnError retries forever; this only runs if the retry machinery itself throws.
        error: (error: unknown) => {
          stats.state = 'stopped';
          log.error('camera pipeline gave up', { error: redactText(String(error)) });
          resolveDone();
        },
      });
    this.running.set(camera.id, { config: camera, stats, stop$, subscription, done });
    log.info('camera started', { url: camera.url, fps: camera.fps, detector: camera.detector });
  }

  /**
   * Asks a camera to stop (its pipeline completes, flushing track ends downstream), waits up to
   * `timeoutMs`, then unsubscribes whatever is left.
   */
  async stop(id: string, timeoutMs = 5000): Promise<void> {
    const camera = this.running.get(id);
    if (!camera) return;
    this.running.delete(id);
    camera.stop$.next();
    camera.stop$.complete();
    // A pipeline waiting out its restart delay has nothing to flush: no reason to wait for it.
    if (camera.stats.state !== 'restarting')
      await firstValueFrom(race(timer(timeoutMs), camera.done), { defaultValue: undefined });
    camera.subscription.unsubscribe();
    camera.stats.state = 'stopped';
    this.log.info('camera stopped', { camera: id });
  }

  async stopAll(timeoutMs = 5000): Promise<void> {
    await Promise.all(this.ids().map((id) => this.stop(id, timeoutMs)));
  }
}
