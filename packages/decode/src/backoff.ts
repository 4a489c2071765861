/**
 * Exponential backoff with jitter, capped: the one vocabulary for every retry in rxvision
 * (camera reconnects, MQTT reconnects, pipeline and encoder restarts).
 */
export interface BackoffOptions {
  /** First delay in ms. Default 500 (each caller may choose its own). */
  readonly initialDelayMs?: number;
  /** Cap in ms. Default 30 000. */
  readonly maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  readonly factor?: number;
  /** ± fraction of random spread, so a fleet behind one switch or broker doesn't retry in lockstep. Default 0.2. */
  readonly jitter?: number;
  /** Give up after this many consecutive failures. Default: forever. */
  readonly maxRetries?: number;
}

/**
 * The delay before retry `attempt` (1-based): `initialDelayMs · factor^(attempt-1)`, capped at
 * `maxDelayMs`, spread by ±`jitter` with `random()` in [0, 1).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const { initialDelayMs = 500, maxDelayMs = 30_000, factor = 2, jitter = 0.2 } = options;
  const base = Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
}
