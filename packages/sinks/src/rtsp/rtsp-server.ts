import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '@rxvision/decode';
import { asyncScheduler, type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import { type RtspLimits, resolveRtspLimits } from './rtsp-limits.js';
import { cseqOf, readRequest } from './rtsp-request-head.js';
import { RtspStream } from './rtsp-stream.js';

export interface RtspServerOptions extends Partial<RtspLimits> {
  /** TCP port for RTSP (Frigate/go2rtc use 8554). Default 8554; 0 picks a free one. */
  readonly port?: number;
  /** Interface to listen on. Default all (`0.0.0.0`). */
  readonly host?: string;
  /** Require these credentials from players (HTTP Basic, as ffmpeg, VLC and go2rtc send it). */
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly logger?: Logger;
  /** Clock for the handshake, idle and slow-player timeouts (tests pass a virtual one). */
  readonly scheduler?: SchedulerLike;
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
  /** RTSP connections open right now. */
  readonly connectionCount: number;
  /** Bytes queued in the server for players and not yet handed to the kernel, all connections together. */
  readonly queuedBytes: number;
  close(): Promise<void>;
}

interface Session {
  readonly id: string;
  readonly stream: RtspStream;
  readonly transport: string;
  readonly send: (packet: Buffer) => void;
  /** TCP-interleaved on the RTSP connection, else UDP. */
  readonly tcp: boolean;
  readonly udp?: UdpSocket;
  stop?: () => void;
}

/** One player's RTSP connection and what it holds. */
interface Connection {
  readonly socket: Socket;
  readonly sessions: Map<string, Session>;
  /** UDP sockets open or binding for this connection. */
  udpSockets: number;
  /** UDP SETUPs whose socket is still binding (they count as sessions already). */
  pendingSetups: number;
  /** Complete requests received. */
  requests: number;
  lastHeardAt: number;
  /** The pending check on a player whose queue went over `playerBacklogSkipBytes`. */
  slowCheck?: Subscription;
  readonly timers: Subscription;
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
  const limits = resolveRtspLimits(options);
  const scheduler = options.scheduler ?? asyncScheduler;
  const streams = new Map<string, RtspStream>();
  const connections = new Set<Connection>();
  const udpSockets = new Set<UdpSocket>();
  const logger = options.logger ?? console;
  const sessionTimeout = `timeout=${Math.max(1, Math.round(limits.idleTimeoutMs / 1000))}`;
  let warnedFull = false;
  const expectedAuth = options.credentials
    ? Buffer.from(
        `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`,
      )
    : undefined;

  const server: Server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    if (connections.size >= limits.maxConnections) {
      if (!warnedFull) {
        warnedFull = true;
        logger.warn(
          `rtsp: ${limits.maxConnections} connections open (maxConnections); refusing more with 503 until some close`,
        );
      }
      socket.end(
        'RTSP/1.0 503 Service Unavailable\r\nCSeq: 0\r\nServer: rxvision\r\nConnection: close\r\n\r\n',
      );
      socket.destroySoon();
      return;
    }
    socket.setNoDelay(true);
    const connection: Connection = {
      socket,
      sessions: new Map(),
      udpSockets: 0,
      pendingSetups: 0,
      requests: 0,
      lastHeardAt: scheduler.now(),
      timers: new Subscription(),
    };
    connections.add(connection);
    const close = (reason: string) => {
      logger.debug(`rtsp: closing ${peerOf(socket)}: ${reason}`);
      socket.destroy();
    };
    connection.timers.add(
      scheduler.schedule(() => {
        if (connection.requests === 0) close(`no complete request within ${limits.handshakeTimeoutMs} ms`);
      }, limits.handshakeTimeoutMs),
    );
    connection.timers.add(
      scheduler.schedule(function watchIdle(this: SchedulerAction<unknown>) {
        const quiet = scheduler.now() - connection.lastHeardAt;
        if (quiet < limits.idleTimeoutMs) return this.schedule(undefined, limits.idleTimeoutMs - quiet);
        if (playsOverTcp(connection)) return this.schedule(undefined, limits.idleTimeoutMs);
        close(`nothing heard for ${limits.idleTimeoutMs} ms and not playing over TCP`);
      }, limits.idleTimeoutMs),
    );
    let buffer: Buffer = Buffer.alloc(0);
    let refused = false;
    socket.on('close', () => {
      connections.delete(connection);
      if (connections.size < limits.maxConnections) warnedFull = false;
      connection.timers.unsubscribe();
      for (const session of connection.sessions.values()) endSession(session);
      connection.sessions.clear();
    });
    socket.on('data', (chunk: Buffer) => {
      if (socket.destroyed || refused) return;
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (buffer.length === 0) return;
        if (buffer[0] === 0x24) {
          // Interleaved RTCP from the player: `$`, channel, 16-bit length (so at most 64 KiB held).
          if (buffer.length < 4) return;
          const length = buffer.readUInt16BE(2);
          if (buffer.length < 4 + length) return;
          buffer = buffer.subarray(4 + length);
          // RTCP keeps a session alive; from a connection without one it is just noise.
          if (connection.sessions.size > 0) connection.lastHeardAt = scheduler.now();
          continue;
        }
        const read = readRequest(buffer, limits);
        if (read.kind === 'incomplete') return;
        if (read.kind === 'refused') {
          rejectAndClose(socket, read.cseq, read.reason);
          // What follows is read and dropped (so no reset eats the 400), never kept: a declared 1 GB
          // body must not pile up while the answer drains.
          refused = true;
          buffer = Buffer.alloc(0);
          return;
        }
        buffer = buffer.subarray(read.request.consumed);
        // Only whole requests count, so a head sent a byte at a time cannot hold the connection.
        connection.lastHeardAt = scheduler.now();
        connection.requests += 1;
        try {
          handle(connection, read.request.requestLine, read.request.headers);
        } catch (err) {
          // One client's request must never take the process (and every camera) down with it.
          logger.warn(`rtsp: closing a connection whose request failed: ${(err as Error).message}`);
          socket.destroy();
          return;
        }
        if (socket.destroyed) return;
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
    if (socket.destroyed) return;
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

  /** Sends one interleaved RTP packet, closing a player whose queue outgrows the limits. */
  const sendInterleaved = (connection: Connection, channel: number, packet: Buffer) => {
    const { socket } = connection;
    if (socket.destroyed) return;
    const frame = Buffer.alloc(4 + packet.length);
    frame[0] = 0x24;
    frame[1] = channel;
    frame.writeUInt16BE(packet.length, 2);
    packet.copy(frame, 4);
    socket.write(frame);
    const queued = socket.writableLength;
    if (queued > limits.playerBacklogLimitBytes) {
      logger.warn(
        `rtsp: closing player ${peerOf(socket)}: ${queued} bytes queued, over playerBacklogLimitBytes (${limits.playerBacklogLimitBytes}); it does not read`,
      );
      socket.destroy();
      return;
    }
    if (queued > limits.playerBacklogSkipBytes && !connection.slowCheck) {
      connection.slowCheck = scheduler.schedule(() => {
        connection.slowCheck = undefined;
        const still = socket.writableLength;
        if (socket.destroyed || still <= limits.playerBacklogSkipBytes) return;
        logger.warn(
          `rtsp: closing player ${peerOf(socket)}: ${still} bytes still queued after ${limits.slowPlayerTimeoutMs} ms (slowPlayerTimeoutMs); it reads too slowly`,
        );
        socket.destroy();
      }, limits.slowPlayerTimeoutMs);
      connection.timers.add(connection.slowCheck);
    }
  };

  const handle = (connection: Connection, requestLine: string, headers: Map<string, string>) => {
    const { socket, sessions } = connection;
    const [method = '', url = ''] = requestLine.split(' ');
    const cseq = cseqOf(headers);
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
        if (sessions.size + connection.pendingSetups >= limits.maxSessionsPerConnection) {
          return respond(
            socket,
            cseq,
            '453 Not Enough Bandwidth',
            {},
            `at most ${limits.maxSessionsPerConnection} sessions per connection (maxSessionsPerConnection); TEARDOWN one first\r\n`,
          );
        }
        if (/RTP\/AVP\/TCP/i.test(transport)) {
          const channel = parseInterleavedChannel(transport);
          if (channel === undefined) return respond(socket, cseq, '461 Unsupported Transport');
          const send = (packet: Buffer) => sendInterleaved(connection, channel, packet);
          sessions.set(id, { id, stream, transport, send, tcp: true });
          return respond(socket, cseq, '200 OK', {
            Transport: `RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1}`,
            Session: `${id};${sessionTimeout}`,
          });
        }
        const clientPort = parseClientPort(transport);
        if (clientPort === undefined) return respond(socket, cseq, '461 Unsupported Transport');
        if (connection.udpSockets >= limits.maxUdpSocketsPerConnection) {
          return respond(
            socket,
            cseq,
            '453 Not Enough Bandwidth',
            {},
            `at most ${limits.maxUdpSocketsPerConnection} UDP sessions per connection (maxUdpSocketsPerConnection)\r\n`,
          );
        }
        const udp = createSocket(socket.remoteFamily === 'IPv6' ? 'udp6' : 'udp4');
        udpSockets.add(udp);
        connection.udpSockets += 1;
        connection.pendingSetups += 1;
        udp.on('close', () => {
          udpSockets.delete(udp);
          connection.udpSockets -= 1;
        });
        udp.on('error', () => {});
        udp.bind(0, () => {
          connection.pendingSetups -= 1;
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
          sessions.set(id, { id, stream, transport, send, tcp: false, udp });
          respond(socket, cseq, '200 OK', {
            Transport: `RTP/AVP;unicast;client_port=${clientPort}-${clientPort + 1};server_port=${serverPort}-${serverPort + 1}`,
            Session: `${id};${sessionTimeout}`,
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
            // A UDP send that the kernel cannot take at once waits in libuv's queue, in our memory.
            return session.tcp ? socket.writableLength : (session.udp?.getSendQueueSize() ?? 0);
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
        stream = new RtspStream(path, limits.playerBacklogSkipBytes);
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
    get connectionCount() {
      return connections.size;
    },
    get queuedBytes() {
      let bytes = 0;
      for (const connection of connections) bytes += connection.socket.writableLength;
      return bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The first channel of `interleaved=<rtp>-<rtcp>` (0 when absent), when it fits one byte with room for RTCP. */
function parseInterleavedChannel(transport: string): number | undefined {
  const digits = /interleaved=(\d{1,3})/.exec(transport)?.[1];
  if (digits === undefined) return /interleaved=/.test(transport) ? undefined : 0;
  const channel = Number(digits);
  return channel <= 254 ? channel : undefined;
}

/** `address:port` of the player, for log lines. */
function peerOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

/** Whether one of the connection's sessions plays over TCP (its reading shows it is alive). */
function playsOverTcp(connection: Connection): boolean {
  for (const session of connection.sessions.values()) if (session.tcp && session.stop) return true;
  return false;
}

/** The RTP port of `client_port=<rtp>-<rtcp>`, when it is a port a player can really listen on. */
function parseClientPort(transport: string): number | undefined {
  const digits = /client_port=(\d{1,5})/.exec(transport)?.[1];
  if (digits === undefined) return undefined;
  const rtp = Number(digits);
  // RTCP goes to the next port, so the RTP port must leave room for it.
  return rtp >= 1 && rtp <= 65534 ? rtp : undefined;
}
