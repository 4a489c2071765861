import { readFileSync } from 'node:fs';
import { firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { decode, pictureBytes, planesOf } from '../src/index.js';
import { ffmpegChildren, settleFfmpegChildren } from './ffmpeg-children.js';
import { resolutionChange, tempDir } from './make-media.js';

const indoor = sharedPath('videos', 'people-walking-indoor.mp4');
const cmdline = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

afterEach(async () => {
  expect(await settleFfmpegChildren()).toEqual([]);
});

describe('frame pixel formats (real ffmpeg)', () => {
  it('delivers the full frame in the decoder’s yuv420p by default, planes back to back', async () => {
    const frame = await firstValueFrom(decode({ url: indoor, size: { width: 384, height: 216 } }));
    expect(frame.format).toBe('yuv420p');
    expect(frame.data.length).toBe((384 * 216 * 3) / 2);
    expect(planesOf('yuv420p', 384, 216).map((p) => p.offset)).toEqual([0, 384 * 216, (384 * 216 * 5) / 4]);
  });

  it('rgb24 only when the source asks for it', async () => {
    const frame = await firstValueFrom(
      decode({ url: indoor, size: { width: 384, height: 216 }, pixelFormat: 'rgb24' }),
    );
    expect([frame.format, frame.data.length]).toEqual(['rgb24', 384 * 216 * 3]);
  });

  it('odd sizes keep their last chroma column and row', async () => {
    const frame = await firstValueFrom(decode({ url: indoor, size: { width: 333, height: 187 } }));
    expect(pictureBytes('yuv420p', 333, 187)).toBe(333 * 187 + 2 * 167 * 94);
    expect([frame.format, frame.data.length]).toEqual(['yuv420p', 333 * 187 + 2 * 167 * 94]);
  });

  it('fullFrame: false — FFmpeg writes the model input alone (one rawvideo output on its command line)', async () => {
    const lines: string[][] = [];
    const frames = await firstValueFrom(
      decode({ url: indoor, modelInput: { width: 320, height: 320 }, fullFrame: false }).pipe(
        tap(() => {
          if (lines.length === 0) for (const pid of ffmpegChildren()) lines.push(cmdline(pid));
        }),
        take(3),
        toArray(),
      ),
    );
    expect(frames.map((f) => [f.format, f.data.length, f.modelInput?.data.length])).toEqual(
      Array(3).fill(['none', 0, 320 * 320 * 3]),
    );
    expect(frames[0]).toMatchObject({ width: 768, height: 432 });
    const args = lines.find((l) => l.includes('-filter_complex'))!;
    expect(args.filter((a) => a === 'rawvideo')).toHaveLength(1);
    expect(args).toContain('pipe:1');
    expect(args).not.toContain('pipe:3');
    expect(args).toContain('[model]');
    expect(args).not.toContain('[full]');
    expect(args[args.indexOf('-filter_complex') + 1]).not.toMatch(/split/);
  });

  it('with the full frame, both outputs are on the command line: yuv420p on stdout, the rgb24 letterbox on fd 3', async () => {
    const lines: string[][] = [];
    const frame = await firstValueFrom(
      decode({ url: indoor, modelInput: { width: 320, height: 320 } }).pipe(
        tap(() => {
          if (lines.length === 0) for (const pid of ffmpegChildren()) lines.push(cmdline(pid));
        }),
      ),
    );
    expect([frame.format, frame.data.length, frame.modelInput?.data.length]).toEqual([
      'yuv420p',
      (768 * 432 * 3) / 2,
      320 * 320 * 3,
    ]);
    const args = lines.find((l) => l.includes('-filter_complex'))!.join(' ');
    expect(args).toMatch(/-map \[full\] -f rawvideo -pix_fmt yuv420p .*pipe:1/);
    expect(args).toMatch(/-map \[model\] -f rawvideo -pix_fmt rgb24 .*pipe:3/);
  });

  it('a resolution change mid-stream keeps yuv420p frames at the opened size, odd widths included', async () => {
    // H.264 4:2:0 streams have even sizes; the odd size comes from FFmpeg scaling to `size`.
    const file = resolutionChange(tempDir(), '320x240', '640x360');
    const sizes = async (size?: { width: number; height: number }) => {
      const frames = await lastValueFrom(
        decode({ url: file, modelInput: { width: 160, height: 160 }, ...(size ? { size } : {}) }).pipe(
          toArray(),
        ),
      );
      expect(frames.length).toBeGreaterThanOrEqual(18);
      return new Set(
        frames.map((f) => `${f.format}:${f.width}x${f.height}:${f.data.length}:${f.modelInput?.data.length}`),
      );
    };
    expect(await sizes()).toEqual(new Set([`yuv420p:320x240:${(320 * 240 * 3) / 2}:${160 * 160 * 3}`]));
    expect(await sizes({ width: 321, height: 241 })).toEqual(
      new Set([`yuv420p:321x241:${pictureBytes('yuv420p', 321, 241)}:${160 * 160 * 3}`]),
    );
  });
});
