import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { tcpReachable } from '../src/tcp-reachable.js';

describe('tcpReachable (the reconnect probe)', () => {
  it('answers true while a server listens on the URL port and false once it is gone', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(await tcpReachable(`rtsp://user:secret@127.0.0.1:${port}/cam`)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await tcpReachable(`rtsp://127.0.0.1:${port}/cam`)).toBe(false);
  });

  it('answers false, without throwing, for URLs without a network host', async () => {
    expect(await tcpReachable('/videos/clip.mp4')).toBe(false);
    expect(await tcpReachable('lavfi:testsrc2')).toBe(false);
    expect(await tcpReachable('not a url')).toBe(false);
  });
});
