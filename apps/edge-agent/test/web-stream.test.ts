import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplySink } from '../src/ops/http-routes.js';
import { type OpsServer, startOpsServer } from '../src/ops/http-server.js';
import { createLogger } from '../src/ops/logger.js';
import { authGuard } from '../src/ops/web/auth-guard.js';

describe('the ops server’s streaming replies and guard (real sockets)', () => {
  let server: OpsServer;
  const sinks = new Set<ReplySink>();
  beforeAll(async () => {
    server = await startOpsServer(
      [
        {
          pattern: '/stream',
          handle: () => ({
            status: 200,
            contentType: 'text/plain',
            stream: (sink) => {
              sinks.add(sink);
              sink.write('first\n');
              sink.onClose(() => sinks.delete(sink));
            },
          }),
        },
      ],
      '127.0.0.1',
      0,
      createLogger({ stream: new PassThrough() }),
      {},
      authGuard({ token: 'tok' }),
    );
  });
  afterAll(() => server.close());

  const open = (method: string, token = 'tok') =>
    new Promise<{ status: number; body: AsyncIterable<Buffer>; destroy(): void }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/stream',
          method,
          headers: { authorization: `Bearer ${token}` },
        },
        (res) => resolve({ status: res.statusCode ?? 0, body: res, destroy: () => res.destroy() }),
      );
      req.on('error', reject);
      req.end();
    });

  it('writes a stream until the client leaves, then tells the route', async () => {
    const client = await open('GET');
    expect(client.status).toBe(200);
    const chunks = client.body[Symbol.asyncIterator]();
    expect(String((await chunks.next()).value)).toBe('first\n');
    for (const sink of sinks) sink.write('second\n');
    expect(String((await chunks.next()).value)).toBe('second\n');
    expect(sinks.size).toBe(1);
    client.destroy();
    await new Promise<void>((resolve) => {
      const check = () => (sinks.size === 0 ? resolve() : setImmediate(check));
      check();
    });
  });

  it('answers a HEAD with the head only, and a wrong token with the login challenge', async () => {
    const head = await open('HEAD');
    expect(head.status).toBe(200);
    for await (const chunk of head.body) expect(chunk).toBeUndefined();
    expect(sinks.size).toBe(0);
    expect((await open('GET', 'nope')).status).toBe(401);
  });
});
