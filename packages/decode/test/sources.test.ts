import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { filter, firstValueFrom, lastValueFrom, map, take, timeout, timer, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { ffmpegInput, filterGraph, sourceInputArgs } from '../src/ffmpeg-args.js';
import { decode, isLive, letterbox, openSource, sourceKind } from '../src/index.js';
import { settleFfmpegChildren } from './ffmpeg-children.js';
import { tempDir, testPattern } from './make-media.js';

const indoor = sharedPath('videos', 'people-walking-indoor.mp4');

afterEach(async () => {
  expect(await settleFfmpegChildren()).toEqual([]);
});

describe('source kinds and their FFmpeg input arguments', () => {
  it('recognises every kind of URL', () => {
    expect(
      [
        'rtsp://c/x',
        'RTSPS://c/x',
        'http://c/m.mjpg',
        'https://c/i.m3u8',
        '/dev/video0',
        'v4l2:///dev/video2',
        'lavfi:testsrc',
        'a.mp4',
        'file:///a.mp4',
        'rtmp://c/live/x',
        'RTMPS://c/live/x',
        'srt://c:9000?mode=caller',
        'udp://127.0.0.1:5000',
        'rtp://239.0.0.1:5004',
      ].map(sourceKind),
    ).toEqual([
      'rtsp',
      'rtsp',
      'http',
      'http',
      'v4l2',
      'v4l2',
      'lavfi',
      'file',
      'file',
      'stream',
      'stream',
      'stream',
      'stream',
      'stream',
    ]);
    expect(['v4l2:///dev/video2', 'lavfi:testsrc', 'file:///a.mp4', 'rtsp://c/x'].map(ffmpegInput)).toEqual([
      '/dev/video2',
      'testsrc',
      '/a.mp4',
      'rtsp://c/x',
    ]);
  });

  it('shortens the 5 s stream analysis for MPEG-TS-style live streams, as for RTSP', () => {
    expect(sourceInputArgs({ url: 'udp://127.0.0.1:5000' })).toEqual(['-analyzeduration', '1000000']);
    expect(ffmpegInput('srt://cam:9000?mode=caller')).toBe('srt://cam:9000?mode=caller');
  });

  it('uses RTSP over TCP unless told UDP, and puts inputArgs last so they win', () => {
    expect(sourceInputArgs({ url: 'rtsp://c/x' }).slice(0, 2)).toEqual(['-rtsp_transport', 'tcp']);
    expect(sourceInputArgs({ url: 'rtsp://c/x', rtspTransport: 'udp' }).slice(0, 2)).toEqual([
      '-rtsp_transport',
      'udp',
    ]);
    expect(sourceInputArgs({ url: '/dev/video0', inputArgs: ['-input_format', 'mjpeg'] })).toEqual([
      '-f',
      'v4l2',
      '-input_format',
      'mjpeg',
    ]);
    expect(sourceInputArgs({ url: 'a.mp4', realtime: true, loop: true })).toEqual([
      '-re',
      '-stream_loop',
      '-1',
    ]);
  });

  it('builds one graph (rgb24 asked for): each branch scales from the decoded frame, the model input is padded grey 114', () => {
    const box = letterbox(1920, 1080, 640, 640);
    expect(filterGraph({ width: 1920, height: 1080, fps: 5, letterbox: box, full: 'rgb24' })).toBe(
      '[0:v]fps=5,split=2[s0][s1];[s0]scale=1920:1080:flags=bilinear,format=rgb24[full];' +
        '[s1]scale=640:360:flags=bilinear,format=rgb24,pad=640:640:0:140:color=0x727272[model]',
    );
    expect(filterGraph({ width: 640, height: 360, fps: undefined, letterbox: box, full: 'rgb24' })).toBe(
      '[0:v]scale=640:360:flags=bilinear,format=rgb24,split=2[full][s1];[s1]pad=640:640:0:140:color=0x727272[model]',
    );
    expect(
      filterGraph({ width: 320, height: 240, fps: undefined, letterbox: undefined, full: 'rgb24' }),
    ).toBe('[0:v]scale=320:240:flags=bilinear,format=rgb24[full]');
  });

  it('treats cameras and looped files as live, plain files as finite', () => {
    expect([
      isLive({ url: 'rtsp://c/x' }),
      isLive({ url: 'a.mp4', loop: true }),
      isLive({ url: 'a.mp4' }),
      isLive({ url: 'rtsp://c/x', live: false }),
      ...['rtmp://c/live/x', 'srt://c:9000', 'udp://127.0.0.1:5000', 'rtp://239.0.0.1:5004'].map((url) =>
        isLive({ url }),
      ),
    ]).toEqual([true, true, false, false, true, true, true, true]);
  });
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('sources (real ffmpeg)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('decodes an FFmpeg test source (lavfi)', async () => {
    const frames = await firstValueFrom(
      decode({ url: 'lavfi:testsrc2=size=320x240:rate=10' }).pipe(take(3), toArray()),
    );
    expect(frames.map((f) => [f.seq, f.width, f.height])).toEqual([
      [0, 320, 240],
      [1, 320, 240],
      [2, 320, 240],
    ]);
  });

  it('decodes progressive MP4 over HTTP', async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': statSync(indoor).size });
      createReadStream(indoor).pipe(res);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const frames = await firstValueFrom(
      decode({ url: `http://127.0.0.1:${port}/lobby.mp4` }).pipe(take(3), toArray()),
    );
    expect(frames.map((f) => [f.width, f.height])).toEqual(Array(3).fill([768, 432]));
  });

  it('decodes an MJPEG camera over HTTP (multipart/x-mixed-replace)', async () => {
    // Each request gets its own live MJPEG stream from Debian's FFmpeg, as an IP camera's /video.mjpg does.
    server = createServer((_req, res) => {
      const camera = spawn('/usr/bin/ffmpeg', [
        ...['-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10'],
        ...['-f', 'mpjpeg', '-boundary_tag', 'frame', 'pipe:1'],
      ]);
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace;boundary=frame' });
      camera.stdout.pipe(res);
      res.once('close', () => camera.kill('SIGKILL'));
    });
    const base = await listen(server);
    const frames = await firstValueFrom(decode({ url: `${base}/video.mjpg` }).pipe(take(3), toArray()));
    expect(frames.map((f) => [f.width, f.height])).toEqual(Array(3).fill([320, 240]));
  });

  it('decodes an HLS playlist over HTTP', async () => {
    const dir = tempDir();
    execFileSync('/usr/bin/ffmpeg', [
      ...['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10', '-t', '3'],
      ...[
        '-c:v',
        'libx264',
        '-g',
        '10',
        '-f',
        'hls',
        '-hls_time',
        '1',
        '-hls_list_size',
        '0',
        join(dir, 'index.m3u8'),
      ],
    ]);
    server = createServer((req, res) => {
      const file = join(dir, basename(req.url ?? ''));
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200);
      createReadStream(file).pipe(res);
    });
    const base = await listen(server);
    const frames = await firstValueFrom(decode({ url: `${base}/live/index.m3u8` }).pipe(take(15), toArray()));
    expect(frames.map((f) => f.seq)).toEqual([...Array(15).keys()]);
    expect(frames[14]).toMatchObject({ width: 320, height: 240 });
  });

  it('loops a file forever, with seq counting on', async () => {
    const clip = testPattern(tempDir(), 'one-second.mp4', '160x120');
    const frames = await firstValueFrom(decode({ url: clip, loop: true }).pipe(take(25), toArray()));
    expect(frames.map((f) => f.seq)).toEqual([...Array(25).keys()]);
  });

  it('plays a file no faster than its native rate with realtime', async () => {
    const clip = testPattern(tempDir(), 'two-seconds.mp4', '160x120', 2);
    const started = Date.now();
    const frames = await lastValueFrom(decode({ url: clip, realtime: true }).pipe(toArray()));
    expect(frames).toHaveLength(20);
    // A lower bound only: a slow machine can take longer, never shorter than the clip.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });

  it('keeps only the newest frame while downstream is busy, and counts the drops', async () => {
    const source = openSource({ url: 'lavfi:testsrc2=size=320x240:rate=100', streamId: 'fast' });
    const processed = await firstValueFrom(
      source.frames$.pipe(
        source.newestWhileBusy((frame) => timer(50).pipe(map(() => frame.seq))),
        take(10),
        toArray(),
      ),
    );
    const { frames, drops } = source.stats();
    // Every frame was either processed, dropped, or is the one waiting (or in flight) at the end.
    expect(frames - drops - processed.length).toBeGreaterThanOrEqual(0);
    expect(frames - drops - processed.length).toBeLessThanOrEqual(2);
    expect(drops).toBeGreaterThan(0);
    // The newest frame runs next, so processed seqs jump forward.
    expect(processed.at(-1)! - processed[0]!).toBeGreaterThan(processed.length);
  });

  it('passes outputArgs through (here: stop after two frames)', async () => {
    const frames = await lastValueFrom(
      decode({ url: indoor, outputArgs: ['-frames:v', '2'] }).pipe(toArray()),
    );
    expect(frames).toHaveLength(2);
  });

  it.each(['cuda', 'nvmpi', 'nvv4l2', 'vaapi', 'qsv', 'videotoolbox'] as const)(
    'falls back to software, saying why, when hwaccel %s is not available',
    async (hwaccel) => {
      const source = openSource({ url: indoor, hwaccel, streamId: 'hw' });
      const warning = firstValueFrom(
        source.status$.pipe(
          filter((s) => /decoding in software/.test(s.reason ?? '')),
          timeout(20_000),
        ),
      );
      const frames = await firstValueFrom(source.frames$.pipe(take(2), toArray()));
      expect(frames).toHaveLength(2);
      expect((await warning).reason).toMatch(new RegExp(`camera hw: .*${hwaccel}`));
    },
  );
});
