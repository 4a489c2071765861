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
  const limit = options.costLimit;
  // Split into independent groups (rows and columns joined by usable pairs) and solve each
  // alone: exact, and tracking scenes are sparse, so the cubic solver only sees small blocks.
  const parent = Int32Array.from({ length: rows + cols }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  let usable = 0;
  for (let i = 0; i < rows; i++) {
    const row = cost[i]!;
    for (let j = 0; j < cols; j++) {
      const c = row[j]!;
      if (!Number.isFinite(c) || (limit !== undefined && c >= limit)) continue;
      usable++;
      const a = find(i);
      const b = find(rows + j);
      if (a !== b) parent[a] = b;
    }
  }
  const matches: Array<readonly [number, number]> = [];
  if (usable > 0) {
    const groups = new Map<number, { rows: number[]; cols: number[] }>();
    const groupOf = (i: number) => {
      const root = find(i);
      let g = groups.get(root);
      if (!g) {
        g = { rows: [], cols: [] };
        groups.set(root, g);
      }
      return g;
    };
    for (let i = 0; i < rows; i++) groupOf(i).rows.push(i);
    for (let j = 0; j < cols; j++) groupOf(rows + j).cols.push(j);
    for (const g of groups.values()) {
      if (g.rows.length === 0 || g.cols.length === 0) continue;
      solveBlock(cost, g.rows, g.cols, limit, matches);
    }
  }
  matches.sort((p, q) => p[0] - q[0]);
  const rowUsed = new Uint8Array(rows);
  const colUsed = new Uint8Array(cols);
  for (const [r, c] of matches) {
    rowUsed[r] = 1;
    colUsed[c] = 1;
  }
  const unmatchedRows: number[] = [];
  const unmatchedCols: number[] = [];
  for (let i = 0; i < rows; i++) if (!rowUsed[i]) unmatchedRows.push(i);
  for (let j = 0; j < cols; j++) if (!colUsed[j]) unmatchedCols.push(j);
  return { matches, unmatchedRows, unmatchedCols };
}

function solveBlock(
  cost: ReadonlyArray<ArrayLike<number>>,
  rowIds: readonly number[],
  colIds: readonly number[],
  limit: number | undefined,
  out: Array<readonly [number, number]>,
): void {
  if (rowIds.length === 1 && colIds.length === 1) {
    out.push([rowIds[0]!, colIds[0]!]);
    return;
  }
  let blocked: number;
  if (limit !== undefined) {
    blocked = limit;
  } else {
    // Bigger than any sum of allowed costs, so one more allowed pair always wins.
    let total = 0;
    for (const i of rowIds)
      for (const j of colIds) if (Number.isFinite(cost[i]![j]!)) total += Math.abs(cost[i]![j]!);
    blocked = 2 * total + 1;
  }
  const transpose = rowIds.length > colIds.length;
  const n = transpose ? colIds.length : rowIds.length;
  const m = transpose ? rowIds.length : colIds.length;
  const a = new Float64Array(n * m);
  for (let r = 0; r < rowIds.length; r++) {
    const row = cost[rowIds[r]!]!;
    for (let c = 0; c < colIds.length; c++) {
      const v = row[colIds[c]!]!;
      const capped = Number.isFinite(v) ? (limit !== undefined && v > limit ? limit : v) : blocked;
      a[transpose ? c * m + r : r * m + c] = capped;
    }
  }
  const colToRow = hungarian(a, n, m);
  for (let j = 0; j < m; j++) {
    const i = colToRow[j]!;
    if (i < 0) continue;
    const r = rowIds[transpose ? j : i]!;
    const c = colIds[transpose ? i : j]!;
    const v = cost[r]![c]!;
    if (!Number.isFinite(v) || (limit !== undefined && v >= limit)) continue;
    out.push([r, c]);
  }
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
