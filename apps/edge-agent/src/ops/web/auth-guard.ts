import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpGuard } from '../http-server.js';
import { verifyPassword } from './password-hash.js';

/** `http.auth` as the agent uses it: a user with a scrypt password hash, a bearer token, or both. */
export interface HttpAuth {
  readonly user?: string;
  readonly passwordHash?: string;
  readonly token?: string;
}

/** Paths answered without a login: a container's or a load balancer's health check. */
const OPEN_PATHS = new Set(['/healthz']);
/** Accepted `authorization` headers remembered, so a browser's every request does not cost a scrypt. */
const REMEMBERED = 32;

const UNAUTHORIZED = {
  status: 401,
  json: {
    success: false,
    message: 'log in: HTTP Basic with http.auth.user and its password, or Bearer http.auth.token',
  },
  headers: { 'www-authenticate': 'Basic realm="rxvision", charset="UTF-8"' },
} as const;

/**
 * Requires HTTP Basic (`user` + the password of `passwordHash`) or `Authorization: Bearer <token>`
 * on every path but `/healthz`. Basic is what every browser asks for by itself and what Home
 * Assistant's MJPEG camera sends, over the same port.
 */
export function authGuard(auth: HttpAuth): HttpGuard {
  const accepted = new Set<string>();
  const token = auth.token ? digest(`Bearer ${auth.token}`) : undefined;
  const allowed = (header: string): boolean => {
    const key = digest(header).toString('hex');
    if (accepted.has(key)) return true;
    if (!checks(header)) return false;
    if (accepted.size >= REMEMBERED) accepted.clear();
    accepted.add(key);
    return true;
  };
  const checks = (header: string): boolean => {
    if (token && /^Bearer /i.test(header)) return timingSafeEqual(digest(`Bearer ${header.slice(7)}`), token);
    if (!auth.user || !auth.passwordHash || !/^Basic /i.test(header)) return false;
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const userMatches = timingSafeEqual(digest(decoded.slice(0, colon)), digest(auth.user));
    return verifyPassword(decoded.slice(colon + 1), auth.passwordHash) && userMatches;
  };
  return ({ path, headers }) => {
    if (OPEN_PATHS.has(path)) return undefined;
    const header = headers.authorization;
    return header && allowed(header) ? undefined : UNAUTHORIZED;
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
