import { fullImage, resolveFfmpegPath, roundTo } from '@rxvision/decode';
import type { Track, TrackedFrame } from '@rxvision/tracker';
import {
  asyncScheduler,
  defer,
  finalize,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  Subject,
  tap,
  throttleTime,
} from 'rxjs';
import { annotate } from '../draw/annotate.js';
import { cropPicture, type Picture } from '../draw/raster.js';
import { eventId, type FrigateObject, frigateObject, significantChange } from './frigate-object.js';
import type { MqttPublisher } from './publisher.js';
import { boundedJpeg, type SnapshotOptions, snapshotEncoders } from './snapshot.js';
import type { PublishObserver } from './snapshot-store.js';
import { assertTopicLevel } from './topics.js';

export interface ToMqttOptions {
  /** Camera name: the topic level after the prefix (Frigate `cameras.<name>`). */
  readonly camera: string;
  /** Least ms between two `<prefix>/<camera>/detections` messages; the newest frame wins. Default 100 (10/s); 0: every frame. */
  readonly detectionsIntervalMs?: number;
  /** Labels with a retained count from the start and a Home Assistant sensor (Frigate `objects.track`). Default `['person']`. */
  readonly labels?: readonly string[];
  /** Zone names with retained counts and Home Assistant sensors (Frigate `zones`). */
  readonly zones?: readonly string[];
  /** Counting line names whose in/out totals are published. */
  readonly lines?: readonly string[];
  /** Snapshot JPEGs on `<prefix>/<camera>/<label>/snapshot`; `false` turns them off. */
  readonly snapshot?: SnapshotOptions | false;
  readonly ffmpegPath?: string;
  /** Told of each event and snapshot published (e.g. a `SnapshotStore`, a metrics counter). */
  readonly observer?: PublishObserver;
  /** Clock for the detections rate limit (tests pass a TestScheduler). */
  readonly scheduler?: SchedulerLike;
}

/** What a track looked like when its score was best, for its snapshot. */
interface BestShot {
  readonly score: number;
  readonly image: Picture;
  published: boolean;
}

interface Live {
  readonly id: string;
  track: Track;
  last?: FrigateObject;
  best?: BestShot;
}

const RUN_ID_LENGTH = 6;
const randomRunId = (): string =>
  Math.random()
    .toString(36)
    .slice(2, 2 + RUN_ID_LENGTH)
    .padEnd(RUN_ID_LENGTH, '0');

/**
 * Publishes each camera's tracked objects to MQTT in Frigate's topic layout and passes frames on.
 *
 * Per frame: `<prefix>/<camera>/detections` (compact, rate-limited by `detectionsIntervalMs`); per
 * track event: `<prefix>/events` with Frigate's `{type, before, after}` (new / update on a
 * significant change / end), QoS 1; counts per label (`<prefix>/<camera>/<label>`, `…/all`),
 * per zone (`<prefix>/<zone>/<label>`) and per line (`<prefix>/<camera>/<line>/in|out`), retained
 * and sent on change; a JPEG of the track's best moment on `<prefix>/<camera>/<label>/snapshot`
 * when it appears and when it ends with a better one. Publishing never blocks or fails the
 * stream: the publisher queues or counts what the broker cannot take.
 *
 * ## Example
 * ```ts
 * decode({ url }).pipe(detect(detector), track({ zones }), toMqtt(mqtt, { camera: 'front', zones: ['porch'] }));
 * ```
 * @see createMqttPublisher
 * @see toMqttStatus
 */
export function toMqtt(
  publisher: MqttPublisher,
  options: ToMqttOptions,
): MonoTypeOperatorFunction<TrackedFrame> {
  const camera = assertTopicLevel(options.camera, 'camera name');
  const labels = options.labels ?? ['person'];
  const zones = options.zones ?? [];
  const lines = options.lines ?? [];
  for (const name of [...labels, ...zones, ...lines])
    assertTopicLevel(name, `camera ${camera}: label/zone/line`);
  const interval = options.detectionsIntervalMs ?? 100;
  const scheduler = options.scheduler ?? asyncScheduler;
  const snapshot = options.snapshot === false ? undefined : (options.snapshot ?? {});
  const ffmpegPath = resolveFfmpegPath(options.ffmpegPath);

  return (source) =>
    defer(() => {
      const runId = randomRunId();
      const live = new Map<number, Live>();
      const lastCounts = new Map<string, number>();
      publisher.registerCamera(camera, { labels, zones, lines, snapshots: snapshot !== undefined });

      const count = (topic: string, value: number): void => {
        if (lastCounts.get(topic) === value) return;
        lastCounts.set(topic, value);
        publisher.publish('counts', topic, String(value), { retain: true });
      };
      for (const label of [...labels, 'all']) count(publisher.topic(camera, label), 0);
      for (const zone of zones)
        for (const label of [...labels, 'all']) count(publisher.topic(zone, label), 0);
      for (const line of lines)
        for (const direction of ['in', 'out']) count(publisher.topic(camera, line, direction), 0);

      const publishEvent = (type: 'new' | 'update' | 'end', entry: Live, after: FrigateObject): void => {
        const before = entry.last ?? after;
        entry.last = after;
        publisher.publish('events', publisher.topic('events'), JSON.stringify({ type, before, after }));
        options.observer?.event?.(type, after);
      };
      const objectOf = (entry: Live, endedAt: number | null): FrigateObject =>
        frigateObject(camera, entry.id, entry.track, endedAt, entry.best?.published ?? false);

      const publishSnapshot = (entry: Live): void => {
        const shot = entry.best;
        if (!snapshot || !shot || shot.published) return;
        shot.published = true;
        const label = entry.track.label;
        boundedJpeg(shot.image, ffmpegPath, {
          maxBytes: snapshot.maxBytes ?? 256 * 1024,
          quality: snapshot.quality ?? 70,
          height: snapshot.height,
        }).then(
          (jpeg) => {
            if (jpeg === 'skipped') {
              const skipped = snapshotEncoders.skipped;
              // Once per doubling: a burst is reported, not logged line by line.
              if ((skipped & (skipped - 1)) === 0)
                publisher.logger.warn(
                  `camera ${camera}: snapshot of ${label} track ${entry.track.trackId} skipped: ${snapshotEncoders.maxQueued} snapshots already wait for an encoder (${skipped} skipped so far)`,
                );
            } else if (jpeg) {
              options.observer?.snapshot?.(entry.id, jpeg, shot.score);
              publisher.publish('snapshot', publisher.topic(camera, label, 'snapshot'), jpeg, {
                retain: true,
              });
            } else {
              publisher.recordSnapshotOversize();
              publisher.logger.warn(
                `camera ${camera}: snapshot of ${label} track ${entry.track.trackId} stays above snapshot.maxBytes ` +
                  `(${snapshot.maxBytes}) even at low quality; not published. Raise maxBytes or set a smaller height`,
              );
            }
          },
          (err: Error) => publisher.logger.warn(`camera ${camera}: ${err.message}`),
        );
      };

      let warnedNoPixels = false;
      const warnNoPixels = (): void => {
        if (!warnedNoPixels)
          publisher.logger.warn(
            `camera ${camera}: no snapshots: the source delivers the model input only; open it with fullFrame`,
          );
        warnedNoPixels = true;
      };

      const rememberBest = (entry: Live, frame: TrackedFrame['frame']): void => {
        if (!snapshot || (entry.best && entry.track.score <= entry.best.score)) return;
        const full = fullImage(frame);
        if (!full) {
          warnNoPixels();
          return;
        }
        const [x1, y1, x2, y2] = entry.track.bbox;
        let image: Picture = full;
        let box: [number, number, number, number] = [x1, y1, x2, y2];
        if (snapshot.crop ?? true) {
          const mx = (x2 - x1) * 0.25 + 16;
          const my = (y2 - y1) * 0.25 + 16;
          const { picture, left, top } = cropPicture(image, x1 - mx, y1 - my, x2 + mx, y2 + my);
          image = picture;
          box = [x1 - left, y1 - top, x2 - left, y2 - top];
        } else {
          image = { ...image, data: image.data.slice() };
        }
        if (snapshot.boundingBox ?? true) annotate(image, [{ ...entry.track, bbox: box }]);
        entry.best = { score: entry.track.score, image, published: false };
      };

      const entryFor = (track: Track): Live => {
        let entry = live.get(track.trackId);
        if (!entry) {
          entry = { id: eventId(runId, track), track };
          live.set(track.trackId, entry);
        }
        entry.track = track;
        return entry;
      };

      const onFrame = (tracked: TrackedFrame): void => {
        publisher.recordFrame(camera, tracked.inferenceMs);
        const ended: Live[] = [];
        for (const event of tracked.events) {
          if (event.type === 'line-cross') continue;
          const entry = entryFor(event.track);
          if (event.type === 'end') {
            live.delete(event.track.trackId);
            ended.push(entry);
            if (entry.last) publishEvent('end', entry, objectOf(entry, event.at));
          }
        }
        for (const track of tracked.tracks) {
          const entry = entryFor(track);
          rememberBest(entry, tracked.frame);
          if (!entry.last) {
            publishSnapshot(entry);
            publishEvent('new', entry, objectOf(entry, null));
            continue;
          }
          const after = objectOf(entry, null);
          if (significantChange(entry.last, after)) publishEvent('update', entry, after);
        }
        for (const entry of ended) publishSnapshot(entry);
        publishCounts(tracked);
      };

      const publishCounts = (tracked: TrackedFrame): void => {
        const byLabel = new Map<string, number>(labels.map((l) => [l, 0]));
        for (const { track } of live.values()) byLabel.set(track.label, (byLabel.get(track.label) ?? 0) + 1);
        for (const [label, n] of byLabel) count(publisher.topic(camera, label), n);
        count(publisher.topic(camera, 'all'), live.size);
        // Zone occupancy and line totals come from the tracker, which applies inertia and debouncing.
        for (const [zone, occupancy] of Object.entries(tracked.zoneOccupancy)) {
          for (const label of new Set([...labels, ...Object.keys(occupancy.objects)])) {
            count(publisher.topic(zone, label), occupancy.objects[label] ?? 0);
          }
          count(publisher.topic(zone, 'all'), occupancy.count);
        }
        for (const [line, totals] of Object.entries(tracked.lineCounts)) {
          count(publisher.topic(camera, line, 'in'), totals.in);
          count(publisher.topic(camera, line, 'out'), totals.out);
        }
      };

      const detections = new Subject<TrackedFrame>();
      const detectionsSubscription = detections
        .pipe(interval > 0 ? throttleTime(interval, scheduler, { leading: true, trailing: true }) : tap())
        .subscribe((tracked) => {
          publisher.publish(
            'detections',
            publisher.topic(camera, 'detections'),
            detectionsPayload(camera, live, tracked),
          );
        });

      let completed = false;
      return source.pipe(
        tap({
          next: (tracked) => {
            onFrame(tracked);
            detections.next(tracked);
          },
          // On completion the rate limiter still owes the newest frame: let it send it, then end.
          complete: () => {
            completed = true;
            detections.complete();
          },
        }),
        finalize(() => {
          if (!completed) detectionsSubscription.unsubscribe();
        }),
      );
    });
}

/** The compact per-frame message: what is tracked in this frame, in source pixels. */
export function detectionsPayload(
  camera: string,
  live: ReadonlyMap<number, { readonly id: string }>,
  tracked: TrackedFrame,
): string {
  const { frame } = tracked;
  return JSON.stringify({
    camera,
    frame_time: frame.capturedAt / 1000,
    seq: frame.seq,
    width: frame.width,
    height: frame.height,
    inference_ms: roundTo(tracked.inferenceMs, 2),
    objects: tracked.tracks.map((t) => ({
      id: live.get(t.trackId)?.id ?? null,
      track_id: t.trackId,
      label: t.label,
      score: roundTo(t.score, 3),
      box: t.bbox.map(Math.round),
    })),
  });
}
