import type { FrigateObject } from './frigate-object.js';

/** What `toMqtt` tells whoever watches what it publishes (the agent's HTTP API and metrics). */
export interface PublishObserver {
  /** An event message handed to the publisher. */
  event?(type: 'new' | 'update' | 'end', object: FrigateObject): void;
  /** A track's snapshot JPEG, encoded from its best frame so far (`score` is that frame's). */
  snapshot?(eventId: string, jpeg: Buffer, score: number): void;
}

/** How much the snapshot store keeps. */
export interface SnapshotStoreLimits {
  /** Events kept, the oldest forgotten first. Default 500. */
  readonly maxEvents: number;
  /** Bytes of JPEG kept in all; the oldest events' snapshots are forgotten first. Default 64 MiB. */
  readonly maxBytes: number;
}

/** A track's best snapshot and, once asked for, its thumbnail. */
export interface StoredSnapshot {
  readonly jpeg: Buffer;
  readonly score: number;
  readonly thumbnail?: Buffer;
}

/** One event as the store holds it: its latest `after` object and its best snapshot, if any. */
export interface StoredEvent {
  readonly object: FrigateObject;
  readonly snapshot?: StoredSnapshot;
}

interface Entry {
  object: FrigateObject;
  snapshot?: StoredSnapshot;
}

/**
 * The recent events and the best snapshot of each track (highest score), bounded by count and
 * bytes, for Frigate's `/api/events` and `/api/events/<id>/snapshot.jpg`. Feed it as a `toMqtt` observer.
 */
export class SnapshotStore implements PublishObserver {
  readonly limits: SnapshotStoreLimits;
  readonly #events = new Map<string, Entry>();
  #bytes = 0;

  constructor(limits: Partial<SnapshotStoreLimits> = {}) {
    this.limits = { maxEvents: 500, maxBytes: 64 * 1024 * 1024, ...limits };
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#events.size;
  }

  event(_type: 'new' | 'update' | 'end', object: FrigateObject): void {
    const entry = this.#events.get(object.id);
    if (entry) entry.object = object;
    else this.#events.set(object.id, { object });
    this.#trim();
  }

  snapshot(eventId: string, jpeg: Buffer, score: number): void {
    const entry = this.#events.get(eventId);
    // Encodes run in parallel and may finish out of order: a lower score never replaces a higher one.
    if (!entry || (entry.snapshot && entry.snapshot.score > score)) return;
    if (jpeg.length > this.limits.maxBytes) return;
    this.#bytes += jpeg.length - sizeOf(entry.snapshot);
    entry.snapshot = { jpeg, score };
    this.#trim();
  }

  /** Keeps the thumbnail made from `of`, unless a better snapshot replaced it meanwhile. */
  thumbnail(eventId: string, of: Buffer, thumbnail: Buffer): void {
    const entry = this.#events.get(eventId);
    if (!entry?.snapshot || entry.snapshot.jpeg !== of) return;
    this.#bytes += thumbnail.length - (entry.snapshot.thumbnail?.length ?? 0);
    entry.snapshot = { ...entry.snapshot, thumbnail };
    this.#trim();
  }

  get(eventId: string): StoredEvent | undefined {
    return this.#events.get(eventId);
  }

  /** Every event kept, newest first. */
  list(): StoredEvent[] {
    return [...this.#events.values()].reverse();
  }

  /** Forgets a removed camera's events. */
  forgetCamera(camera: string): void {
    for (const [id, entry] of this.#events) if (entry.object.camera === camera) this.#drop(id, entry);
  }

  #trim(): void {
    for (const [id, entry] of this.#events) {
      if (this.#events.size <= this.limits.maxEvents) break;
      this.#drop(id, entry);
    }
    for (const entry of this.#events.values()) {
      if (this.#bytes <= this.limits.maxBytes) break;
      if (!entry.snapshot) continue;
      this.#bytes -= sizeOf(entry.snapshot);
      delete entry.snapshot;
    }
  }

  #drop(id: string, entry: Entry): void {
    this.#bytes -= sizeOf(entry.snapshot);
    this.#events.delete(id);
  }
}

function sizeOf(snapshot: StoredSnapshot | undefined): number {
  return (snapshot?.jpeg.length ?? 0) + (snapshot?.thumbnail?.length ?? 0);
}
