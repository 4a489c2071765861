import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { mutate, SeededRandom } from '../../../testing/fuzz-mutate.js';
import { closedWithin, openSocket, rawExchange } from '../../../testing/raw-exchange.js';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, sleep, startAgent, waitFor } from './helpers/agent-process.js';

const SEED = 0x18a;
const BATCHES = 6;
const REQUESTS_PER_BATCH = 120;
const CONCURRENCY = 12;
/** RSS the agent may grow by over its settled size while being fuzzed. */
const RSS_HEADROOM_MIB = 200;
const PATH = '/hall-annotated';

/** Valid RTSP requests (single and pipelined) as a player sends them; `{url}` is the restream. */
const RTSP_SEEDS = [
  'OPTIONS {url} RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: fuzz\r\n\r\n',
  'DESCRIBE {url} RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n',
  'SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n',
  'SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP;unicast;client_port=42000-42001\r\n\r\n',
  'SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nSession: fuzz0001\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n' +
    'PLAY {url} RTSP/1.0\r\nCSeq: 4\r\nSession: fuzz0001\r\nRange: npt=0.000-\r\n\r\n',
  'SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nSession: fuzz0002\r\nTransport: RTP/AVP;unicast;client_port=42002-42003\r\n\r\n' +
    'PLAY {url} RTSP/1.0\r\nCSeq: 4\r\nSession: fuzz0002\r\n\r\n',
  'GET_PARAMETER {url} RTSP/1.0\r\nCSeq: 5\r\nSession: fuzz0001\r\n\r\n',
  'TEARDOWN {url} RTSP/1.0\r\nCSeq: 6\r\nSession: fuzz0001\r\n\r\n',
  'SET_PARAMETER {url} RTSP/1.0\r\nCSeq: 7\r\nContent-Length: 4\r\n\r\nab\r\n',
];

const HTTP_SEEDS = [
  'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n',
  'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/plain\r\n\r\n',
  'GET /api/cameras HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
];

/** The agent's resident set in bytes, from /proc/<pid>/status. */
function vmRss(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kib) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kib) * 1024;
}

/** Real ffprobe reads the restream over TCP: resolves with its H.264 stream's size. */
function probeRestream(url: string): Promise<{ codec_name: string; width: number; height: number }> {
  return new Promise((resolve, reject) =>
    execFile(
      'ffprobe',
      ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_name,width,height'].concat([
        '-of',
        'json',
        url,
      ]),
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`ffprobe ${url} failed: ${stderr}`));
        const streams = (
          JSON.parse(stdout) as { streams: Array<{ codec_name: string; width: number; height: number }> }
        ).streams;
        const video = streams[0];
        return video ? resolve(video) : reject(new Error(`ffprobe found no stream in ${url}`));
      },
    ),
  );
}

/** Runs `jobs` with at most `limit` in flight. */
async function inParallel(jobs: ReadonlyArray<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]?.();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe('the agent against fuzzed and hostile RTSP and HTTP requests (real agent, real camera clip, real ffprobe)', () => {
  let agent: AgentProcess | undefined;
  let base = '';
  let rtspPort = 0;
  let restreamUrl = '';
  let settledRss = 0;
  let maxRss = 0;
  let sent = 0;
  let watcher: Socket | undefined;
  let watcherBytes = 0;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-fuzz-'));
    const config = join(dir, 'agent.yml');
    rtspPort = await freePort();
    writeFileSync(
      config,
      [
        'http:',
        '  listen: 127.0.0.1:0',
        'rtsp:',
        `  port: ${rtspPort}`,
        'detectors:',
        '  default:',
        `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
        'cameras:',
        // A file plays at native speed and loops, standing in for a live camera.
        `  hall: { url: ${sharedPath('videos', 'people-walking-indoor.mp4')}, fps: 2, restream: true }`,
      ].join('\n'),
    );
    agent = startAgent(['run', '--config', config]);
    base = await agent.httpUrl();
    restreamUrl = `rtsp://127.0.0.1:${rtspPort}${PATH}`;
    await waitFor(
      'the restream to be readable by ffprobe',
      () => probeRestream(restreamUrl).catch(() => undefined),
      120_000,
    );
    // One well-behaved TCP player stays for the whole run; it must keep getting media.
    watcher = await openSocket(rtspPort);
    watcher.on('data', (chunk: Buffer) => {
      watcherBytes += chunk.length;
    });
    watcher.write(
      `SETUP ${restreamUrl}/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nSession: watcher01\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n` +
        `PLAY ${restreamUrl} RTSP/1.0\r\nCSeq: 2\r\nSession: watcher01\r\n\r\n`,
    );
    settledRss = vmRss(agent.child.pid ?? 0);
    maxRss = settledRss;
  }, 180_000);

  afterAll(async () => {
    watcher?.destroy();
    agent?.kill('SIGTERM');
    const exited = await Promise.race([agent?.exited, sleep(10_000).then(() => 'timeout')]);
    if (exited === 'timeout') agent?.kill('SIGKILL');
  });

  /** After each batch: alive, RSS within bound, /healthz answers, ffprobe reads the restream, the watcher is fed. */
  const checkStillServing = async (batch: string) => {
    const running = agent;
    if (!running?.child.pid) throw new Error('no agent');
    expect(
      running.child.exitCode,
      `agent exited during ${batch}:\n${running.stderr().slice(-3000)}`,
    ).toBeNull();
    const rss = vmRss(running.child.pid);
    maxRss = Math.max(maxRss, rss);
    expect(rss, `RSS after ${batch}`).toBeLessThan(settledRss + RSS_HEADROOM_MIB * 1024 * 1024);
    const health = await waitFor(
      `/healthz after ${batch}`,
      () =>
        fetch(`${base}/healthz`)
          .then((r) => (r.ok ? r.status : undefined))
          .catch(() => undefined),
      15_000,
    );
    expect(health).toBe(200);
    const before = watcherBytes;
    expect(await probeRestream(restreamUrl)).toEqual({ codec_name: 'h264', width: 768, height: 432 });
    await waitFor(`the watching player to get media after ${batch}`, () =>
      watcherBytes > before ? true : undefined,
    );
  };

  it('survives seeded mutations of valid requests, batch after batch', async () => {
    const random = new SeededRandom(SEED);
    const counts = new Map<string, number>();
    for (let batch = 0; batch < BATCHES; batch++) {
      const jobs = Array.from({ length: REQUESTS_PER_BATCH }, () => {
        const http = random.next() < 0.3;
        const seed = http
          ? random.pick(HTTP_SEEDS)
          : random.pick(RTSP_SEEDS).replaceAll('{url}', restreamUrl);
        const { bytes, applied } = mutate(seed, random);
        for (const name of applied) counts.set(name, (counts.get(name) ?? 0) + 1);
        const port = http ? Number(new URL(base).port) : rtspPort;
        return async () => {
          sent += 1;
          await rawExchange(port, bytes, { quietMs: 200, maxMs: 3_000 });
        };
      });
      await inParallel(jobs, CONCURRENCY);
      await checkStillServing(`fuzz batch ${batch + 1}`);
    }
    console.log(`fuzz mutations applied: ${JSON.stringify(Object.fromEntries(counts))}`);
  }, 300_000);

  it('survives the issue’s named attacks: stalled players, 100 sessions on one socket, 500 idle connections, 3,000 UDP SETUPs, a 1 GB body', async () => {
    const held: Socket[] = [];
    try {
      // Ten interleaved players that PLAY and never read.
      for (let i = 0; i < 10; i++) {
        const socket = await openSocket(rtspPort);
        socket.write(
          `SETUP ${restreamUrl}/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nSession: stall${i}\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n` +
            `PLAY ${restreamUrl} RTSP/1.0\r\nCSeq: 2\r\nSession: stall${i}\r\n\r\n`,
        );
        socket.pause();
        held.push(socket);
      }
      // 100 SETUP+PLAY on one socket that is never read.
      const many = await openSocket(rtspPort);
      let requests = '';
      for (let i = 0; i < 100; i++) {
        requests +=
          `SETUP ${restreamUrl}/trackID=0 RTSP/1.0\r\nCSeq: ${2 * i + 1}\r\nSession: many${i}\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n` +
          `PLAY ${restreamUrl} RTSP/1.0\r\nCSeq: ${2 * i + 2}\r\nSession: many${i}\r\n\r\n`;
      }
      many.write(requests);
      many.pause();
      held.push(many);
      await checkStillServing('10 stalled players and 100 sessions on one socket');

      // 3,000 UDP SETUPs on one connection: at most 4 get a socket.
      let udp = '';
      for (let i = 0; i < 3000; i++) {
        const rtp = 30_000 + 2 * i;
        udp += `SETUP ${restreamUrl}/trackID=0 RTSP/1.0\r\nCSeq: ${i + 1}\r\nTransport: RTP/AVP;unicast;client_port=${rtp}-${rtp + 1}\r\n\r\n`;
      }
      const udpReply = (await rawExchange(rtspPort, udp, { quietMs: 1_000, maxMs: 20_000 })).reply.toString();
      expect(udpReply.match(/RTSP\/1\.0 200 OK/g)).toHaveLength(4);
      expect(udpReply.match(/RTSP\/1\.0 453 /g)).toHaveLength(2996);

      // A declared 1 GB body, on each server.
      const body = await rawExchange(
        rtspPort,
        `SET_PARAMETER ${restreamUrl} RTSP/1.0\r\nCSeq: 9\r\nContent-Length: 1073741824\r\n\r\n${'A'.repeat(65536)}`,
      );
      expect(body.reply.toString()).toMatch(/^RTSP\/1\.0 400 Bad Request/);
      expect(body.closed).toBe(true);
      const httpBody = await rawExchange(
        Number(new URL(base).port),
        `GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n${'A'.repeat(65536)}`,
      );
      expect(httpBody.reply.toString()).toMatch(/^HTTP\/1\.1 413 /);
      await checkStillServing('3,000 UDP SETUPs and 1 GB bodies');

      // 500 idle connections: the server holds its limit (64, less what is open) and refuses the rest with 503.
      const idle: Socket[] = [];
      for (let i = 0; i < 500; i++) idle.push((await openSocket(rtspPort)).resume());
      held.push(...idle);
      const refused = (await Promise.all(idle.map((s) => closedWithin(s, 2_000)))).filter(Boolean).length;
      expect(refused).toBeGreaterThanOrEqual(500 - 64);
      sent += 10 + 1 + 3000 + 2 + 500;
      for (const socket of idle) socket.destroy();
      await sleep(500);
      await checkStillServing('500 idle connections');
      console.log(`500 idle connections: ${refused} refused with 503, ${500 - refused} held`);
    } finally {
      for (const socket of held) socket.destroy();
    }
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    console.log(
      `network fuzz summary: seed ${SEED}, requests sent ${sent}, crashes 0, agent RSS settled ${mib(settledRss)} MiB, ` +
        `max ${mib(maxRss)} MiB, players still served: ffprobe after every batch, watcher got ${mib(watcherBytes)} MiB`,
    );
  }, 300_000);
});
