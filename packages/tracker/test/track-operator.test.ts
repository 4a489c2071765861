import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { track } from '../src/track.js';
import { detected, person } from './helpers.js';

describe('track()', () => {
  it('keeps one stable id per walking person and announces it once with new, then update', async () => {
    const frames = Array.from({ length: 20 }, (_, i) => detected('front', i, [person(100 + 5 * i, 200)]));
    const out = await lastValueFrom(from(frames).pipe(track(), toArray()));
    const ids = new Set(out.flatMap((f) => f.tracks.map((t) => t.trackId)));
    expect(ids).toEqual(new Set([1]));
    const types = out.flatMap((f) => f.events.map((e) => e.type));
    expect(types.filter((t) => t === 'new')).toHaveLength(1);
    expect(types.filter((t) => t === 'update').length).toBeGreaterThan(15);
    expect(out.at(-1)!.tracks[0]!.state).toBe('confirmed');
    expect(out.at(-1)!.tracks[0]!.firstSeen).toBe(out[0]!.frame.capturedAt);
  });

  it('keeps cameras apart: same boxes on two cameras give two independent id sequences', async () => {
    const frames = [];
    for (let i = 0; i < 10; i++) {
      frames.push(detected('a', i, [person(100 + 5 * i, 200)]));
      frames.push(detected('b', i, [person(100 + 5 * i, 200), person(400, 300)]));
    }
    const out = await lastValueFrom(from(frames).pipe(track({ tracker: 'sort' }), toArray()));
    const idsOf = (cam: string) =>
      new Set(out.filter((f) => f.frame.streamId === cam).flatMap((f) => f.tracks.map((t) => t.trackId)));
    expect(idsOf('a')).toEqual(new Set([1]));
    expect(idsOf('b')).toEqual(new Set([1, 2]));
    // A person disappearing on camera b ends there only.
    const more = [detected('a', 10, [person(150, 200)]), detected('b', 10, []), detected('b', 11, [])];
    const after = await lastValueFrom(from([...frames, ...more]).pipe(track({ tracker: 'sort' }), toArray()));
    const ends = after.flatMap((f) => f.events.filter((e) => e.type === 'end').map(() => f.frame.streamId));
    expect(ends).toEqual(['b', 'b']);
  });

  it('starts from fresh state on every subscription', async () => {
    const frames = Array.from({ length: 5 }, (_, i) => detected('front', i, [person(100, 200)]));
    const op = from(frames).pipe(track());
    const first = await lastValueFrom(op.pipe(toArray()));
    const second = await lastValueFrom(op.pipe(toArray()));
    expect(second.at(-1)!.tracks.map((t) => t.trackId)).toEqual(first.at(-1)!.tracks.map((t) => t.trackId));
  });

  it("measures the frame rate from pts when fps is not given, and scales ByteTrack's buffer with it", async () => {
    // A person, then 45 empty frames, then the person again: past 30 frames of buffer at 30 fps,
    // inside 60 at 60 fps.
    const run = async (fps: number) => {
      const frames = [];
      for (let i = 0; i < 15; i++) frames.push(detected('cam', i, [person(200, 200)], fps));
      for (let i = 15; i < 60; i++) frames.push(detected('cam', i, [], fps));
      for (let i = 60; i < 63; i++) frames.push(detected('cam', i, [person(200, 200)], fps));
      const out = await lastValueFrom(from(frames).pipe(track(), toArray()));
      return out.at(-1)!.tracks.map((t) => t.trackId);
    };
    expect(await run(60)).toEqual([1]);
    expect(await run(30)).toEqual([2]);
  });
  it('measures the frame rate after a source reopened and its pts started again', async () => {
    // 60 fps; pts around 100 s for 5 frames, then the source reopens and pts restart at 0. Measured
    // across the restart the span is negative and the buffer would stay at its 30 fps default.
    const frames = [];
    for (let i = 0; i < 63; i++) {
      const boxes = i < 15 || i >= 60 ? [person(200, 200)] : [];
      const d = detected('cam', i, boxes, 60);
      frames.push({ ...d, frame: { ...d.frame, pts: i < 5 ? 100 + i / 60 : (i - 5) / 60 } });
    }
    const out = await lastValueFrom(from(frames).pipe(track(), toArray()));
    expect(out.at(-1)!.tracks.map((t) => t.trackId)).toEqual([1]);
  });
});
