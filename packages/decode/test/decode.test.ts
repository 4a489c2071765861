import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { DecodeError, decode, letterbox, readImage } from '../src/index.js';
import { ffmpegChildren, settleFfmpegChildren } from './ffmpeg-children.js';

const indoor = sharedPath('videos', 'people-walking-indoor.mp4');
const bus = sharedPath('images', 'yolov7', 'bus.jpg');

function rowsAreGrey(data: Uint8Array, width: number, fromRow: number, toRow: number): boolean {
  for (let i = fromRow * width * 3; i < toRow * width * 3; i++) if (data[i] !== 114) return false;
  return true;
}

afterEach(async () => {
  expect(await settleFfmpegChildren()).toEqual([]);
});

describe('decode (real ffmpeg)', () => {
  it('emits yuv420p frames with stream id, increasing seq and pts, and a letterboxed model input', async () => {
    const frames = await firstValueFrom(
      decode({ url: indoor, streamId: 'lobby', modelInput: { width: 640, height: 640 } }).pipe(
        take(4),
        toArray(),
      ),
    );
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2, 3]);
    expect(frames.map((f) => f.pts)).toEqual(
      [0, 0.1, 0.2, 0.30000000000000004].map((p) => expect.closeTo(p, 6)),
    );
    const frame = frames[3]!;
    expect(frame).toMatchObject({ streamId: 'lobby', width: 768, height: 432, format: 'yuv420p' });
    expect(frame.data.length).toBe((768 * 432 * 3) / 2);
    expect(frame.capturedAt).toBeGreaterThan(Date.now() - 60_000);
    const model = frame.modelInput!;
    expect(model).toMatchObject({
      width: 640,
      height: 640,
      format: 'rgb24',
      letterbox: letterbox(768, 432, 640, 640),
    });
    // 768x432 → 640x360 with 140 grey rows above and below, as YOLOv7 pads.
    expect(rowsAreGrey(model.data, 640, 0, 140)).toBe(true);
    expect(rowsAreGrey(model.data, 640, 500, 640)).toBe(true);
    expect(rowsAreGrey(model.data, 640, 140, 141)).toBe(false);
    expect(rowsAreGrey(model.data, 640, 499, 500)).toBe(false);
  });

  it('scales the frame to size in FFmpeg and letterboxes the model input from it', async () => {
    const frame = await firstValueFrom(
      decode({ url: indoor, size: { width: 384, height: 216 }, modelInput: { width: 320, height: 320 } }),
    );
    expect([frame.width, frame.height, frame.data.length]).toEqual([384, 216, (384 * 216 * 3) / 2]);
    expect(frame.modelInput?.letterbox).toEqual(letterbox(384, 216, 320, 320));
    expect(rowsAreGrey(frame.modelInput!.data, 320, 0, 70)).toBe(true);
    expect(rowsAreGrey(frame.modelInput!.data, 320, 70, 71)).toBe(false);
  });

  it('caps the frame rate in FFmpeg with fps', async () => {
    const frames = await firstValueFrom(decode({ url: indoor, fps: 5 }).pipe(take(3), toArray()));
    expect(frames.map((f) => f.pts)).toEqual([0, 0.2, 0.4]);
  });

  it('kills FFmpeg when the subscriber unsubscribes: no ffmpeg child left in the process table', async () => {
    const seen: number[] = [];
    await new Promise<void>((resolve) => {
      const subscription = decode({ url: indoor, realtime: true, loop: true }).subscribe(() => {
        seen.push(...ffmpegChildren());
        subscription.unsubscribe();
        resolve();
      });
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(await settleFfmpegChildren()).toEqual([]);
  });

  it('errors with a DecodeError naming the file and carrying the tail of FFmpeg stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-decode-'));
    const garbage = join(dir, 'garbage.mp4');
    writeFileSync(garbage, Buffer.alloc(4096, 7));
    const error = await firstValueFrom(decode({ url: garbage, streamId: 'junk' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).kind).toBe('corrupt');
    expect((error as DecodeError).message).toMatch(/camera junk .*garbage\.mp4.*corrupt/);
    expect((error as DecodeError).stderrTail).toMatch(/Invalid data|moov/);
  });

  it('says which FFmpeg binary it could not run, and how to point at another', async () => {
    const error = await firstValueFrom(decode({ url: indoor, ffmpegPath: '/nonexistent/ffmpeg' })).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /cannot run FFmpeg at \/nonexistent\/ffmpeg.*ffmpegPath or FFMPEG_PATH/,
    );
  });

  it('reports a missing file as not-found', async () => {
    const error = await firstValueFrom(decode({ url: '/nonexistent/clip.mp4' })).catch((e: unknown) => e);
    expect((error as DecodeError).kind).toBe('not-found');
  });
});

describe('readImage (real ffmpeg)', () => {
  it('reads a JPEG at full size with its letterboxed model input', async () => {
    const frame = await readImage(bus, { modelInput: { width: 640, height: 640 } });
    expect(frame).toMatchObject({ streamId: 'bus.jpg', width: 810, height: 1080, seq: 0 });
    expect(frame.data.length).toBe(810 * 1080 * 3);
    const model = frame.modelInput!;
    // 810x1080 → 480x640, 80 grey columns left and right.
    expect(model.letterbox).toMatchObject({ resizedWidth: 480, resizedHeight: 640, padLeft: 80, padTop: 0 });
    const pixel = (x: number, y: number) => [
      ...model.data.subarray((y * 640 + x) * 3, (y * 640 + x) * 3 + 3),
    ];
    expect([pixel(0, 0), pixel(79, 320), pixel(560, 320), pixel(639, 639)]).toEqual(
      Array(4).fill([114, 114, 114]),
    );
    expect(pixel(320, 320)).not.toEqual([114, 114, 114]);
  });

  it('decodes a PNG too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-png-'));
    const png = join(dir, 'bus.png');
    const { execFileSync } = await import('node:child_process');
    execFileSync('/usr/bin/ffmpeg', ['-loglevel', 'error', '-i', bus, '-vf', 'scale=405:540', png]);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const frame = await readImage(png);
    expect([frame.width, frame.height, frame.modelInput]).toEqual([405, 540, undefined]);
  });

  it('names the file it could not read', async () => {
    await expect(readImage('/nonexistent/photo.jpg')).rejects.toThrow(/photo\.jpg.*no such stream or file/);
  });
});
