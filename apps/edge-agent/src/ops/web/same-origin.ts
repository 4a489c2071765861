import type { IncomingHttpHeaders } from 'node:http';

/**
 * Why a state-changing request is refused as possibly cross-site, or undefined when it is not:
 * its `Origin` (or, without one, its `Referer`) must name the `Host` it was sent to, and its body
 * must be `application/json`, which a cross-site form cannot send without a CORS preflight.
 */
export function crossSiteRefusal(headers: IncomingHttpHeaders): string | undefined {
  const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return 'send the body as Content-Type: application/json';
  const host = headers.host;
  const from = headers.origin ?? headers.referer;
  if (!host || !from) return 'a change needs an Origin or Referer header naming this server';
  let fromHost: string;
  try {
    fromHost = new URL(from).host;
  } catch {
    return `Origin/Referer "${from.slice(0, 100)}" is not a URL`;
  }
  return fromHost === host ? undefined : `cross-origin request from ${from.slice(0, 100)} refused`;
}
