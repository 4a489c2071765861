import { describe, expect, it } from 'vitest';
import { linearAssignment } from '../src/linear-assignment.js';

/** Deterministic PRNG so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every partial matching, scored as lap's extended matrix does: an unmatched row or column costs limit / 2. */
function bruteForce(cost: number[][], limit: number): number {
  const rows = cost.length;
  const cols = cost[0]!.length;
  let best = Number.POSITIVE_INFINITY;
  const used = new Array<boolean>(cols).fill(false);
  const walk = (r: number, acc: number, matched: number) => {
    if (r === rows) {
      best = Math.min(best, acc + (limit / 2) * (rows - matched + cols - matched));
      return;
    }
    walk(r + 1, acc, matched);
    for (let c = 0; c < cols; c++) {
      if (used[c] || cost[r]![c]! >= limit) continue;
      used[c] = true;
      walk(r + 1, acc + cost[r]![c]!, matched + 1);
      used[c] = false;
    }
  };
  walk(0, 0, 0);
  return best;
}

function score(cost: number[][], matches: ReadonlyArray<readonly [number, number]>, limit: number): number {
  const rows = cost.length;
  const cols = cost[0]!.length;
  const sum = matches.reduce((s, [r, c]) => s + cost[r]![c]!, 0);
  return sum + (limit / 2) * (rows - matches.length + cols - matches.length);
}

describe('linearAssignment', () => {
  it('finds the optimum of 300 random rectangular matrices, checked by brute force', () => {
    const random = rng(42);
    for (let k = 0; k < 300; k++) {
      const rows = 1 + Math.floor(random() * 6);
      const cols = 1 + Math.floor(random() * 6);
      const cost = Array.from({ length: rows }, () => Array.from({ length: cols }, () => random()));
      const limit = k % 3 === 0 ? 10 : 0.2 + random() * 0.8;
      const result = linearAssignment(cost, { costLimit: limit });
      expect(score(cost, result.matches, limit)).toBeCloseTo(bruteForce(cost, limit), 9);
      for (const [r, c] of result.matches) expect(cost[r]![c]!).toBeLessThan(limit);
      // Rows and columns are each used once, and the leftovers are exactly the rest.
      expect(new Set(result.matches.map(([r]) => r)).size).toBe(result.matches.length);
      expect(new Set(result.matches.map(([, c]) => c)).size).toBe(result.matches.length);
      expect(result.unmatchedRows.length + result.matches.length).toBe(rows);
      expect(result.unmatchedCols.length + result.matches.length).toBe(cols);
    }
  });

  it('beats greedy matching where greedy is wrong', () => {
    // Greedy takes (0,0)=1 then (1,1)=10: 11. Optimal is (0,1)+(1,0) = 2+2 = 4.
    const { matches } = linearAssignment([
      [1, 2],
      [2, 10],
    ]);
    expect(matches).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('without a limit, maximises the number of allowed pairs before their cost (py-motmetrics)', () => {
    // NaN forbids a pair; the cheap (0,0) would leave row 1 unmatched.
    const { matches } = linearAssignment([
      [0.1, 0.4],
      [0.2, Number.NaN],
    ]);
    expect(matches).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('handles empty matrices', () => {
    expect(linearAssignment([])).toEqual({ matches: [], unmatchedRows: [], unmatchedCols: [] });
    expect(linearAssignment([[], []])).toEqual({ matches: [], unmatchedRows: [0, 1], unmatchedCols: [] });
  });
});
