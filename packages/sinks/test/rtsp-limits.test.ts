import type { Socket } from 'node:net';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { silentLogger } from '@rxvision/decode';
import { VirtualTimeScheduler } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { h264AccessUnits } from '../../../testing/h264-access-units.js';
import { closedWithin, openSocket, rawExchange } from '../../../testing/raw-exchange.js';
import { sharedPath } from '../../../testing/shared.js';
import { createRtspServer, type RtspServer, type RtspStream } from '../src/index.js';

const MiB = 1024 * 1024;
const PATH = '/front-annotated';

/** Reads RTSP response heads off a socket until it is paused; interleaved `$` frames are counted, not kept. */
class Player {
  #text = '';
  #waiters: Array<() => void> = [];
  mediaBytes = 0;
  /** Set once PLAY was answered: from then on every byte counts as media. */
  playing = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      if (this.playing) this.mediaBytes += chunk.length;
      else this.#text += chunk.toString('latin1');
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(port: number): Promise<Player> {
    return new Player(await openSocket(port));
  }

  /** Resolves with the text received once it holds `count` response heads. */
  async responses(count: number, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while ((this.#text.match(/RTSP\/1\.0 \d{3}/g) ?? []).length < count) {
      if (Date.now() > deadline)
        throw new Error(`${count} responses expected, got:\n${this.#text.slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.#text;
  }

  /** SETUP over TCP-interleaved then PLAY; resolves once both answered 200. */
  async play(url: string): Promise<void> {
    this.socket.write(setupTcp(url, 1));
    const setup = await this.responses(1);
    const session = /Session: ([0-9a-f]+)/.exec(setup)?.[1];
    if (!session) throw new Error(`no session in:\n${setup}`);
    this.socket.write(`PLAY ${url} RTSP/1.0\r\nCSeq: 2\r\nSession: ${session}\r\n\r\n`);
    const both = await this.responses(2);
    if ((both.match(/RTSP\/1\.0 200 OK/g) ?? []).length !== 2) throw new Error(`not playing:\n${both}`);
    this.playing = true;
  }
}

/** Moves the virtual clock to `frame` (ms), running every timer due by then. */
function advanceTo(clock: VirtualTimeScheduler, frame: number): void {
  clock.schedule(() => {}, frame - clock.now());
  clock.maxFrames = frame;
  clock.flush();
}

/** Polls `check` every 20 ms for up to `ms`. */
async function until(check: () => boolean, ms: number): Promise<void> {
  for (let waited = 0; !check() && waited < ms; waited += 20) await new Promise((r) => setTimeout(r, 20));
}

const setupTcp = (url: string, cseq: number) =>
  `SETUP ${url}/trackID=0 RTSP/1.0\r\nCSeq: ${cseq}\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n`;

/**
 * Feeds real access units as fast as the loop allows until `done()` and at least `minBytes` went
 * out (or `maxMs` passed: a busy machine slows the feed, it must not fail the test); returns the
 * most the server queued and the RSS peak.
 */
async function feed(
  server: RtspServer,
  stream: RtspStream,
  units: readonly Buffer[][],
  {
    done = () => true,
    minBytes = 0,
    maxMs = 30_000,
  }: { done?: () => boolean; minBytes?: number; maxMs?: number },
): Promise<{ maxQueued: number; maxRss: number; sentBytes: number }> {
  let maxQueued = 0;
  let maxRss = process.memoryUsage().rss;
  let sentBytes = 0;
  const end = Date.now() + maxMs;
  for (let i = 0; Date.now() < end && !(sentBytes >= minBytes && done()); i++) {
    const unit = units[i % units.length] ?? [];
    stream.sendAccessUnit(unit, (i * 3000) >>> 0);
    for (const nal of unit) sentBytes += nal.length;
    maxQueued = Math.max(maxQueued, server.queuedBytes);
    if (i % 8 === 0) {
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
      await yieldToLoop();
    }
  }
  return { maxQueued, maxRss, sentBytes };
}

describe('RTSP server limits, against real sockets and real H.264', () => {
  let server: RtspServer | undefined;
  let units: Buffer[][] = [];
  let largestUnit = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    units = await h264AccessUnits(sharedPath('videos', 'people-walking-indoor.mp4'), 240);
    largestUnit = Math.max(...units.map((u) => u.reduce((n, nal) => n + nal.length + 64, 0)));
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await server?.close();
    server = undefined;
  });
  afterAll(() => {
    units = [];
  });

  it('ten interleaved players that never read: each queue stays near playerBacklogSkipBytes, then they are closed; a reading player keeps its frames', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1', slowPlayerTimeoutMs: 2_000 });
    const stream = server.mount(PATH);
    const url = server.url(PATH);
    const stalled = await Promise.all(Array.from({ length: 10 }, () => Player.open(server?.port ?? 0)));
    for (const player of stalled) {
      sockets.push(player.socket);
      await player.play(url);
    }
    const reader = await Player.open(server.port);
    sockets.push(reader.socket);
    await reader.play(url);
    for (const player of stalled) player.socket.pause();
    const rssBefore = process.memoryUsage().rss;

    // A paused client never reads the FIN behind its unread bytes, so the server's side is what counts.
    const { maxQueued, maxRss, sentBytes } = await feed(server, stream, units, {
      done: () => server?.connectionCount === 1,
      minBytes: 16 * MiB,
    });
    const readBefore = reader.mediaBytes;
    await feed(server, stream, units, { minBytes: 2 * MiB });
    console.log(
      `ten stalled players: fed ${(sentBytes / MiB).toFixed(0)} MiB, server queue peak ${(maxQueued / MiB).toFixed(1)} MiB, ` +
        `RSS +${((maxRss - rssBefore) / MiB).toFixed(0)} MiB, ${11 - server.connectionCount}/10 closed, reader got ${(reader.mediaBytes / MiB).toFixed(1)} MiB`,
    );
    // Each stalled player was offered far more than it may queue.
    expect(sentBytes).toBeGreaterThan(16 * MiB);
    expect(maxQueued).toBeLessThanOrEqual(11 * (4 * MiB + largestUnit));
    expect(maxRss - rssBefore).toBeLessThan(200 * MiB);
    expect(stream.clientCount).toBe(1);
    expect(reader.mediaBytes).toBeGreaterThan(readBefore);
    expect(server.connectionCount).toBe(1);
  });

  it('100 SETUP+PLAY on one unread socket: 4 sessions (maxSessionsPerConnection), one bounded queue, then closed', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1', slowPlayerTimeoutMs: 1_500 });
    const stream = server.mount(PATH);
    const url = server.url(PATH);
    const player = await Player.open(server.port);
    sockets.push(player.socket);
    let requests = '';
    for (let i = 0; i < 100; i++) requests += setupTcp(url, i + 1);
    player.socket.write(requests);
    const setups = await player.responses(100);
    const sessions = [...setups.matchAll(/Session: ([0-9a-f]+)/g)].map((m) => m[1]);
    expect(sessions).toHaveLength(4);
    expect(setups.match(/RTSP\/1\.0 453 Not Enough Bandwidth/g)).toHaveLength(96);
    player.socket.write(
      sessions.map((s, i) => `PLAY ${url} RTSP/1.0\r\nCSeq: ${101 + i}\r\nSession: ${s}\r\n\r\n`).join(''),
    );
    await player.responses(104);
    expect(stream.clientCount).toBe(4);
    player.socket.pause();

    const { maxQueued } = await feed(server, stream, units, {
      done: () => server?.connectionCount === 0,
      minBytes: 20 * MiB,
    });
    expect(server.connectionCount).toBe(0);
    expect(maxQueued).toBeLessThanOrEqual(4 * MiB + 4 * largestUnit);
    expect(stream.clientCount).toBe(0);
  });

  it('slowPlayerTimeoutMs (virtual): a player queued past playerBacklogSkipBytes is closed when the timeout passes, not before', async () => {
    const clock = new VirtualTimeScheduler();
    const skip = 256 * 1024;
    server = await createRtspServer({
      port: 0,
      host: '127.0.0.1',
      scheduler: clock,
      logger: silentLogger,
      playerBacklogSkipBytes: skip,
      playerBacklogLimitBytes: 64 * MiB,
    });
    const stream = server.mount(PATH);
    const player = await Player.open(server.port);
    sockets.push(player.socket);
    await player.play(server.url(PATH));
    player.socket.pause();
    await feed(server, stream, units, { done: () => (server?.queuedBytes ?? 0) > skip });
    expect(server.queuedBytes).toBeGreaterThan(skip);
    const behindAt = clock.now();
    advanceTo(clock, behindAt + 9_999);
    await until(() => server?.connectionCount === 0, 200);
    expect(server.connectionCount).toBe(1);
    advanceTo(clock, behindAt + 10_000);
    await until(() => server?.connectionCount === 0, 2_000);
    expect(server.connectionCount).toBe(0);
    expect(stream.clientCount).toBe(0);
  });

  it('500 idle connections: 64 are held (maxConnections), the rest get 503; at handshakeTimeoutMs (virtual) the held ones are closed', async () => {
    const clock = new VirtualTimeScheduler();
    server = await createRtspServer({ port: 0, host: '127.0.0.1', scheduler: clock, logger: silentLogger });
    const port = server.port;
    const idle: Socket[] = [];
    for (let i = 0; i < 500; i++) idle.push((await openSocket(port)).resume());
    sockets.push(...idle);
    const refused = await Promise.all(idle.map((s) => closedWithin(s, 1_000)));
    expect(refused.filter(Boolean)).toHaveLength(436);
    expect(server.connectionCount).toBe(64);
    const busy = await rawExchange(port, 'OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\n\r\n', {
      quietMs: 300,
    });
    expect(busy.reply.toString()).toMatch(/^RTSP\/1\.0 503 Service Unavailable/);
    advanceTo(clock, 9_999);
    await until(() => server?.connectionCount !== 64, 300);
    expect(server.connectionCount).toBe(64);
    advanceTo(clock, 10_000);
    await until(() => server?.connectionCount === 0, 2_000);
    expect(server.connectionCount).toBe(0);
    const next = await rawExchange(port, 'OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 2\r\n\r\n', {
      quietMs: 300,
    });
    expect(next.reply.toString()).toMatch(/^RTSP\/1\.0 200 OK/);
  });

  it('idle timeout (virtual): quiet and not playing → closed at idleTimeoutMs; GET_PARAMETER keepalives keep a UDP player; a TCP player needs none', async () => {
    const clock = new VirtualTimeScheduler();
    server = await createRtspServer({ port: 0, host: '127.0.0.1', scheduler: clock, logger: silentLogger });
    server.mount(PATH);
    const url = server.url(PATH);
    const quiet = await Player.open(server.port);
    const udp = await Player.open(server.port);
    const tcp = await Player.open(server.port);
    sockets.push(quiet.socket, udp.socket, tcp.socket);
    quiet.socket.write(`OPTIONS ${url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
    await quiet.responses(1);
    udp.socket.write(
      `SETUP ${url}/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;unicast;client_port=41000-41001\r\n\r\n`,
    );
    const session = /Session: ([0-9a-f]+);timeout=60/.exec(await udp.responses(1))?.[1];
    udp.socket.write(`PLAY ${url} RTSP/1.0\r\nCSeq: 2\r\nSession: ${session}\r\n\r\n`);
    await udp.responses(2);
    await tcp.play(url);

    const keepalive = async (at: number, cseq: number) => {
      advanceTo(clock, at);
      udp.socket.write(`GET_PARAMETER ${url} RTSP/1.0\r\nCSeq: ${cseq}\r\nSession: ${session}\r\n\r\n`);
      await udp.responses(cseq);
    };
    await keepalive(30_000, 3);
    // A head dribbled in a byte at a time is no keepalive.
    quiet.socket.write('O');
    advanceTo(clock, 40_000);
    quiet.socket.write('P');
    advanceTo(clock, 59_999);
    expect(await closedWithin(quiet.socket, 200)).toBe(false);
    advanceTo(clock, 60_000);
    expect(await closedWithin(quiet.socket, 2_000)).toBe(true);
    await keepalive(60_000, 4);
    await keepalive(90_000, 5);
    advanceTo(clock, 149_999);
    expect(await closedWithin(udp.socket, 200)).toBe(false);
    advanceTo(clock, 150_000);
    expect(await closedWithin(udp.socket, 2_000)).toBe(true);
    advanceTo(clock, 600_000);
    expect(await closedWithin(tcp.socket, 300)).toBe(false);
    expect(server.connectionCount).toBe(1);
  });

  it('3,000 UDP SETUPs on one connection open 4 UDP sockets (maxUdpSocketsPerConnection), the rest get 453', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    server.mount(PATH);
    const url = server.url(PATH);
    const player = await Player.open(server.port);
    sockets.push(player.socket);
    let requests = '';
    for (let i = 0; i < 3000; i++) {
      const rtp = 20_000 + 2 * i;
      requests += `SETUP ${url}/trackID=0 RTSP/1.0\r\nCSeq: ${i + 1}\r\nTransport: RTP/AVP;unicast;client_port=${rtp}-${rtp + 1}\r\n\r\n`;
    }
    player.socket.write(requests);
    const replies = await player.responses(3000, 60_000);
    expect(replies.match(/RTSP\/1\.0 200 OK/g)).toHaveLength(4);
    expect(replies.match(/RTSP\/1\.0 453 Not Enough Bandwidth/g)).toHaveLength(2996);
    expect(server.udpSocketCount).toBe(4);
    player.socket.destroy();
    for (let waited = 0; server.udpSocketCount > 0 && waited < 5_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(server.udpSocketCount).toBe(0);
  });

  it('a declared 1 GB body gets 400 before any of it is read, and the connection is closed', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    const socket = await openSocket(server.port);
    sockets.push(socket);
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.write('SET_PARAMETER rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 7\r\nContent-Length: 1073741824\r\n\r\n');
    const junk = Buffer.alloc(1 * MiB, 0x41);
    for (let i = 0; i < 64 && !socket.destroyed; i++) socket.write(junk);
    expect(await closedWithin(socket, 5_000)).toBe(true);
    expect(reply).toMatch(/^RTSP\/1\.0 400 Bad Request\r\nCSeq: 7\r\n/);
    expect(reply).toContain('Content-Length must be 0 to 65536');
  });

  it.each([
    ['a request head over maxRequestHeadBytes', `X-Pad: ${'a'.repeat(9000)}\r\n`, 'must fit 8192 bytes'],
    ['more than maxHeaderCount headers', 'X-H: 1\r\n'.repeat(65), 'at most 64 header lines'],
  ])('%s gets one 400 and a closed connection', async (_what, extra, reason) => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    const { reply, closed } = await rawExchange(
      server.port,
      `OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 3\r\n${extra}\r\n`,
    );
    expect(reply.toString().match(/^RTSP\/1\.0 /gm)).toHaveLength(1);
    expect(reply.toString()).toMatch(/^RTSP\/1\.0 400 Bad Request/);
    expect(reply.toString()).toContain(reason);
    expect(closed).toBe(true);
  });

  it('a head without its blank line is refused once it passes the cap, not buffered on', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    const { reply, closed } = await rawExchange(server.port, `OPTIONS rtsp://x/${'b'.repeat(20_000)}`);
    expect(reply.toString()).toMatch(/^RTSP\/1\.0 400 Bad Request/);
    expect(closed).toBe(true);
  });

  it('limits that are not positive integers are refused, naming the option', async () => {
    await expect(createRtspServer({ port: 0, maxConnections: 0 })).rejects.toThrow(
      /maxConnections must be a positive integer, got 0/,
    );
    await expect(createRtspServer({ port: 0, idleTimeoutMs: 1.5 })).rejects.toThrow(/idleTimeoutMs/);
    await expect(
      createRtspServer({ port: 0, playerBacklogSkipBytes: 2 * MiB, playerBacklogLimitBytes: MiB }),
    ).rejects.toThrow(/playerBacklogLimitBytes/);
  });
});
