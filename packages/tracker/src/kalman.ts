/**
 * A constant-velocity Kalman filter over a small state whose first four entries are observed
 * directly (H = [I₄ 0]), which is what both SORT and ByteTrack use. Matrices are row-major.
 */
export interface KalmanState {
  readonly x: Float64Array;
  readonly P: Float64Array;
}

/** `velocityOf[i] = k` means state `i` moves by state `k` each step (F = I + Σ e_i e_kᵀ). */
export type Motion = ReadonlyArray<readonly [position: number, velocity: number]>;

export function kalmanInit(x: readonly number[], pDiagonal: readonly number[]): KalmanState {
  const n = x.length;
  const P = new Float64Array(n * n);
  for (let i = 0; i < n; i++) P[i * n + i] = pDiagonal[i]!;
  return { x: Float64Array.from(x), P };
}

/** x ← F x; P ← F P Fᵀ + diag(q). */
export function kalmanPredict(s: KalmanState, motion: Motion, qDiagonal: ArrayLike<number>): void {
  const { x, P } = s;
  const n = x.length;
  for (const [i, k] of motion) x[i] = x[i]! + x[k]!;
  // F P: row i += row k.
  for (const [i, k] of motion) for (let c = 0; c < n; c++) P[i * n + c] = P[i * n + c]! + P[k * n + c]!;
  // (F P) Fᵀ: column i += column k.
  for (const [i, k] of motion) for (let r = 0; r < n; r++) P[r * n + i] = P[r * n + i]! + P[r * n + k]!;
  for (let i = 0; i < n; i++) P[i * n + i] = P[i * n + i]! + qDiagonal[i]!;
}

/** Standard update with measurement `z` of the first four states and noise diag(r). */
export function kalmanUpdate(s: KalmanState, z: ArrayLike<number>, rDiagonal: ArrayLike<number>): void {
  const { x, P } = s;
  const n = x.length;
  const S = new Float64Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) S[i * 4 + j] = P[i * n + j]!;
  for (let i = 0; i < 4; i++) S[i * 4 + i] = S[i * 4 + i]! + rDiagonal[i]!;
  const Si = invert4(S);
  // K = P Hᵀ S⁻¹ (n×4); P Hᵀ is P's first four columns.
  const K = new Float64Array(n * 4);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < 4; c++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += P[r * n + k]! * Si[k * 4 + c]!;
      K[r * 4 + c] = sum;
    }
  }
  const y0 = z[0]! - x[0]!;
  const y1 = z[1]! - x[1]!;
  const y2 = z[2]! - x[2]!;
  const y3 = z[3]! - x[3]!;
  for (let r = 0; r < n; r++) {
    x[r] = x[r]! + K[r * 4]! * y0 + K[r * 4 + 1]! * y1 + K[r * 4 + 2]! * y2 + K[r * 4 + 3]! * y3;
  }
  // P ← P − K H P, with H P = P's first four rows.
  const HP = P.slice(0, 4 * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += K[r * 4 + k]! * HP[k * n + c]!;
      P[r * n + c] = P[r * n + c]! - sum;
    }
  }
  // Keep P exactly symmetric against rounding drift over long tracks.
  for (let r = 0; r < n; r++) {
    for (let c = r + 1; c < n; c++) {
      const m = (P[r * n + c]! + P[c * n + r]!) / 2;
      P[r * n + c] = m;
      P[c * n + r] = m;
    }
  }
}

/** Gauss-Jordan inverse of a 4×4 matrix with partial pivoting. */
function invert4(m: Float64Array): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(16);
  for (let i = 0; i < 4; i++) inv[i * 4 + i] = 1;
  for (let c = 0; c < 4; c++) {
    let pivot = c;
    for (let r = c + 1; r < 4; r++) if (Math.abs(a[r * 4 + c]!) > Math.abs(a[pivot * 4 + c]!)) pivot = r;
    if (pivot !== c) {
      for (let k = 0; k < 4; k++) {
        [a[c * 4 + k], a[pivot * 4 + k]] = [a[pivot * 4 + k]!, a[c * 4 + k]!];
        [inv[c * 4 + k], inv[pivot * 4 + k]] = [inv[pivot * 4 + k]!, inv[c * 4 + k]!];
      }
    }
    const d = a[c * 4 + c]!;
    for (let k = 0; k < 4; k++) {
      a[c * 4 + k] = a[c * 4 + k]! / d;
      inv[c * 4 + k] = inv[c * 4 + k]! / d;
    }
    for (let r = 0; r < 4; r++) {
      if (r === c) continue;
      const f = a[r * 4 + c]!;
      if (f === 0) continue;
      for (let k = 0; k < 4; k++) {
        a[r * 4 + k] = a[r * 4 + k]! - f * a[c * 4 + k]!;
        inv[r * 4 + k] = inv[r * 4 + k]! - f * inv[c * 4 + k]!;
      }
    }
  }
  return inv;
}
