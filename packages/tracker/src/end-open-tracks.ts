import { type MonoTypeOperatorFunction, Observable } from 'rxjs';
import type { Track, TrackedFrame } from './tracked-frame.js';

/**
 * On completion, and before passing an error on, emits one last frame whose events end every
 * track still open, so a clean shutdown or a failed pipeline (which restarts with fresh track
 * ids) publishes each object's `end` event instead of leaving it open forever downstream.
 *
 * Open means: seen in a frame's `tracks` (or a `new`/`update` event) and not yet ended by an
 * `end` event. The closing frame repeats the last frame with no tracks.
 *
 * ## Example
 * ```ts
 * frames$.pipe(takeUntil(stop$), detect(d), track(), endOpenTracks(), toMqtt(mqtt, { camera }))
 * ```
 */
export function endOpenTracks(now: () => number = Date.now): MonoTypeOperatorFunction<TrackedFrame> {
  return (source) =>
    new Observable<TrackedFrame>((subscriber) => {
      const open = new Map<number, Track>();
      let last: TrackedFrame | undefined;
      const endOpen = () => {
        if (!last || open.size === 0) return;
        const at = now();
        const events = [...open.values()].map((track) => ({ type: 'end' as const, track, at }));
        open.clear();
        subscriber.next({ ...last, tracks: [], events });
      };
      return source.subscribe({
        next: (tracked) => {
          last = tracked;
          for (const track of tracked.tracks) open.set(track.trackId, track);
          for (const event of tracked.events) {
            if (event.type === 'end') open.delete(event.track.trackId);
            else if (event.type === 'new' || event.type === 'update')
              open.set(event.track.trackId, event.track);
          }
          subscriber.next(tracked);
        },
        error: (error: unknown) => {
          endOpen();
          subscriber.error(error);
        },
        complete: () => {
          endOpen();
          subscriber.complete();
        },
      });
    });
}
