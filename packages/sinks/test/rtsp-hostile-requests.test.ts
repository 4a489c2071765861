import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRtspServer, type RtspServer } from '../src/index.js';

/** Sends raw bytes on a fresh connection; resolves with everything the server sent until it closed or went quiet. */
function exchange(
  port: number,
  request: string,
  quietMs = 1500,
): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request, 'latin1'));
    let reply = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply, closed });
    };
    const armQuietTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(false), quietMs);
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      armQuietTimer();
    });
    socket.on('close', () => finish(true));
    socket.on('error', reject);
    armQuietTimer();
  });
}

const options = (extra: string) =>
  `OPTIONS rtsp://127.0.0.1/front-annotated RTSP/1.0\r\nCSeq: 1\r\n${extra}\r\n`;

describe('RTSP server against hostile requests', () => {
  let server: RtspServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each(['abc', '-100000', '1e3', '999999999'])(
    'Content-Length: %s gets one 400 and a closed connection (it used to loop, eating GBs)',
    async (length) => {
      server = await createRtspServer({ port: 0, host: '127.0.0.1' });
      const { reply, closed } = await exchange(server.port, options(`Content-Length: ${length}\r\n`));
      expect(reply.match(/^RTSP\/1\.0 /gm)).toHaveLength(1);
      expect(reply).toMatch(/^RTSP\/1\.0 400 Bad Request/);
      expect(closed).toBe(true);
      // The server still serves the next player.
      const next = await exchange(server.port, options(''), 300);
      expect(next.reply).toMatch(/^RTSP\/1\.0 200 OK/);
    },
  );

  it.each(['0-1', '70000-70001', '65535-65536'])(
    'SETUP with client_port=%s is refused with 461, so the next keyframe cannot throw out of the stream',
    async (ports) => {
      server = await createRtspServer({ port: 0, host: '127.0.0.1' });
      const stream = server.mount('/front-annotated');
      const url = `rtsp://127.0.0.1:${server.port}/front-annotated`;
      const setup = await exchange(
        server.port,
        `SETUP ${url}/trackID=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP;unicast;client_port=${ports}\r\n\r\n` +
          `PLAY ${url} RTSP/1.0\r\nCSeq: 3\r\nSession: 0123456789abcdef\r\n\r\n`,
        500,
      );
      expect(setup.reply).toMatch(/^RTSP\/1\.0 461 Unsupported Transport/);
      expect(setup.reply).toMatch(/RTSP\/1\.0 454 Session Not Found/);
      expect(stream.clientCount).toBe(0);
      // A keyframe reaching such a client threw ERR_SOCKET_BAD_PORT out of the stream and killed the process.
      expect(() => stream.sendAccessUnit([Buffer.from([0x65, 0x88, 0x84, 0x00])], 0)).not.toThrow();
      expect(server.udpSocketCount).toBe(0);
    },
  );
});
