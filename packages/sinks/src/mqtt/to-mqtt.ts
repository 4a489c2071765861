import { fullImage, resolveFfmpegPath, roundTo } from '@rxvision/decode';
import type { Track, TrackEvent, TrackedFrame } from '@rxvision/tracker';
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
import { randomTag } from './random-tag.js';
import { type ReviewOptions, ReviewSegments } from './review-segments.js';
import { boundedJpeg, type SnapshotOptions, snapshotEncoders } from './snapshot.js';
import type { PublishObserver } from './snapshot-store.js';
import { assertTopicLevel } from './topics.js';
import { zoneCountsOf } from './zone-counts.js';

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
  /**
   * Computed score (median of the last 10) an object must reach before it is published (its `new`),
   * Frigate's `objects.filters.<label>.threshold`. Default 0.7.
   */
  readonly threshold?: number;
  /** Per-label thresholds, over `threshold`. */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** `<prefix>/reviews` segments (alert labels and quiet periods); `false` turns them off. */
  readonly reviews?: ReviewOptions | false;
  /** Snapshot JPEGs on `<prefix>/<camera>/<label>/snapshot`; `false` turns them off. */
  readonly snapshot?: SnapshotOptions | false;
  readonly ffmpegPath?: string;
  /** Told of each event and snapshot published (e.g. a `SnapshotStore`, a metrics counter). */
  readonly observer?: PublishObserver;
  /** Clock for the detections rate limit and the review segments (tests pass a TestScheduler). */
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
  /** Its computed score has reached the threshold: it is published and counted (Frigate: not a false positive). */
  confirmed: boolean;
  last?: FrigateObject;
  best?: BestShot;
  /** Highest-scoring moment, for the event's `snapshot` (kept with snapshots off too). */
  bestMoment?: { readonly score: number; readonly bbox: Track['bbox']; readonly at: number };
}

export const DEFAULT_THRESHOLD = 0.7;

/**
 * Publishes each camera's tracked objects to MQTT in Frigate's topic layout and passes frames on.
 *
 * Per frame: `<prefix>/<camera>/detections` (compact, rate-limited by `detectionsIntervalMs`); per
 * object: `<prefix>/events` with Frigate's `{type, before, after}` (new once its computed score
 * reaches `threshold`, update on a significant change or after 60 s, end), QoS 1;
 * `<prefix>/reviews` segments; counts per label (`<prefix>/<camera>/<label>`, `…/all`, and
 * `…/active`), per zone summed over the cameras sharing its name (`<prefix>/<zone>/<label>`) and
 * per line (`<prefix>/<camera>/<line>/in|out`, `…/<line>/<label>/in|out`), retained and sent on
 * change; one `<prefix>/<camera>/<line>/crossing` event per crossing; a JPEG of the object's best
 * moment on `<prefix>/<camera>/<label>/snapshot` when it appears and when it ends with a better one. Publishing never blocks or fails the
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
  const thresholdOf = (label: string): number =>
    options.thresholds?.[label] ?? options.threshold ?? DEFAULT_THRESHOLD;
  for (const [label, value] of [
    ['(all labels)', options.threshold] as const,
    ...Object.entries(options.thresholds ?? {}),
  ])
    if (value !== undefined && !(value >= 0 && value <= 1))
      throw new Error(`camera ${camera}: threshold for ${label} must be between 0 and 1, got ${value}`);
  const zoneCounts = zoneCountsOf(publisher);

  return (source) =>
    defer(() => {
      const runId = randomTag();
      const live = new Map<number, Live>();
      const lastCounts = new Map<string, number>();
      let frameSize = { width: 0, height: 0 };
      publisher.registerCamera(camera, { labels, zones, lines, snapshots: snapshot !== undefined });
      const reviews =
        options.reviews === false
          ? undefined
          : new ReviewSegments(
              camera,
              (payload) => publisher.publish('events', publisher.topic('reviews'), payload),
              scheduler,
              options.reviews,
            );

      const count = (topic: string, value: number, published = lastCounts): void => {
        if (published.get(topic) === value) return;
        published.set(topic, value);
        publisher.publish('counts', topic, String(value), { retain: true });
      };
      for (const label of [...labels, 'all']) {
        count(publisher.topic(camera, label), 0);
        count(publisher.topic(camera, label, 'active'), 0);
      }
      // Zone and line totals are first published from the first frame: zones sum over cameras,
      // and line totals may continue from saved ones, which a 0 here would overwrite.

      const publishEvent = (type: 'new' | 'update' | 'end', entry: Live, after: FrigateObject): void => {
        const before = entry.last ?? after;
        entry.last = after;
        publisher.publish('events', publisher.topic('events'), JSON.stringify({ type, before, after }));
        options.observer?.event?.(type, after);
      };
      const objectOf = (entry: Live, endedAt: number | null): FrigateObject =>
        frigateObject(entry.track, {
          camera,
          id: entry.id,
          endedAt,
          hasSnapshot: entry.best?.published ?? false,
          falsePositive: !entry.confirmed,
          frame: frameSize,
          ...(entry.bestMoment ? { best: entry.bestMoment } : {}),
        });

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
          entry = { id: eventId(runId, track), track, confirmed: false };
          live.set(track.trackId, entry);
        }
        entry.track = track;
        // Once a true positive, always one (as Frigate).
        if (!entry.confirmed && track.computedScore >= thresholdOf(track.label)) entry.confirmed = true;
        if (!entry.bestMoment || track.score > entry.bestMoment.score)
          entry.bestMoment = { score: track.score, bbox: track.bbox, at: track.lastSeen };
        return entry;
      };

      const publishCrossing = (event: Extract<TrackEvent, { type: 'line-cross' }>): void => {
        const entry = live.get(event.track.trackId);
        const payload = {
          id: entry?.confirmed ? entry.id : null,
          camera,
          line: event.line,
          track_id: event.track.trackId,
          label: event.track.label,
          direction: event.direction,
          time: event.at / 1000,
        };
        publisher.publish('events', publisher.topic(camera, event.line, 'crossing'), JSON.stringify(payload));
      };

      const onFrame = (tracked: TrackedFrame): void => {
        publisher.recordFrame(camera, tracked.inferenceMs);
        frameSize = { width: tracked.frame.width, height: tracked.frame.height };
        const ended: Live[] = [];
        const crossings: Array<Extract<TrackEvent, { type: 'line-cross' }>> = [];
        for (const event of tracked.events) {
          if (event.type === 'line-cross') {
            crossings.push(event);
            continue;
          }
          const entry = entryFor(event.track);
          if (event.type === 'end') {
            live.delete(event.track.trackId);
            ended.push(entry);
            if (entry.last) publishEvent('end', entry, objectOf(entry, event.at));
          }
        }
        const active: FrigateObject[] = [];
        for (const track of tracked.tracks) {
          const entry = entryFor(track);
          if (!entry.confirmed) continue;
          rememberBest(entry, tracked.frame);
          const after = objectOf(entry, null);
          if (after.active || after.loitering_zones.length > 0) active.push(after);
          if (!entry.last) {
            publishSnapshot(entry);
            publishEvent('new', entry, objectOf(entry, null));
            continue;
          }
          if (significantChange(entry.last, after)) publishEvent('update', entry, after);
        }
        for (const event of crossings) publishCrossing(event);
        for (const entry of ended) publishSnapshot(entry);
        reviews?.observe(active);
        publishCounts(tracked);
      };

      const publishZones = (names: readonly string[]): void => {
        for (const zone of names) {
          // A zone no running camera has any more holds nothing.
          const occupancy = zoneCounts.total(zone) ?? { count: 0, objects: {} };
          const seen = [...zoneCounts.published.keys()]
            .filter((topic) => topic.startsWith(`${publisher.topic(zone)}/`))
            .map((topic) => topic.slice(publisher.topic(zone).length + 1));
          for (const label of new Set([...labels, ...seen, ...Object.keys(occupancy.objects)])) {
            if (label === 'all') continue;
            count(publisher.topic(zone, label), occupancy.objects[label] ?? 0, zoneCounts.published);
          }
          count(publisher.topic(zone, 'all'), occupancy.count, zoneCounts.published);
        }
      };

      const publishCounts = (tracked: TrackedFrame): void => {
        const byLabel = new Map<string, number>(labels.map((l) => [l, 0]));
        const activeByLabel = new Map<string, number>(labels.map((l) => [l, 0]));
        let all = 0;
        let allActive = 0;
        for (const { track, confirmed } of live.values()) {
          if (!confirmed) continue;
          all++;
          byLabel.set(track.label, (byLabel.get(track.label) ?? 0) + 1);
          if (track.stationary) continue;
          allActive++;
          activeByLabel.set(track.label, (activeByLabel.get(track.label) ?? 0) + 1);
        }
        for (const [label, n] of byLabel) count(publisher.topic(camera, label), n);
        for (const [label, n] of activeByLabel) count(publisher.topic(camera, label, 'active'), n);
        count(publisher.topic(camera, 'all'), all);
        count(publisher.topic(camera, 'all', 'active'), allActive);
        // Zone occupancy and line totals come from the tracker, which applies inertia and debouncing;
        // a zone name shared by several cameras counts what all of them hold (as in Frigate).
        zoneCounts.set(camera, tracked.zoneOccupancy);
        publishZones(Object.keys(tracked.zoneOccupancy));
        for (const [line, totals] of Object.entries(tracked.lineCounts)) {
          count(publisher.topic(camera, line, 'in'), totals.in);
          count(publisher.topic(camera, line, 'out'), totals.out);
          for (const [label, byLabelTotals] of Object.entries(totals.objects)) {
            count(publisher.topic(camera, line, label, 'in'), byLabelTotals.in);
            count(publisher.topic(camera, line, label, 'out'), byLabelTotals.out);
          }
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
          reviews?.close();
          zoneCounts.remove(camera);
          // What this camera held leaves the shared zone counts.
          publishZones(zones);
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
