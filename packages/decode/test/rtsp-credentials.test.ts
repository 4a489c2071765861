import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RtspCamera, startRtspCamera } from '../../../testing/rtsp-camera.js';
import { sharedPath } from '../../../testing/shared.js';
import { decode } from '../src/index.js';
import { ffmpegChildren, settleFfmpegChildren } from './ffmpeg-children.js';

const clip = sharedPath('videos', 'people-walking-indoor.mp4');
const PASSWORD = "pa ss@w'rd%";
// Debian's FFmpeg 5.1 (CI installs it): its concat demuxer takes the `option` lines the script needs.
const ffmpegPath = '/usr/bin/ffmpeg';

const cmdline = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
const scripts = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('rxvision-'));

describe('RTSP credentials stay off FFmpeg command lines (real GStreamer RTSP server)', () => {
  let camera: RtspCamera;
  beforeAll(async () => {
    camera = await startRtspCamera({ clip, user: 'viewer', password: PASSWORD });
  });
  afterAll(() => camera.stop());
  afterEach(async () => {
    expect(await settleFfmpegChildren()).toEqual([]);
  });

  it('decodes with a password holding a space, @, a quote and %, which no ps line shows', async () => {
    const before = scripts();
    const seen: string[] = [];
    const frames = await firstValueFrom(
      decode({ url: camera.url, streamId: 'cam', ffmpegPath }).pipe(take(5), toArray()),
    ).then((f) => f);
    expect(frames.map((f) => [f.width, f.height])).toEqual(Array(5).fill([768, 432]));
    // A second run, looked at while it runs.
    const running = decode({ url: camera.url, streamId: 'cam', ffmpegPath }).subscribe(() => {
      for (const pid of ffmpegChildren()) seen.push(cmdline(pid));
    });
    await new Promise((r) => setTimeout(r, 3000));
    running.unsubscribe();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.join('\n')).not.toContain(encodeURIComponent(PASSWORD));
    expect(seen.join('\n')).not.toContain('viewer:');
    expect(seen[0]).toContain('-f concat');
    // The 0600 script is gone once FFmpeg is.
    await settleFfmpegChildren();
    expect(scripts()).toEqual(before);
  });

  it('keeps the URL on the command line when input_args are given (documented limit)', async () => {
    const seen: string[] = [];
    const running = decode({
      url: camera.url,
      streamId: 'cam',
      ffmpegPath,
      inputArgs: ['-probesize', '5000000'],
    }).subscribe(() => {
      for (const pid of ffmpegChildren()) seen.push(cmdline(pid));
    });
    await new Promise((r) => setTimeout(r, 3000));
    running.unsubscribe();
    expect(seen.join('\n')).toContain('viewer:');
  });
});
