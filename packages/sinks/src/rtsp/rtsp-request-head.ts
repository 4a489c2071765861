import type { RtspLimits } from './rtsp-limits.js';

/** One complete request taken off the front of a connection's buffer. */
export interface RtspRequest {
  readonly requestLine: string;
  /** Header names lower-cased; a repeated header keeps its last value. */
  readonly headers: Map<string, string>;
  /** Bytes of head, blank line and body, to drop from the buffer. */
  readonly consumed: number;
}

/** What the front of the buffer holds: a whole request, not enough yet, or bytes we refuse. */
export type RequestRead =
  | { readonly kind: 'request'; readonly request: RtspRequest }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'refused'; readonly reason: string; readonly cseq: string };

/**
 * Reads one RTSP request from the front of `buffer` within `limits`: the head (request line and
 * headers) must fit `maxRequestHeadBytes` and `maxHeaderCount`, `Content-Length` must be plain
 * digits up to `maxBodyBytes`. Refusals come before the bytes they would make us hold arrive.
 */
export function readRequest(
  buffer: Buffer,
  limits: Pick<RtspLimits, 'maxRequestHeadBytes' | 'maxHeaderCount' | 'maxBodyBytes'>,
): RequestRead {
  const headerEnd = buffer.indexOf('\r\n\r\n');
  if (headerEnd < 0 || headerEnd + 4 > limits.maxRequestHeadBytes) {
    if (headerEnd < 0 && buffer.length <= limits.maxRequestHeadBytes) return { kind: 'incomplete' };
    return {
      kind: 'refused',
      reason: `request line and headers must fit ${limits.maxRequestHeadBytes} bytes`,
      cseq: '0',
    };
  }
  const lines = buffer.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const requestLine = lines[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const cseq = cseqOf(headers);
  if (lines.length - 1 > limits.maxHeaderCount) {
    return { kind: 'refused', reason: `at most ${limits.maxHeaderCount} header lines`, cseq };
  }
  const bodyLength = parseContentLength(headers.get('content-length'), limits.maxBodyBytes);
  if (bodyLength === undefined) {
    // A length we cannot trust would desynchronise the stream (a NaN or negative one looped forever).
    return { kind: 'refused', reason: `Content-Length must be 0 to ${limits.maxBodyBytes}`, cseq };
  }
  const consumed = headerEnd + 4 + bodyLength;
  if (buffer.length < consumed) return { kind: 'incomplete' };
  return { kind: 'request', request: { requestLine, headers, consumed } };
}

/** The request's CSeq when it is a plain number (it is echoed back, so nothing else is). */
export function cseqOf(headers: Map<string, string>): string {
  const cseq = headers.get('cseq') ?? '0';
  return /^\d{1,10}$/.test(cseq) ? cseq : '0';
}

/** A `Content-Length` of plain decimal digits within `max`; anything else is refused. */
function parseContentLength(value: string | undefined, max: number): number | undefined {
  if (value === undefined) return 0;
  if (!/^\d{1,10}$/.test(value)) return undefined;
  const length = Number(value);
  return length <= max ? length : undefined;
}
