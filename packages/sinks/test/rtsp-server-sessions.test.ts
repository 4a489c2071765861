import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRtspServer, type RtspServer } from '../src/index.js';

/** A bare RTSP player on a real TCP connection: sends one request, resolves with the response head. */
class RtspClient {
  #buffer = '';
  #cseq = 0;
  #waiting?: (head: string) => void;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0 || !this.#waiting) return;
      const head = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 4);
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting(head);
    });
  }

  static open(port: number): Promise<RtspClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RtspClient(socket)));
      socket.once('error', reject);
    });
  }

  request(method: string, url: string, headers: Record<string, string> = {}): Promise<string> {
    this.#cseq += 1;
    const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${this.#cseq}`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}

const sessionOf = (head: string): string => {
  const id = /^Session: ([^;\r\n]+)/im.exec(head)?.[1];
  if (!id) throw new Error(`no Session header in response:\n${head}`);
  return id;
};

/** Gives asynchronous socket closes time to land (at most 10 s), then lets the assertions judge. */
const settle = async (check: () => boolean): Promise<void> => {
  for (let waited = 0; !check() && waited < 10_000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('RTSP server sessions', () => {
  let server: RtspServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a repeated UDP SETUP of one session ends the old one: no extra client, no leaked socket', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    const stream = server.mount('/door-annotated');
    const url = server.url('/door-annotated/trackID=0');
    const client = await RtspClient.open(server.port);
    const transport = 'RTP/AVP;unicast;client_port=40000-40001';

    const first = await client.request('SETUP', url, { Transport: transport });
    expect(first).toMatch(/^RTSP\/1\.0 200 OK/);
    const session = sessionOf(first);
    expect(await client.request('PLAY', url, { Session: session })).toMatch(/^RTSP\/1\.0 200 OK/);
    expect(stream.clientCount).toBe(1);

    for (let i = 0; i < 5; i++) {
      const again = await client.request('SETUP', url, { Transport: transport, Session: session });
      expect(sessionOf(again)).toBe(session);
      await client.request('PLAY', url, { Session: session });
    }
    await settle(() => server?.udpSocketCount === 1);
    expect(stream.clientCount).toBe(1);
    expect(server.udpSocketCount).toBe(1);

    await client.close();
    await settle(() => server?.udpSocketCount === 0);
    expect(stream.clientCount).toBe(0);
  });

  it('a repeated TCP-interleaved SETUP of one session leaves one stream client', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    const stream = server.mount('/yard-annotated');
    const url = server.url('/yard-annotated/trackID=0');
    const client = await RtspClient.open(server.port);
    const transport = 'RTP/AVP/TCP;unicast;interleaved=0-1';

    const session = sessionOf(await client.request('SETUP', url, { Transport: transport }));
    for (let i = 0; i < 5; i++) {
      await client.request('PLAY', url, { Session: session });
      await client.request('SETUP', url, { Transport: transport, Session: session });
    }
    await client.request('PLAY', url, { Session: session });
    expect(stream.clientCount).toBe(1);

    await client.request('TEARDOWN', url, { Session: session });
    expect(stream.clientCount).toBe(0);
    await client.close();
  });
});
