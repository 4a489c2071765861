import { connect } from 'node:net';

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'rtsp:': 554,
  'rtsps:': 322,
  'http:': 80,
  'https:': 443,
};

/**
 * Whether something accepts a TCP connection at the host and port of a network source URL,
 * within `timeoutMs`: a cheap check (one SYN, no FFmpeg) of whether a camera that refused us may be
 * back. Resolves false for URLs without a network host.
 */
export function tcpReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  let target: { host: string; port: number };
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
    if (!port || !parsed.hostname) return Promise.resolve(false);
    target = { host: parsed.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = connect(target);
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
