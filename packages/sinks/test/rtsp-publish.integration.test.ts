import { spawn } from 'node:child_process';
import { interval, map, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { createRtspServer, toRtsp } from '../src/index.js';
import { greyFrame, makeTrack, trackedFrame } from './fixtures.js';

describe('toRtsp publishUrl', () => {
  it('pushes the annotated stream to an external RTSP server (a real ffmpeg in listen mode) while serving it locally', async () => {
    const port = await freePort();
    const target = `rtsp://127.0.0.1:${port}/front`;
    // FFmpeg as the external server: accepts one ANNOUNCE/RECORD publisher and decodes what arrives.
    const receiver = spawn(
      '/usr/bin/ffmpeg',
      ['-v', 'error', '-rtsp_flags', 'listen', '-i', target, '-frames:v', '5', '-f', 'framemd5', '-'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    receiver.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    receiver.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => receiver.once('exit', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 500));

    const server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    const t0 = Date.now();
    const feed = interval(100)
      .pipe(
        take(100),
        map((i) =>
          trackedFrame(greyFrame('front', i, t0 + i * 100, 320, 240), [
            makeTrack(1, t0, { bbox: [50, 50, 150, 150] }),
          ]),
        ),
        toRtsp(server, { camera: 'front', fps: 10, publishUrl: target }),
      )
      .subscribe();
    try {
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000));
      const code = await Promise.race([exited, timeout]);
      expect({ code, err: err.slice(-300) }).toMatchObject({ code: 0 });
      // framemd5 lists one line per decoded frame: five frames came through the external push.
      expect(out.split('\n').filter((l) => /^0,/.test(l))).toHaveLength(5);
      // The local stream got the same pictures through the tee: its parameter sets are known.
      const local = server.mount('/front-annotated');
      expect(local.sps?.length).toBeGreaterThan(3);
      expect(local.lastTimestamp).toBeGreaterThan(0);
    } finally {
      feed.unsubscribe();
      receiver.kill('SIGKILL');
      await server.close();
    }
  });
});
