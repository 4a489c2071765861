/** Scores kept for the computed score, as Frigate keeps them. */
export const SCORE_HISTORY_LENGTH = 10;

/**
 * A track's recent detection scores and Frigate's computed score: the median of the last 10,
 * where a frame without a matching detection counts 0 (so a coasting track's score falls).
 */
export class ScoreHistory {
  private readonly scores: number[] = [];
  /** Highest computed score so far (Frigate's `top_score`). */
  top = 0;
  /** Median of the recent scores (Frigate's `computed_score`). */
  computed = 0;

  /** Records one frame: the matched detection's score, or 0 when the track went unmatched. */
  observe(score: number): void {
    this.scores.push(score);
    if (this.scores.length > SCORE_HISTORY_LENGTH) this.scores.shift();
    this.computed = median(this.scores);
    if (this.computed > this.top) this.top = this.computed;
  }
}

/** Median as Python's `statistics.median`: the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
