import type { OutgoingMessage } from './message.js';

/** How much a queued message is worth keeping when the offline queue is full: the lowest goes first. */
export type DropRank = 0 | 1 | 2;

/** What the queue knows of a message it holds: its rank and, for a tracked-object event, the event. */
export interface DropClass {
  readonly rank: DropRank;
  /** Frigate event type (`new`/`update`/`end`), for `events` messages. */
  readonly eventType?: string;
  /** The tracked object's id (`after.id`), for `events` messages. */
  readonly trackId?: string;
}

/**
 * Ranks a message for the offline queue's overflow:
 * 0 — superseded by the next one or re-sent after a reconnect anyway: detections, snapshots,
 *     stats, and the retained counts, statuses and discovery configs (the publisher replays the
 *     latest of each once connected);
 * 1 — `update` events (the `end` carries the object's final state);
 * 2 — `new`/`end` events, `available`, and anything it cannot read: dropped last, so every
 *     object that started also ends.
 */
export function dropClass(message: Pick<OutgoingMessage, 'kind' | 'payload'>): DropClass {
  switch (message.kind) {
    case 'detections':
    case 'snapshot':
    case 'stats':
    case 'counts':
    case 'status':
    case 'discovery':
      return { rank: 0 };
    case 'available':
      return { rank: 2 };
    case 'events':
      return eventClass(message.payload);
  }
}

function eventClass(payload: string | Buffer): DropClass {
  try {
    const event: unknown = JSON.parse(payload.toString());
    if (typeof event !== 'object' || event === null) return { rank: 2 };
    const { type, after } = event as { type?: unknown; after?: { id?: unknown } };
    const trackId = typeof after?.id === 'string' ? after.id : undefined;
    const eventType = typeof type === 'string' ? type : undefined;
    return {
      rank: eventType === 'update' ? 1 : 2,
      ...(eventType ? { eventType } : {}),
      ...(trackId ? { trackId } : {}),
    };
  } catch {
    return { rank: 2 };
  }
}
