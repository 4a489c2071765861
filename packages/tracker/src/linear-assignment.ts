/** The outcome of a rectangular assignment: matched `[row, col]` pairs and what was left over. */
export interface Assignment {
  readonly matches: ReadonlyArray<readonly [row: number, col: number]>;
  readonly unmatchedRows: readonly number[];
  readonly unmatchedCols: readonly number[];
}

export interface AssignmentOptions {
  /**
   * Pairs costing this much or more are never matched (lap's `lapjv(extend_cost=True, cost_limit)`,
   * as ByteTrack calls it). Without a limit every row or column that can be matched is.
   */
  readonly costLimit?: number;
}

/**
 * Exact minimum-cost assignment on a rectangular matrix (Hungarian method with potentials and
 * shortest augmenting paths, O(n²m)).
 *
 * Non-finite entries (`NaN`, `Infinity`) are forbidden pairs. Without `costLimit` the solver first
 * maximises the number of allowed pairs and then minimises their cost, as py-motmetrics does; with
 * `costLimit` it minimises `Σ cost − limit` over the pairs it keeps, so leaving a row and a column
 * unmatched costs `limit`.
 */
export function linearAssignment(
  cost: ReadonlyArray<ArrayLike<number>>,
  options: AssignmentOptions = {},
): Assignment {
  const rows = cost.length;
  const cols = rows > 0 ? cost[0]!.length : 0;
  if (rows === 0 || cols === 0) {
    return { matches: [], unmatchedRows: range(rows), unmatchedCols: range(cols) };
  }
  const limit = options.costLimit;
  let blocked: number;
  if (limit !== undefined) {
    blocked = limit;
  } else {
    // Bigger than any sum of allowed costs, so one more allowed pair always wins.
    let total = 0;
    for (const row of cost)
      for (let j = 0; j < cols; j++) if (Number.isFinite(row[j]!)) total += Math.abs(row[j]!);
    blocked = 2 * total + 1;
  }
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  const a = new Float64Array(n * m);
  for (let i = 0; i < rows; i++) {
    const row = cost[i]!;
    for (let j = 0; j < cols; j++) {
      const c = row[j]!;
      const v = Number.isFinite(c) ? (limit !== undefined && c > limit ? limit : c) : blocked;
      if (transpose) a[j * m + i] = v;
      else a[i * m + j] = v;
    }
  }
  const colToRow = hungarian(a, n, m);
  const matches: Array<readonly [number, number]> = [];
  const rowUsed = new Uint8Array(rows);
  const colUsed = new Uint8Array(cols);
  for (let j = 0; j < m; j++) {
    const i = colToRow[j]!;
    if (i < 0) continue;
    const r = transpose ? j : i;
    const c = transpose ? i : j;
    const v = cost[r]![c]!;
    if (!Number.isFinite(v) || (limit !== undefined && v >= limit)) continue;
    matches.push([r, c]);
    rowUsed[r] = 1;
    colUsed[c] = 1;
  }
  matches.sort((p, q) => p[0] - q[0]);
  return {
    matches,
    unmatchedRows: range(rows).filter((r) => rowUsed[r] === 0),
    unmatchedCols: range(cols).filter((c) => colUsed[c] === 0),
  };
}

/** Square-or-wide (`n <= m`) Hungarian; returns, for each column, its row or -1. */
function hungarian(a: Float64Array, n: number, m: number): Int32Array {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: 1-based row on column j, 0 = free
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      const base = (i0 - 1) * m;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a[base + j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Int32Array(m).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) out[j - 1] = p[j]! - 1;
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
