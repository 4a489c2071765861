import { describe, expect, it } from 'vitest';
import { kalmanInit, kalmanPredict, kalmanUpdate } from '../src/kalman.js';

describe('Kalman filter', () => {
  it("matches ByteTrack's (DeepSORT's) numpy filter on a short track", () => {
    // Reference: numpy re-implementation of ByteTrack's kalman_filter.py fed the same four boxes.
    const wp = 1 / 20;
    const wv = 1 / 160;
    const boxes = [
      [100, 100, 0.5, 200],
      [104, 101, 0.52, 204],
      [109, 99, 0.5, 199],
      [113, 103, 0.49, 210],
    ];
    const h0 = boxes[0]![3]!;
    const p = 2 * wp * h0;
    const v = 10 * wv * h0;
    const s = kalmanInit([...boxes[0]!, 0, 0, 0, 0], [p * p, p * p, 1e-4, p * p, v * v, v * v, 1e-10, v * v]);
    for (const z of boxes.slice(1)) {
      const a = wp * s.x[3]!;
      const b = wv * s.x[3]!;
      kalmanPredict(
        s,
        [
          [0, 4],
          [1, 5],
          [2, 6],
          [3, 7],
        ],
        [a * a, a * a, 1e-4, a * a, b * b, b * b, 1e-10, b * b],
      );
      const c = wp * s.x[3]!;
      kalmanUpdate(s, z, [c * c, c * c, 1e-2, c * c]);
    }
    const expected = [
      112.361205, 102.074175, 0.499993564, 207.522618, 3.04845323, 0.610817663, -4.0436257e-10, 1.98827001,
    ];
    for (let i = 0; i < 8; i++) expect(s.x[i]!).toBeCloseTo(expected[i]!, 5);
    // The covariance stays symmetric.
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) expect(s.P[r * 8 + c]).toBe(s.P[c * 8 + r]);
  });
});
