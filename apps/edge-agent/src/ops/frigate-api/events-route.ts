import { type StoredEvent, type StoredSnapshot, thumbnailJpeg } from '@rxvision/sinks';
import { busy, type HttpRoute, notFound, type RouteReply } from '../http-routes.js';
import type { FrigateApiSource } from './frigate-source.js';

/** Events listed when the request gives no `limit` (Frigate's default). */
const DEFAULT_LIMIT = 100;

/**
 * `/api/events` (filters `cameras`/`camera`, `labels`/`label`, `zones`, `after`, `before`,
 * `has_snapshot`, `in_progress`, `limit`), `/api/events/<id>`, and each event's `snapshot.jpg`
 * (the JPEG of the track's best frame, from the bounded store) and `thumbnail.jpg` (it, 175 px high).
 */
export function eventRoutes(source: FrigateApiSource): HttpRoute[] {
  /** The event's best snapshot, or the 404 that says why there is none. */
  const snapshotOf = (id: string): StoredSnapshot | RouteReply => {
    const stored = source.events.get(id);
    if (!stored) return notFound(`Event ${id} not found (unknown, or no longer kept)`);
    return (
      stored.snapshot ?? notFound(`Event ${id} has no snapshot (yet, or snapshots are off for its camera)`)
    );
  };
  const snapshotReply = (id: string): RouteReply => {
    const snapshot = snapshotOf(id);
    return 'jpeg' in snapshot ? jpegReply(snapshot.jpeg) : snapshot;
  };
  // Made on first request from the best snapshot and kept beside it: most events are never looked at.
  const thumbnailReply = async (id: string): Promise<RouteReply> => {
    const snapshot = snapshotOf(id);
    if (!('jpeg' in snapshot)) return snapshot;
    if (snapshot.thumbnail) return jpegReply(snapshot.thumbnail);
    const thumbnail = await thumbnailJpeg(snapshot.jpeg, undefined, source.ffmpegPath);
    if (thumbnail === 'skipped') return busy();
    source.events.thumbnail(id, snapshot.jpeg, thumbnail);
    return jpegReply(thumbnail);
  };
  return [
    {
      pattern: '/api/events',
      handle: ({ query }) => ({ status: 200, json: listEvents(source.events.list(), query) }),
    },
    { pattern: '/api/events/:id/snapshot.jpg', handle: ({ params }) => snapshotReply(params.id ?? '') },
    { pattern: '/api/events/:id/thumbnail.jpg', handle: ({ params }) => thumbnailReply(params.id ?? '') },
    {
      pattern: '/api/events/:id',
      handle: ({ params }) => {
        const stored = source.events.get(params.id ?? '');
        return stored
          ? { status: 200, json: frigateEvent(stored) }
          : notFound(`Event ${params.id} not found`);
      },
    },
  ];
}

function jpegReply(jpeg: Buffer): RouteReply {
  return {
    status: 200,
    body: jpeg,
    contentType: 'image/jpeg',
    headers: { 'cache-control': 'private, max-age=60' },
  };
}

/** Frigate's event row for one stored event. */
export function frigateEvent({ object, snapshot }: StoredEvent): Record<string, unknown> {
  return {
    id: object.id,
    camera: object.camera,
    label: object.label,
    sub_label: null,
    start_time: object.start_time,
    end_time: object.end_time,
    false_positive: false,
    zones: [...object.entered_zones],
    thumbnail: null,
    has_clip: false,
    has_snapshot: snapshot !== undefined,
    retain_indefinitely: false,
    plus_id: null,
    top_score: object.top_score,
    data: { score: object.score, top_score: object.top_score, attributes: [], type: 'object' },
  };
}

function listEvents(events: readonly StoredEvent[], query: URLSearchParams): Record<string, unknown>[] {
  const set = (...keys: string[]): Set<string> | undefined => {
    const values = keys
      .flatMap((k) => (query.get(k) ?? '').split(','))
      .filter((v) => v !== '' && v !== 'all');
    return values.length > 0 ? new Set(values) : undefined;
  };
  const cameras = set('cameras', 'camera');
  const labels = set('labels', 'label');
  const zones = set('zones');
  const after = numberParam(query, 'after');
  const before = numberParam(query, 'before');
  const hasSnapshot = query.get('has_snapshot');
  const inProgress = query.get('in_progress');
  const limit = numberParam(query, 'limit') ?? DEFAULT_LIMIT;
  return events
    .filter(({ object, snapshot }) => {
      if (cameras && !cameras.has(object.camera)) return false;
      if (labels && !labels.has(object.label)) return false;
      if (zones && !object.entered_zones.some((z) => zones.has(z))) return false;
      if (after !== undefined && object.start_time <= after) return false;
      if (before !== undefined && object.start_time >= before) return false;
      if (hasSnapshot !== null && (hasSnapshot === '1') !== (snapshot !== undefined)) return false;
      if (inProgress !== null && (inProgress === '1') !== (object.end_time === null)) return false;
      return true;
    })
    .slice(0, Math.max(0, limit))
    .map(frigateEvent);
}

function numberParam(query: URLSearchParams, key: string): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
