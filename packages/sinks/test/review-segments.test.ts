import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { FrigateObject } from '../src/mqtt/frigate-object.js';
import { type ReviewSegment, ReviewSegments } from '../src/mqtt/review-segments.js';

interface ReviewMessage {
  readonly type: 'new' | 'update' | 'end';
  readonly before: ReviewSegment;
  readonly after: ReviewSegment;
}

/** The review maintainer's view of an object: its id, label and current zones. */
const object = (id: string, label: string, zones: string[] = []) =>
  ({ id, label, current_zones: zones }) as Pick<
    FrigateObject,
    'id' | 'label' | 'current_zones'
  > as FrigateObject;

function run(
  script: (segments: ReviewSegments, scheduler: TestScheduler) => void,
): Array<ReviewMessage & { at: number }> {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const sent: Array<ReviewMessage & { at: number }> = [];
  scheduler.run(() => {
    const segments = new ReviewSegments(
      'yard',
      (payload) => sent.push({ ...(JSON.parse(payload) as ReviewMessage), at: scheduler.now() }),
      scheduler,
    );
    script(segments, scheduler);
  });
  return sent;
}

describe('review segments (virtual time)', () => {
  it('opens an alert with a person, adds a car and a zone, and ends 120 s after the last activity', () => {
    const sent = run((segments, scheduler) => {
      // Active from 0 s to 10 s, one observation a second; a car joins at 5 s, in the drive.
      for (let s = 0; s <= 10; s++)
        scheduler.schedule(() => {
          const active = [object('p1', 'person')];
          if (s >= 5) active.push(object('c1', 'car', ['drive']));
          segments.observe(active);
        }, s * 1000);
    });
    expect(sent.map((m) => [m.type, m.at])).toEqual([
      ['new', 0],
      ['update', 5000],
      ['end', 130_000],
    ]);
    const [start, , end] = sent as unknown as [ReviewMessage, ReviewMessage, ReviewMessage];
    expect(start.before).toEqual(start.after);
    expect(start.after).toMatchObject({
      camera: 'yard',
      start_time: 0,
      end_time: null,
      severity: 'alert',
      data: { detections: ['p1'], objects: ['person'], sub_labels: [], zones: [], audio: [] },
    });
    expect(end.after).toMatchObject({
      id: start.after.id,
      end_time: 10,
      data: { detections: ['p1', 'c1'], objects: ['person', 'car'], zones: ['drive'] },
    });
    expect(end.before.end_time).toBeNull();
  });

  it('makes a dog a detection that ends after 30 quiet seconds, and a person joining turns it into an alert', () => {
    const dogOnly = run((segments, scheduler) => {
      scheduler.schedule(() => segments.observe([object('d1', 'dog')]), 0);
    });
    expect(dogOnly.map((m) => [m.type, m.at, m.after.severity])).toEqual([
      ['new', 0, 'detection'],
      ['end', 30_000, 'detection'],
    ]);
    const joined = run((segments, scheduler) => {
      scheduler.schedule(() => segments.observe([object('d1', 'dog')]), 0);
      scheduler.schedule(() => segments.observe([object('d1', 'dog'), object('p1', 'person')]), 20_000);
    });
    expect(joined.map((m) => [m.type, m.at, m.after.severity])).toEqual([
      ['new', 0, 'detection'],
      ['update', 20_000, 'alert'],
      ['end', 140_000, 'alert'],
    ]);
  });

  it('starts a new segment after one ended, and close() ends the open one at its last activity', () => {
    const sent = run((segments, scheduler) => {
      scheduler.schedule(() => segments.observe([object('d1', 'dog')]), 0);
      scheduler.schedule(() => segments.observe([object('d2', 'dog')]), 60_000);
      scheduler.schedule(() => segments.close(), 70_000);
    });
    expect(sent.map((m) => [m.type, m.at, m.after.end_time])).toEqual([
      ['new', 0, null],
      ['end', 30_000, 0],
      ['new', 60_000, null],
      ['end', 70_000, 60],
    ]);
    expect(sent[0]!.after.id).not.toBe(sent[2]!.after.id);
  });
});
