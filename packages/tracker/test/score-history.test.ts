import { describe, expect, it } from 'vitest';
import { CameraTracker } from '../src/camera-tracker.js';
import { median, ScoreHistory } from '../src/score-history.js';
import type { Track } from '../src/tracked-frame.js';
import { person } from './helpers.js';

describe("Frigate's computed score", () => {
  it('is the median of the last 10 scores, the mean of the middle two for an even count', () => {
    expect(median([0.9])).toBe(0.9);
    expect(median([0.5, 0.9])).toBeCloseTo(0.7);
    expect(median([0.9, 0.1, 0.5])).toBe(0.5);
    const history = new ScoreHistory();
    for (const s of [0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.95]) history.observe(s);
    // The first 0.6 fell out of the window: nine 0.6 and one 0.95 are left.
    expect(history.computed).toBe(0.6);
    expect(history.top).toBe(0.6);
  });

  it('makes top_score the best median, not the best raw score: one lucky frame does not raise it', () => {
    const tracker = new CameraTracker({ tracker: 'sort' });
    const scores = [0.5, 0.5, 0.5, 0.99, 0.5, 0.5, 0.5, 0.5];
    let last: Track | undefined;
    for (const [i, s] of scores.entries()) last = tracker.update([person(100 + 2 * i, 200, s)]).tracks[0];
    expect(last?.score).toBe(0.5);
    expect(last?.computedScore).toBe(0.5);
    expect(last?.topScore).toBe(0.5);
  });

  it('counts a frame without a matching detection as 0, so a coasting track scores lower', () => {
    const history = new ScoreHistory();
    for (const s of [0.8, 0.8, 0, 0, 0]) history.observe(s);
    expect(history.computed).toBe(0);
    expect(history.top).toBe(0.8);
  });
});

describe('motion counters', () => {
  it('counts motionless frames, and position changes as Frigate does: the first move, then moves out of a stationary stay', () => {
    const tracker = new CameraTracker({ tracker: 'sort', stationary: { threshold: 5 } });
    let last: Track | undefined;
    // Still for 10 frames (stationary), then three moves of 15 px (more than 0.1 of the 100 px box height).
    for (let i = 0; i < 10; i++) last = tracker.update([person(300, 200)]).tracks[0];
    expect(last?.motionlessCount).toBeGreaterThanOrEqual(8);
    expect(last?.positionChanges).toBe(0);
    for (const x of [315, 330, 345]) last = tracker.update([person(x, 200)]).tracks[0];
    expect(last?.motionlessCount).toBe(0);
    // The first move counts; the next two are a walk, not a new stay left.
    expect(last?.positionChanges).toBe(1);
    for (let i = 0; i < 8; i++) last = tracker.update([person(345, 200)]).tracks[0];
    last = tracker.update([person(365, 200)]).tracks[0];
    expect(last?.positionChanges).toBe(2);
  });
});
