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

// Scratch space for the update (states are at most 8 long); the tracker runs on one thread.
const S = new Float64Array(16);
const SI = new Float64Array(16);
const K = new Float64Array(8 * 4);
const HP = new Float64Array(4 * 8);

/** Standard update with measurement `z` of the first four states and noise diag(r). */
export function kalmanUpdate(s: KalmanState, z: ArrayLike<number>, rDiagonal: ArrayLike<number>): void {
  const { x, P } = s;
  const n = x.length;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) S[i * 4 + j] = P[i * n + j]!;
  for (let i = 0; i < 4; i++) S[i * 4 + i] = S[i * 4 + i]! + rDiagonal[i]!;
  invert4(S, SI);
  // K = P Hᵀ S⁻¹ (n×4); P Hᵀ is P's first four columns.
  for (let r = 0; r < n; r++) {
    const p0 = P[r * n]!;
    const p1 = P[r * n + 1]!;
    const p2 = P[r * n + 2]!;
    const p3 = P[r * n + 3]!;
    for (let c = 0; c < 4; c++) {
      K[r * 4 + c] = p0 * SI[c]! + p1 * SI[4 + c]! + p2 * SI[8 + c]! + p3 * SI[12 + c]!;
    }
  }
  const y0 = z[0]! - x[0]!;
  const y1 = z[1]! - x[1]!;
  const y2 = z[2]! - x[2]!;
  const y3 = z[3]! - x[3]!;
  for (let r = 0; r < n; r++) {
    x[r] = x[r]! + K[r * 4]! * y0 + K[r * 4 + 1]! * y1 + K[r * 4 + 2]! * y2 + K[r * 4 + 3]! * y3;
  }
  // P ← P − K H P, with H P = P's first four rows; the result is symmetric, so fill both halves.
  for (let i = 0; i < 4 * n; i++) HP[i] = P[i]!;
  for (let r = 0; r < n; r++) {
    const k0 = K[r * 4]!;
    const k1 = K[r * 4 + 1]!;
    const k2 = K[r * 4 + 2]!;
    const k3 = K[r * 4 + 3]!;
    for (let c = r; c < n; c++) {
      const v = P[r * n + c]! - (k0 * HP[c]! + k1 * HP[n + c]! + k2 * HP[2 * n + c]! + k3 * HP[3 * n + c]!);
      P[r * n + c] = v;
      P[c * n + r] = v;
    }
  }
}

/** Inverse of a 4×4 matrix by cofactors (S is symmetric positive definite, so never singular). */
function invert4(m: Float64Array, out: Float64Array): void {
  const a00 = m[0]!,
    a01 = m[1]!,
    a02 = m[2]!,
    a03 = m[3]!;
  const a10 = m[4]!,
    a11 = m[5]!,
    a12 = m[6]!,
    a13 = m[7]!;
  const a20 = m[8]!,
    a21 = m[9]!,
    a22 = m[10]!,
    a23 = m[11]!;
  const a30 = m[12]!,
    a31 = m[13]!,
    a32 = m[14]!,
    a33 = m[15]!;
  const b00 = a00 * a11 - a01 * a10;
  const b01 = a00 * a12 - a02 * a10;
  const b02 = a00 * a13 - a03 * a10;
  const b03 = a01 * a12 - a02 * a11;
  const b04 = a01 * a13 - a03 * a11;
  const b05 = a02 * a13 - a03 * a12;
  const b06 = a20 * a31 - a21 * a30;
  const b07 = a20 * a32 - a22 * a30;
  const b08 = a20 * a33 - a23 * a30;
  const b09 = a21 * a32 - a22 * a31;
  const b10 = a21 * a33 - a23 * a31;
  const b11 = a22 * a33 - a23 * a32;
  const inv = 1 / (b00 * b11 - b01 * b10 + b02 * b09 + b03 * b08 - b04 * b07 + b05 * b06);
  out[0] = (a11 * b11 - a12 * b10 + a13 * b09) * inv;
  out[1] = (a02 * b10 - a01 * b11 - a03 * b09) * inv;
  out[2] = (a31 * b05 - a32 * b04 + a33 * b03) * inv;
  out[3] = (a22 * b04 - a21 * b05 - a23 * b03) * inv;
  out[4] = (a12 * b08 - a10 * b11 - a13 * b07) * inv;
  out[5] = (a00 * b11 - a02 * b08 + a03 * b07) * inv;
  out[6] = (a32 * b02 - a30 * b05 - a33 * b01) * inv;
  out[7] = (a20 * b05 - a22 * b02 + a23 * b01) * inv;
  out[8] = (a10 * b10 - a11 * b08 + a13 * b06) * inv;
  out[9] = (a01 * b08 - a00 * b10 - a03 * b06) * inv;
  out[10] = (a30 * b04 - a31 * b02 + a33 * b00) * inv;
  out[11] = (a21 * b02 - a20 * b04 - a23 * b00) * inv;
  out[12] = (a11 * b07 - a10 * b09 - a12 * b06) * inv;
  out[13] = (a00 * b09 - a01 * b07 + a02 * b06) * inv;
  out[14] = (a31 * b01 - a30 * b03 - a32 * b00) * inv;
  out[15] = (a20 * b03 - a21 * b01 + a22 * b00) * inv;
}
