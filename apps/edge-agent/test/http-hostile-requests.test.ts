import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { closedWithin, openSocket, rawExchange } from '../../../testing/raw-exchange.js';
import { type HttpLimits, type OpsServer, startOpsServer } from '../src/ops/http-server.js';
import { createLogger } from '../src/ops/logger.js';
import { opsRoutes } from '../src/ops/ops-routes.js';

/** The agent's answers, as the real agent gives them; `/api/cameras` throws like a bug would. */
const probe = {
  health: () => ({ ok: true }),
  ready: () => ({ ok: false, detail: { cameras: 'none running' } }),
  metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: '# TYPE up gauge\nup 1\n' }),
  cameras: () => {
    throw new Error('camera table broke');
  },
};

describe('the ops HTTP server against hostile requests (real sockets)', () => {
  let server: OpsServer | undefined;
  const sockets: Socket[] = [];
  const start = async (limits: Partial<HttpLimits> = {}) => {
    server = await startOpsServer(
      opsRoutes(probe),
      '127.0.0.1',
      0,
      createLogger({ stream: new PassThrough() }),
      limits,
    );
    return server.port;
  };
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await server?.close();
    server = undefined;
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
    '%s gets 405 with Allow: GET, HEAD',
    async (method) => {
      const port = await start();
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect(((await response.json()) as { error: string }).error).toMatch(/read-only, use GET or HEAD/);
    },
  );

  it('HEAD answers like GET without a body', async () => {
    const port = await start();
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('a declared 1 GB body gets 413 and a closed connection before it is read', async () => {
    const port = await start();
    const { reply, closed } = await rawExchange(
      port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\nAAAA',
    );
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply.toString()).toContain('take no request body');
    expect(closed).toBe(true);
  });

  it('a head over maxHeaderBytes gets 431 and is closed', async () => {
    const port = await start();
    const { reply, closed } = await rawExchange(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(9000)}\r\n\r\n`,
    );
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 431 /);
    expect(closed).toBe(true);
  });

  it('a client that never finishes its head is closed after headersTimeoutMs', async () => {
    const port = await start({ headersTimeoutMs: 1_000, requestTimeoutMs: 1_500 });
    const socket = (await openSocket(port)).resume();
    sockets.push(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    expect(await closedWithin(socket, 6_000)).toBe(true);
  });

  it('beyond maxConnections new connections are closed at accept; the held ones still get answers', async () => {
    const port = await start({ maxConnections: 4 });
    const held: Socket[] = [];
    for (let i = 0; i < 10; i++) held.push((await openSocket(port)).resume());
    sockets.push(...held);
    const closed = await Promise.all(held.map((s) => closedWithin(s, 1_000)));
    expect(closed.filter(Boolean)).toHaveLength(6);
    for (const socket of held.slice(4)) socket.destroy();
    const reply = await new Promise<string>((resolve) => {
      const first = held[0];
      first?.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      first?.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('a failing handler answers 500 with its message, never a stack trace', async () => {
    const port = await start();
    const response = await fetch(`http://127.0.0.1:${port}/api/cameras`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'camera table broke' });
    expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+|\.js:\d+/);
  });

  it('garbage instead of HTTP gets 400 and a closed connection', async () => {
    const port = await start();
    const { reply, closed } = await rawExchange(
      port,
      Buffer.from([0x00, 0xff, 0x24, 0x0d, 0x0a, 0x0d, 0x0a]),
    );
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply.toString()).not.toMatch(/\bat \S+ \(/);
    expect(closed).toBe(true);
  });
});
