/** Liveness of a camera, as Frigate and DeepStream users read it. */
export type SourceState = 'connecting' | 'online' | 'stalled' | 'offline';

export interface SourceStatus {
  readonly streamId: string;
  readonly state: SourceState;
  /** ms since the epoch. */
  readonly at: number;
  /** Why the source left `online` (redacted: never contains a password). */
  readonly reason?: string;
}
