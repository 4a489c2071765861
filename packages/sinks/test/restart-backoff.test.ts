import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { RestartBackoff } from '../src/rtsp/restart-backoff.js';

describe('RestartBackoff (when a dead encoder may start again), on a virtual clock', () => {
  const noJitter = { initialDelayMs: 1000, factor: 2, maxDelayMs: 5000, jitter: 0 };

  it('doubles the wait over consecutive failures up to the cap, and starts over once a restart works', () => {
    const clock = new TestScheduler(() => {});
    clock.maxFrames = Number.POSITIVE_INFINITY; // waits run to seconds; TestScheduler stops at 750 frames by default
    const gate = new RestartBackoff(noJitter);
    expect(gate.mayStart(clock.now())).toBe(true);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const delay = gate.failed(clock.now());
      waits.push(delay);
      clock.schedule(() => {}, delay - 1);
      clock.flush();
      expect(gate.mayStart(clock.now())).toBe(false);
      clock.schedule(() => {}, 1);
      clock.flush();
      expect(gate.mayStart(clock.now())).toBe(true);
    }
    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000]);
    gate.succeeded();
    expect(gate.failed(clock.now())).toBe(1000);
  });

  it('spreads the waits by the jitter so cameras behind one fault do not restart in lockstep', () => {
    const low = new RestartBackoff({ ...noJitter, jitter: 0.2 }, () => 0);
    const high = new RestartBackoff({ ...noJitter, jitter: 0.2 }, () => 0.999);
    expect(low.failed(0)).toBe(800);
    expect(high.failed(0)).toBe(1200);
  });
});
