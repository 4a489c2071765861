import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '@rxvision/decode';
import { RtspStream } from './rtsp-stream.js';

export interface RtspServerOptions {
  /** TCP port for RTSP (Frigate/go2rtc use 8554). Default 8554; 0 picks a free one. */
  readonly port?: number;
  /** Interface to listen on. Default all (`0.0.0.0`). */
  readonly host?: string;
  /** Require these credentials from players (HTTP Basic, as ffmpeg, VLC and go2rtc send it). */
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly logger?: Logger;
}

/** The RTSP server the annotated streams are served from. */
export interface RtspServer {
  readonly port: number;
  /** `rtsp://<host>:<port><path>`. */
  url(path: string, host?: string): string;
  /** Creates (or returns) the stream at `path`, e.g. `/front-annotated`. */
  mount(path: string): RtspStream;
  unmount(path: string): void;
  /** UDP sockets open for UDP-transport sessions right now (for tests and metrics). */
  readonly udpSocketCount: number;
  close(): Promise<void>;
}

interface Session {
  readonly id: string;
  readonly stream: RtspStream;
  readonly transport: string;
  readonly send: (packet: Buffer) => void;
  readonly backlog: () => number;
  readonly udp?: UdpSocket;
  stop?: () => void;
}

/**
 * Starts a compact RTSP 1.0 server (RFC 2326) serving H.264 over RTP (RFC 6184) to players, over
 * TCP-interleaved or UDP transport: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER.
 *
 * It runs inside the agent, so users need no extra media server; `toRtsp` feeds its streams.
 *
 * ## Example
 * ```ts
 * const server = await createRtspServer({ port: 8554 });
 * frames$.pipe(toRtsp(server, { camera: 'front' })); // rtsp://host:8554/front-annotated
 * ```
 * @see toRtsp
 */
export async function createRtspServer(options: RtspServerOptions = {}): Promise<RtspServer> {
  const streams = new Map<string, RtspStream>();
  const sockets = new Set<Socket>();
  const udpSockets = new Set<UdpSocket>();
  const logger = options.logger ?? console;
  const expectedAuth = options.credentials
    ? Buffer.from(
        `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`,
      )
    : undefined;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const sessions = new Map<string, Session>();
    let buffer: Buffer = Buffer.alloc(0);
    const endSessions = () => {
      for (const session of sessions.values()) endSession(session);
      sessions.clear();
    };
    socket.on('close', () => {
      sockets.delete(socket);
      endSessions();
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (buffer.length === 0) return;
        if (buffer[0] === 0x24) {
          // Interleaved RTCP from the player: `$`, channel, 16-bit length.
          if (buffer.length < 4) return;
          const length = buffer.readUInt16BE(2);
          if (buffer.length < 4 + length) return;
          buffer = buffer.subarray(4 + length);
          continue;
        }
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) {
          if (buffer.length > 64 * 1024) socket.destroy();
          return;
        }
        const head = buffer.subarray(0, headerEnd).toString('latin1');
        const headers = parseHeaders(head);
        const bodyLength = parseContentLength(headers.get('content-length'));
        if (bodyLength === undefined) {
          // A length we cannot trust would desynchronise the stream (a NaN or negative one looped forever).
          rejectAndClose(socket, headers.get('cseq') ?? '0', 'Content-Length must be 0 to 65536');
          return;
        }
        if (buffer.length < headerEnd + 4 + bodyLength) return;
        buffer = buffer.subarray(headerEnd + 4 + bodyLength);
        try {
          handle(socket, sessions, head.split('\r\n')[0] ?? '', headers);
        } catch (err) {
          // One client's request must never take the process (and every camera) down with it.
          logger.warn(`rtsp: closing a connection whose request failed: ${(err as Error).message}`);
          socket.destroy();
          return;
        }
      }
    });
  });

  const endSession = (session: Session) => {
    session.stop?.();
    session.udp?.close();
  };

  /** Ends the session `id` before a SETUP reuses it, so a repeated SETUP cannot leak its client or socket. */
  const releaseSession = (sessions: Map<string, Session>, id: string) => {
    const old = sessions.get(id);
    if (!old) return;
    sessions.delete(id);
    endSession(old);
  };

  const respond = (
    socket: Socket,
    cseq: string,
    status: string,
    headers: Record<string, string> = {},
    body = '',
  ) => {
    const lines = [`RTSP/1.0 ${status}`, `CSeq: ${cseq}`, 'Server: rxvision'];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  };

  const rejectAndClose = (socket: Socket, cseq: string, reason: string) => {
    respond(socket, cseq, '400 Bad Request', { Connection: 'close' }, `${reason}\r\n`);
    socket.destroySoon();
  };

  const findStream = (url: string): RtspStream | undefined => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(url).pathname);
    } catch {
      return undefined;
    }
    for (const [mounted, stream] of streams) {
      if (path === mounted || path.startsWith(`${mounted}/`)) return stream;
    }
    return undefined;
  };

  const handle = (
    socket: Socket,
    sessions: Map<string, Session>,
    requestLine: string,
    headers: Map<string, string>,
  ) => {
    const [method = '', url = ''] = requestLine.split(' ');
    const cseq = headers.get('cseq') ?? '0';
    if (method === 'OPTIONS') {
      respond(socket, cseq, '200 OK', { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER' });
      return;
    }
    if (expectedAuth) {
      const given = Buffer.from(headers.get('authorization') ?? '');
      if (given.length !== expectedAuth.length || !timingSafeEqual(given, expectedAuth)) {
        respond(socket, cseq, '401 Unauthorized', { 'WWW-Authenticate': 'Basic realm="rxvision"' });
        return;
      }
    }
    const sessionId = (headers.get('session') ?? '').split(';')[0] ?? '';
    switch (method) {
      case 'DESCRIBE': {
        const stream = findStream(url);
        if (!stream) return respond(socket, cseq, '404 Not Found');
        const host = socket.localAddress?.replace(/^::ffff:/, '') ?? '0.0.0.0';
        return respond(
          socket,
          cseq,
          '200 OK',
          { 'Content-Type': 'application/sdp', 'Content-Base': `${url.replace(/\/$/, '')}/` },
          stream.sdp(host),
        );
      }
      case 'SETUP': {
        const stream = findStream(url);
        if (!stream) return respond(socket, cseq, '404 Not Found');
        const transport = headers.get('transport') ?? '';
        const id = sessionId || randomBytes(8).toString('hex');
        releaseSession(sessions, id);
        if (/RTP\/AVP\/TCP/i.test(transport)) {
          const channel = Number(/interleaved=(\d+)/.exec(transport)?.[1] ?? 0);
          const send = (packet: Buffer) => {
            const frame = Buffer.alloc(4);
            frame[0] = 0x24;
            frame[1] = channel;
            frame.writeUInt16BE(packet.length, 2);
            socket.write(Buffer.concat([frame, packet]));
          };
          sessions.set(id, { id, stream, transport, send, backlog: () => socket.writableLength });
          return respond(socket, cseq, '200 OK', {
            Transport: `RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1}`,
            Session: `${id};timeout=60`,
          });
        }
        const clientPort = parseClientPort(transport);
        if (clientPort === undefined) return respond(socket, cseq, '461 Unsupported Transport');
        const udp = createSocket(socket.remoteFamily === 'IPv6' ? 'udp6' : 'udp4');
        udpSockets.add(udp);
        udp.on('close', () => udpSockets.delete(udp));
        udp.on('error', () => {});
        udp.bind(0, () => {
          // The player left, or sent another SETUP for this session, while the socket was binding.
          if (socket.destroyed) {
            udp.close();
            return;
          }
          releaseSession(sessions, id);
          const serverPort = udp.address().port;
          const address = socket.remoteAddress ?? '127.0.0.1';
          const send = (packet: Buffer) => {
            try {
              udp.send(packet, clientPort, address);
            } catch {
              // A socket that is closing must not throw into the stream that feeds every player.
            }
          };
          sessions.set(id, { id, stream, transport, send, backlog: () => 0, udp });
          respond(socket, cseq, '200 OK', {
            Transport: `RTP/AVP;unicast;client_port=${clientPort}-${clientPort + 1};server_port=${serverPort}-${serverPort + 1}`,
            Session: `${id};timeout=60`,
          });
        });
        return;
      }
      case 'PLAY': {
        const session = sessions.get(sessionId);
        if (!session) return respond(socket, cseq, '454 Session Not Found');
        session.stop?.();
        session.stop = session.stream.addClient({
          send: session.send,
          get backlog() {
            return session.backlog();
          },
        });
        return respond(socket, cseq, '200 OK', { Session: session.id, Range: 'npt=0.000-' });
      }
      case 'TEARDOWN': {
        releaseSession(sessions, sessionId);
        return respond(socket, cseq, '200 OK', { Session: sessionId });
      }
      case 'GET_PARAMETER':
      case 'SET_PARAMETER':
        return respond(socket, cseq, '200 OK', sessionId ? { Session: sessionId } : {});
      default:
        return respond(socket, cseq, '405 Method Not Allowed', {
          Allow: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER',
        });
    }
  };

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new Error(
          `rtsp: cannot listen on ${options.host ?? '0.0.0.0'}:${options.port ?? 8554}: ${err.message}. ` +
            'Choose another restream port or stop what uses it',
        ),
      ),
    );
    server.listen(options.port ?? 8554, options.host ?? '0.0.0.0', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  server.on('error', (err) => logger.warn(`rtsp: ${err.message}`));

  return {
    port,
    url: (path, host = '127.0.0.1') => `rtsp://${host}:${port}${path}`,
    mount(path) {
      let stream = streams.get(path);
      if (!stream) {
        stream = new RtspStream(path);
        streams.set(path, stream);
      }
      return stream;
    },
    unmount(path) {
      streams.delete(path);
    },
    get udpSocketCount() {
      return udpSockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** The largest request body we accept; RTSP requests from players carry none or a few bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** A `Content-Length` of plain decimal digits within the cap; anything else is refused. */
function parseContentLength(value: string | undefined): number | undefined {
  if (value === undefined) return 0;
  if (!/^\d{1,6}$/.test(value)) return undefined;
  const length = Number(value);
  return length <= MAX_BODY_BYTES ? length : undefined;
}

/** The RTP port of `client_port=<rtp>-<rtcp>`, when it is a port a player can really listen on. */
function parseClientPort(transport: string): number | undefined {
  const digits = /client_port=(\d{1,5})/.exec(transport)?.[1];
  if (digits === undefined) return undefined;
  const rtp = Number(digits);
  // RTCP goes to the next port, so the RTP port must leave room for it.
  return rtp >= 1 && rtp <= 65534 ? rtp : undefined;
}
