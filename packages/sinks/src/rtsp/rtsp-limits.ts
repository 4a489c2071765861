/**
 * What one RTSP server grants the network: every byte a player sends or makes us hold is bounded.
 * The defaults sit far above what a LAN with a few players (ffplay, VLC, Frigate, go2rtc) uses.
 */
export interface RtspLimits {
  /** Connections open at once; one more gets `503 Service Unavailable` and is closed. Default 64. */
  readonly maxConnections: number;
  /** Sessions (SETUPs) one connection may hold; one more gets `453 Not Enough Bandwidth`. Default 4. */
  readonly maxSessionsPerConnection: number;
  /** UDP sockets one connection may make the server open; one more SETUP gets `453`. Default 4. */
  readonly maxUdpSocketsPerConnection: number;
  /** Bytes of one request line plus headers; a longer head gets `400` and the connection is closed. Default 8 KiB. */
  readonly maxRequestHeadBytes: number;
  /** Header lines in one request; more get `400` and close. Default 64. */
  readonly maxHeaderCount: number;
  /** Largest `Content-Length` accepted; a larger one gets `400` and close, before any of it is read. Default 64 KiB. */
  readonly maxBodyBytes: number;
  /** A connection that sends no complete request within this is closed. Default 10 s. */
  readonly handshakeTimeoutMs: number;
  /**
   * A connection that sends nothing (request, GET_PARAMETER/OPTIONS keepalive, interleaved RTCP) for
   * this long is closed, unless it plays over TCP (its reading proves it is there). Advertised to
   * players as `Session: <id>;timeout=<s>`, so they send keepalives in time. Default 60 s.
   */
  readonly idleTimeoutMs: number;
  /** Bytes queued for a TCP-interleaved player above which it skips to the next keyframe. Default 4 MiB. */
  readonly playerBacklogSkipBytes: number;
  /** Bytes queued for one connection above which it is closed at once. Default 16 MiB. */
  readonly playerBacklogLimitBytes: number;
  /** A TCP player whose queue stays above `playerBacklogSkipBytes` this long is closed. Default 10 s. */
  readonly slowPlayerTimeoutMs: number;
}

/** The limits a server gets for each option left out. */
export const DEFAULT_RTSP_LIMITS: RtspLimits = {
  maxConnections: 64,
  maxSessionsPerConnection: 4,
  maxUdpSocketsPerConnection: 4,
  maxRequestHeadBytes: 8 * 1024,
  maxHeaderCount: 64,
  maxBodyBytes: 64 * 1024,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  playerBacklogSkipBytes: 4 * 1024 * 1024,
  playerBacklogLimitBytes: 16 * 1024 * 1024,
  slowPlayerTimeoutMs: 10_000,
};

/** `overrides` over the defaults; throws naming the option when a value is not a positive integer. */
export function resolveRtspLimits(overrides: Partial<RtspLimits> = {}): RtspLimits {
  const limits: RtspLimits = { ...DEFAULT_RTSP_LIMITS };
  for (const key of Object.keys(DEFAULT_RTSP_LIMITS) as Array<keyof RtspLimits>) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(
        `rtsp: ${key} must be a positive integer, got ${String(value)}; leave it out for ${DEFAULT_RTSP_LIMITS[key]}`,
      );
    }
    (limits as Record<keyof RtspLimits, number>)[key] = value;
  }
  if (limits.playerBacklogLimitBytes < limits.playerBacklogSkipBytes) {
    throw new Error(
      `rtsp: playerBacklogLimitBytes (${limits.playerBacklogLimitBytes}) must be at least playerBacklogSkipBytes (${limits.playerBacklogSkipBytes})`,
    );
  }
  return limits;
}
