import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type PixelFormat, silentLogger } from '@rxvision/decode';
import { interval, lastValueFrom, map, type Subscription, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createRtspServer, type RtspServer, toRtsp } from '../src/index.js';
import { labelColor } from '../src/internal.js';
import { greyFrame, makeTrack, trackedFrame } from './fixtures.js';

const run = promisify(execFile);
const BOX = [100, 60, 200, 180] as const;

/** A 10 fps, 320×240 camera whose one person sits still in BOX. */
function camera(
  server: RtspServer,
  frames = 200,
  extra: Partial<Parameters<typeof toRtsp>[1]> = {},
  format: PixelFormat = 'yuv420p',
): Subscription {
  const t0 = Date.now();
  return interval(100)
    .pipe(
      take(frames),
      map((i) =>
        trackedFrame(greyFrame('cam', i, t0 + i * 100, 320, 240, format), [makeTrack(3, t0, { bbox: BOX })]),
      ),
      toRtsp(server, { camera: 'cam', ...extra }),
    )
    .subscribe();
}

async function ffprobe(url: string, transport: 'tcp' | 'udp' = 'tcp') {
  const { stdout } = await run(
    '/usr/bin/ffprobe',
    ['-v', 'error', '-rtsp_transport', transport, '-show_streams', '-of', 'json', url],
    {
      timeout: 30_000,
    },
  );
  return JSON.parse(stdout).streams[0];
}

describe('toRtsp: the annotated restream read by real ffprobe/ffmpeg', () => {
  let server: RtspServer | undefined;
  let feed: Subscription | undefined;
  afterEach(async () => {
    feed?.unsubscribe();
    await server?.close();
  });

  it.each(['yuv420p', 'nv12', 'rgb24'] as const)(
    '%s frames: H.264 at the camera resolution and frame rate, the box drawn where the track is',
    async (format) => {
      server = await createRtspServer({ port: 0, host: '127.0.0.1' });
      feed = camera(server, 200, {}, format);
      const url = server.url('/cam-annotated');
      await new Promise((r) => setTimeout(r, 800));

      const stream = await ffprobe(url);
      expect(stream).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
      expect(stream.r_frame_rate).toBe('10/1');

      // One decoded frame over UDP: the box edge has the label colour, its inside stays grey.
      const { stdout } = await run(
        '/usr/bin/ffmpeg',
        [
          '-v',
          'error',
          '-rtsp_transport',
          'udp',
          '-i',
          url,
          '-frames:v',
          '1',
          '-f',
          'rawvideo',
          '-pix_fmt',
          'rgb24',
          'pipe:1',
        ],
        { encoding: 'buffer', timeout: 30_000, maxBuffer: 10 << 20 },
      );
      expect(stdout.length).toBe(320 * 240 * 3);
      const pixel = (x: number, y: number) => [...stdout.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3)];
      const [r, g, b] = labelColor(0);
      const edge = pixel(BOX[0] + 1, 120);
      expect(Math.abs(edge[0]! - r)).toBeLessThan(40);
      expect(Math.abs(edge[1]! - g)).toBeLessThan(40);
      expect(Math.abs(edge[2]! - b)).toBeLessThan(40);
      const inside = pixel(150, 130);
      for (const c of inside) expect(Math.abs(c - 128)).toBeLessThan(20);
      const outside = pixel(260, 220);
      for (const c of outside) expect(Math.abs(c - 128)).toBeLessThan(20);
    },
  );

  it('asks for credentials when configured and serves players that give them', async () => {
    server = await createRtspServer({
      port: 0,
      host: '127.0.0.1',
      credentials: { username: 'viewer', password: 's3cret' },
    });
    feed = camera(server);
    await new Promise((r) => setTimeout(r, 800));
    await expect(ffprobe(server.url('/cam-annotated'))).rejects.toThrow(/401|Unauthorized/);
    const stream = await ffprobe(`rtsp://viewer:s3cret@127.0.0.1:${server.port}/cam-annotated`);
    expect(stream).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
  });

  it('restarts an encoder that keeps dying with backoff, not on every frame, and passes every frame on', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    const warnings: string[] = [];
    const t0 = Date.now();
    // 60 frames at 20 fps into an encoder FFmpeg does not have: it exits at once, every time.
    const out = await lastValueFrom(
      interval(50).pipe(
        take(60),
        map((i) => trackedFrame(greyFrame('cam', i, t0 + i * 50, 320, 240), [])),
        toRtsp(server, {
          camera: 'cam',
          fps: 20,
          encoder: 'h264_rxvision_missing',
          restartBackoff: { initialDelayMs: 1000, factor: 2, jitter: 0 },
          logger: { ...silentLogger, warn: (m) => warnings.push(m) },
        }),
        toArray(),
      ),
    );
    expect(out).toHaveLength(60);
    // Started at 0 s, then at ≥ 1 s and ≥ 3 s after the failures: a start per frame would be ~30.
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings.length).toBeLessThanOrEqual(3);
    expect(warnings[0]).toMatch(/h264_rxvision_missing.*restarting in 1\.0 s/s);
    expect(warnings[1]).toMatch(/restarting in 2\.0 s/);
  });

  it('answers 404 for a camera it does not serve', async () => {
    server = await createRtspServer({ port: 0, host: '127.0.0.1' });
    feed = camera(server, 30);
    await expect(ffprobe(server.url('/nope-annotated'))).rejects.toThrow(/404|Not Found/);
  });
});
