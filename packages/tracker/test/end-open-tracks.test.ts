import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { endOpenTracks } from '../src/end-open-tracks.js';
import type { Track, TrackedFrame } from '../src/tracked-frame.js';

const track = (trackId: number): Track =>
  ({ trackId, bbox: [0, 0, 10, 10], score: 0.9, classId: 0, label: 'person' }) as unknown as Track;

function frame(seq: number, tracks: Track[], events: TrackedFrame['events'] = []): TrackedFrame {
  return { frame: { seq }, detections: [], inferenceMs: 1, tracks, events } as unknown as TrackedFrame;
}

describe('endOpenTracks', () => {
  it('on completion emits one frame ending exactly the tracks still open', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const a = frame(0, [track(1), track(2)]);
      const b = frame(1, [track(2)], [{ type: 'end', track: track(1), at: 5 }]);
      const c = frame(2, [track(2), track(3)]);
      const out = cold('a-b-c|', { a, b, c }).pipe(endOpenTracks(() => 42));
      expectObservable(out).toBe('a-b-c(z|)', {
        a,
        b,
        c,
        z: {
          ...c,
          tracks: [],
          events: [
            { type: 'end', track: track(2), at: 42 },
            { type: 'end', track: track(3), at: 42 },
          ],
        },
      });
    });
  });

  it('adds nothing when every track already ended, and passes errors through', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const a = frame(0, [track(1)]);
      const b = frame(1, [], [{ type: 'end', track: track(1), at: 5 }]);
      expectObservable(cold('ab|', { a, b }).pipe(endOpenTracks())).toBe('ab|', { a, b });
      expectObservable(cold('ab#', { a, b }).pipe(endOpenTracks())).toBe('ab#', { a, b });
    });
  });

  it('ends the open tracks before passing an error on (the pipeline restarts with new ids)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const a = frame(0, [track(1), track(2)]);
      const out = cold('a-#', { a }, new Error('inference failed')).pipe(endOpenTracks(() => 7));
      expectObservable(out).toBe(
        'a-(z#)',
        {
          a,
          z: {
            ...a,
            tracks: [],
            events: [
              { type: 'end', track: track(1), at: 7 },
              { type: 'end', track: track(2), at: 7 },
            ],
          },
        },
        new Error('inference failed'),
      );
    });
  });
});
