import { connect, type Socket } from 'node:net';

/** What a server sent back on one raw connection. */
export interface RawReply {
  readonly reply: Buffer;
  /** The server closed (or reset) the connection, rather than going quiet. */
  readonly closed: boolean;
}

/**
 * Sends `request` on a fresh TCP connection and collects everything the server sends until it
 * closes, goes quiet for `quietMs`, or `maxMs` pass. Connection errors (a reset) count as closed.
 */
export function rawExchange(
  port: number,
  request: Buffer | string,
  { quietMs = 1000, maxMs = 10_000, host = '127.0.0.1' } = {},
): Promise<RawReply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let quiet: NodeJS.Timeout | undefined;
    let done = false;
    const socket: Socket = connect(port, host, () => socket.write(request));
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(quiet);
      clearTimeout(cap);
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks), closed });
    };
    const rearm = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(false), quietMs);
    };
    const cap = setTimeout(() => finish(false), maxMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      rearm();
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    rearm();
  });
}

/** Opens a TCP connection and resolves once it is established. */
export function openSocket(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves when `socket` closes, or with false after `ms`; a paused socket never sees the server's FIN, so keep it flowing. */
export function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed || socket.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
