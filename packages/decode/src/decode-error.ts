/** Why a source failed, so callers (and the status observable) can act on it. */
export type DecodeErrorKind =
  | 'not-found'
  | 'unauthorized'
  | 'unreachable'
  | 'no-video'
  | 'corrupt'
  | 'stalled'
  | 'ended'
  | 'ffmpeg';

/** A decode failure on one camera, with the (redacted) tail of FFmpeg's stderr. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly kind: DecodeErrorKind,
    readonly streamId: string,
    message: string,
    readonly stderrTail = '',
  ) {
    super(stderrTail ? `${message}\nffmpeg said:\n${stderrTail}` : message);
  }
}
