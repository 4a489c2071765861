import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { openSource } from '../src/index.js';
import { settleFfmpegChildren } from './ffmpeg-children.js';

/** A UDP port free right now (bound, read, released). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** An encoder pushing MPEG-TS to `udp://127.0.0.1:<port>`, as a camera or encoder box does. */
function udpSender(port: number): ChildProcess {
  return spawn('/usr/bin/ffmpeg', [
    ...['-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10'],
    ...['-c:v', 'mpeg2video', '-g', '5', '-f', 'mpegts', `udp://127.0.0.1:${port}?pkt_size=1316`],
  ]);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const senders: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(senders.splice(0).map(stop));
  expect(await settleFfmpegChildren()).toEqual([]);
});

describe('live streams other than RTSP (real ffmpeg)', () => {
  it('keeps a udp:// source open through its sender stopping and coming back: offline, then frames again', async () => {
    const port = await freeUdpPort();
    senders.push(udpSender(port));
    const source = openSource({
      url: `udp://127.0.0.1:${port}`,
      streamId: 'udp-cam',
      // FFmpeg probes an MPEG-TS stream for up to 5 s (its default analyzeduration) before the first frame.
      stallTimeoutMs: 2000,
      connectTimeoutMs: 8000,
      reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
    });
    const states: string[] = [];
    const statusSub = source.status$.subscribe((s) => states.push(s.state));
    let latest = -1;
    const framesSub = source.frames$.subscribe((frame) => {
      latest = frame.seq;
    });
    try {
      await firstValueFrom(source.status$.pipe(filter((s) => s.state === 'online')));
      expect(latest).toBeGreaterThanOrEqual(0);
      // The sender goes away: a UDP stream has no end to read, so the stall watchdog notices the silence.
      await stop(senders.pop()!);
      await firstValueFrom(
        source.status$.pipe(filter((s) => s.state === 'stalled' || s.state === 'offline')),
      );
      const before = latest;
      senders.push(udpSender(port));
      await firstValueFrom(source.frames$.pipe(filter((frame) => frame.seq > before)));
      expect(states.filter((s) => s === 'online').length).toBeGreaterThanOrEqual(2);
      expect(source.stats().reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      framesSub.unsubscribe();
      statusSub.unsubscribe();
    }
  }, 60_000);
});
