import { type Frame, openSource, type SourceStatus, sourceKind } from '@rxvision/decode';
import { type Detector, detect } from '@rxvision/detector';
import {
  type MqttPublisher,
  type PublishObserver,
  type RtspServer,
  toMqtt,
  toMqttStatus,
  toRtsp,
} from '@rxvision/sinks';
import { endOpenTracks, type TrackedFrame, track } from '@rxvision/tracker';
import {
  defer,
  finalize,
  identity,
  ignoreElements,
  type MonoTypeOperatorFunction,
  merge,
  type Observable,
  type OperatorFunction,
  Subject,
  switchMap,
  takeUntil,
  tap,
} from 'rxjs';
import type { CameraConfig, DetectorConfig } from '../config/types.js';
import type { LatestFrames } from '../ops/frigate-api/latest-frames.js';
import type { AgentLogger } from '../ops/logger.js';
import type { AgentMetrics } from '../ops/metrics.js';
import { type CameraAreas, withAreasInPixels } from './areas-in-pixels.js';
import type { LiveCameraStats } from './camera-stats.js';
import { needsFullFrames } from './full-frame.js';
import { areaFilter, classConfidence, publishThresholds } from './object-filters.js';

export interface CameraPipelineDeps {
  readonly detector: () => Promise<{ readonly detector: Detector; readonly config: DetectorConfig }>;
  readonly publisher?: MqttPublisher;
  /** Told of each event and snapshot the camera publishes (the HTTP API's store, metrics). */
  readonly observer?: PublishObserver;
  /** Keeps the camera's newest processed frame (`/api/<camera>/latest.jpg`); given only when the HTTP API runs. */
  readonly latest?: LatestFrames;
  /** The agent's RTSP server, started on first use; asked only by cameras with `restream`. */
  readonly restream?: () => Promise<RtspServer>;
  readonly metrics: AgentMetrics;
  readonly ffmpegPath?: string;
  /** The camera's logger: restream warnings and the encoder's FFmpeg messages go through it. */
  readonly log?: AgentLogger;
}

/**
 * One camera's pipeline, as in the README's picture:
 * decode → detect (shared, batched) → track → end open tracks on stop → MQTT.
 * `stop$` completes the source, so open tracks end and their events reach the broker.
 */
export function cameraPipeline(
  camera: CameraConfig,
  stop$: Observable<void>,
  stats: LiveCameraStats,
  deps: CameraPipelineDeps,
): Observable<TrackedFrame> {
  const { metrics, publisher } = deps;
  const labels = { camera: camera.id };
  let restreamWarned = false;
  // Kept across pipeline restarts, so a camera that keeps failing the same way logs it once.
  const logState = stateChangeLogger(deps.log);
  // The restream is an optional output: if its server cannot start, detection and MQTT go on without it.
  const openRestream = async (): Promise<RtspServer | undefined> => {
    if (!camera.restream.enabled || !deps.restream) return undefined;
    try {
      return await deps.restream();
    } catch (error) {
      if (!restreamWarned) {
        restreamWarned = true;
        deps.log?.warn('annotated restream unavailable; the camera runs without it', {
          path: camera.restream.path,
          error: error instanceof Error ? error.message : String(error),
          hint: 'set rtsp.listen to a free host:port (or turn restream off for this camera), then reload',
        });
      }
      return undefined;
    }
  };
  return defer(async () => ({ ...(await deps.detector()), rtsp: await openRestream() })).pipe(
    switchMap(({ detector, config: detectorConfig, rtsp }) => {
      const source = openSource({
        url: camera.url,
        streamId: camera.id,
        modelInput: detector.inputSize,
        fullFrame: needsFullFrames(camera, {
          mqtt: publisher !== undefined,
          http: deps.latest !== undefined,
        }),
        ...(camera.fps ? { fps: camera.fps } : {}),
        ...camera.decode,
        stallTimeoutMs: camera.stallTimeout * 1000,
        // Files stand in for cameras (native speed, looped) unless `live: false`; real sources are always live.
        ...(sourceKind(camera.url) === 'file'
          ? camera.live
            ? { realtime: true, loop: true, live: true }
            : { live: false }
          : {}),
        ...(deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {}),
      });
      stats.attach({ source, detector });
      const framesDone = new Subject<void>();
      const status$ = source.status$.pipe(
        tap((status) => {
          onStatus(status, stats, metrics);
          logState(status);
        }),
        publisher ? toMqttStatus(publisher) : identity,
        ignoreElements(),
      );
      const confidenceByLabel = classConfidence(camera.objectFilters);
      const thresholds = publishThresholds(camera.objectFilters);
      // Everything downstream of decode that needs the zones and lines in pixels.
      const analyse =
        ({ zones, lines }: CameraAreas): OperatorFunction<Frame, TrackedFrame> =>
        (frames$) => {
          const tracked$ = frames$.pipe(
            detect(detector, {
              filters: {
                confidence: camera.minScore ?? detectorConfig.minScore,
                iou: detectorConfig.nmsIouThreshold,
                ...(camera.objects ? { classes: camera.objects } : {}),
                ...(confidenceByLabel ? { classConfidence: confidenceByLabel } : {}),
              },
            }),
            areaFilter(camera.objectFilters),
            track({
              tracker: camera.tracker.type,
              bytetrack: {
                ...(camera.tracker.trackThresh !== undefined
                  ? { trackThresh: camera.tracker.trackThresh }
                  : {}),
                ...(camera.tracker.matchThresh !== undefined
                  ? { matchThresh: camera.tracker.matchThresh }
                  : {}),
                ...(camera.tracker.trackBuffer !== undefined
                  ? { trackBuffer: camera.tracker.trackBuffer }
                  : {}),
              },
              sort: {
                ...(camera.tracker.maxAge !== undefined ? { maxAge: camera.tracker.maxAge } : {}),
                ...(camera.tracker.minHits !== undefined ? { minHits: camera.tracker.minHits } : {}),
                ...(camera.tracker.iouThreshold !== undefined
                  ? { iouThreshold: camera.tracker.iouThreshold }
                  : {}),
              },
              ...(camera.fps ? { fps: camera.fps } : {}),
              ...(camera.tracker.box ? { box: camera.tracker.box } : {}),
              ...(camera.objects ? { objects: camera.objects } : {}),
              zones: Object.fromEntries(zones.map(({ name, ...zone }) => [name, zone])),
              lines: Object.fromEntries(lines.map(({ name, ...line }) => [name, line])),
              ...(camera.tracker.lineTotalsFile ? { lineTotalsFile: camera.tracker.lineTotalsFile } : {}),
              ...(deps.log ? { logger: deps.log } : {}),
            }),
            countProcessed(camera.id, detectorConfig.name, stats, metrics),
            endOpenTracks(),
          );
          // Sinks, in a second pipe: RxJS types at most nine operators per pipe() call.
          const sunk$ = tracked$.pipe(
            tap((tracked) => {
              deps.latest?.set(camera.id, tracked);
              countTrackEvents(camera.id, tracked, metrics);
            }),
            publisher
              ? toMqtt(publisher, {
                  camera: camera.id,
                  labels: camera.objects ?? ['person'],
                  zones: zones.map((z) => z.name),
                  lines: lines.map((l) => l.name),
                  ...(thresholds ? { thresholds } : {}),
                  snapshot: camera.snapshots,
                  ...(deps.observer ? { observer: deps.observer } : {}),
                })
              : passThrough,
            rtsp
              ? toRtsp(rtsp, {
                  camera: camera.id,
                  path: camera.restream.path,
                  ...(camera.restream.encoder ? { encoder: camera.restream.encoder } : {}),
                  ...(camera.restream.encoderArgs ? { encoderArgs: camera.restream.encoderArgs } : {}),
                  ...(camera.restream.publishUrl ? { publishUrl: camera.restream.publishUrl } : {}),
                  ...(camera.fps ? { fps: camera.fps } : {}),
                  zones: zones.map((z) => ({ name: z.name, points: z.coordinates })),
                  lines: lines.map((l) => ({ name: l.name, points: l.coordinates })),
                  ...(deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {}),
                  ...(deps.log ? { logger: deps.log.child({ component: 'restream' }) } : {}),
                })
              : passThrough,
          );
          return sunk$;
        };
      const sunk$ = source.frames$.pipe(
        takeUntil(stop$),
        tap(() => {
          stats.framesIn++;
          metrics.framesIn.inc(labels);
        }),
        withAreasInPixels(camera, analyse),
        finalize(() => framesDone.next()),
      );
      // The status stream lives as long as the frames do.
      return merge(sunk$, status$.pipe(takeUntil(framesDone)));
    }),
  );
}

const passThrough: MonoTypeOperatorFunction<TrackedFrame> = identity;

function countProcessed(
  camera: string,
  detector: string,
  stats: LiveCameraStats,
  metrics: AgentMetrics,
): MonoTypeOperatorFunction<TrackedFrame> {
  return tap((tracked) => {
    // Observed per processed frame: the latency each frame waited on, batch-mates included.
    metrics.inferenceSeconds.observe({ detector }, tracked.inferenceMs / 1000);
    stats.markProcessed(Date.now(), tracked.inferenceMs, tracked.tracks.length);
    metrics.framesProcessed.inc({ camera });
    metrics.objects.set({ camera }, tracked.tracks.length);
  });
}

/** Tracks started per label and line crossings per line, label and direction. */
function countTrackEvents(camera: string, tracked: TrackedFrame, metrics: AgentMetrics): void {
  for (const event of tracked.events) {
    const label = event.track.label;
    if (event.type === 'new') metrics.tracksStarted.inc({ camera, label });
    else if (event.type === 'line-cross')
      metrics.lineCrossings.inc({ camera, line: event.line, label, direction: event.direction });
  }
}

function onStatus(status: SourceStatus, stats: LiveCameraStats, metrics: AgentMetrics): void {
  stats.state = status.state;
  if (status.reason) stats.lastError = status.reason;
  metrics.cameraUp.set({ camera: status.streamId }, status.state === 'online' ? 1 : 0);
}

/** One info/warn line per change of a camera's state (an outage is one line, not one per retry), with the reason it left `online`. */
function stateChangeLogger(log: AgentLogger | undefined): (status: SourceStatus) => void {
  let last: SourceStatus['state'] | undefined;
  return (status) => {
    // Every new source starts as `offline: not opened yet`; that is no news.
    if (status.state === last || (last === undefined && status.state === 'offline')) return;
    // Each retry of an outage passes through `connecting`: the outage is one change until `online`.
    if (status.state === 'connecting' && (last === 'offline' || last === 'stalled')) return;
    last = status.state;
    const fields = status.reason ? { state: status.state, reason: status.reason } : { state: status.state };
    const routine =
      status.state === 'online' ||
      status.state === 'connecting' ||
      /^(closed|end of file)$/.test(status.reason ?? '');
    if (routine) log?.info(`camera ${status.state}`, fields);
    else log?.warn(`camera ${status.state}`, fields);
  };
}
