import { execFile } from 'node:child_process';
import { type PixelFormat, pictureBytes, planesOf, resolveFfmpegPath } from '@rxvision/decode';
import { describe, expect, it } from 'vitest';
import { rgbToYuv } from '../src/draw/color.js';
import { cropPicture, fillRect } from '../src/draw/raster.js';
import { annotate, type Picture } from '../src/index.js';
import { labelColor } from '../src/internal.js';
import { encodeJpeg } from '../src/mqtt/snapshot.js';
import { makeTrack } from './fixtures.js';

function picture(format: PixelFormat, width: number, height: number): Picture {
  return { width, height, format, data: new Uint8Array(pictureBytes(format, width, height)).fill(128) };
}

/** Y, U, V of pixel (x, y): chroma read at (x >> 1, y >> 1). */
function yuvAt(image: Picture, x: number, y: number): number[] {
  const planes = planesOf(image.format, image.width, image.height);
  const luma = image.data[planes[0]!.offset + y * planes[0]!.stride + x]!;
  const c = planes[1]!;
  if (image.format === 'nv12') {
    const i = c.offset + (y >> 1) * c.stride + (x >> 1) * 2;
    return [luma, image.data[i]!, image.data[i + 1]!];
  }
  const v = planes[2]!;
  return [
    luma,
    image.data[c.offset + (y >> 1) * c.stride + (x >> 1)]!,
    image.data[v.offset + (y >> 1) * v.stride + (x >> 1)]!,
  ];
}

describe('drawing on the decoder’s YUV planes', () => {
  it.each(['yuv420p', 'nv12'] as const)(
    '%s: the box outline is the label colour’s Y, U, V where the track is; inside untouched',
    (format) => {
      const img = picture(format, 200, 120);
      annotate(img, [makeTrack(4, 0, { bbox: [40, 40, 120, 110], classId: 2 })], {
        thickness: 2,
        fontScale: 1,
      });
      const colour = [...rgbToYuv(labelColor(2))];
      expect(yuvAt(img, 40, 80)).toEqual(colour);
      expect(yuvAt(img, 41, 80)).toEqual(colour);
      expect(yuvAt(img, 119, 80)).toEqual(colour);
      expect(yuvAt(img, 80, 109)).toEqual(colour);
      expect(yuvAt(img, 80, 80)).toEqual([128, 128, 128]);
      expect(yuvAt(img, 37, 80)).toEqual([128, 128, 128]);
      // The label above the box: its background's colour, and dark glyph luma on that background's chroma.
      const labelRow = Array.from({ length: 60 }, (_, i) => yuvAt(img, 41 + i, 34));
      expect(labelRow.some((p) => p[0] === rgbToYuv([0, 0, 0])[0] && p[1] === colour[1])).toBe(true);
      expect(labelRow.some((p) => p.join() === colour.join())).toBe(true);
    },
  );

  it('odd sizes: a box clipped at the right and bottom edges fills the last luma and chroma samples', () => {
    const img = picture('yuv420p', 201, 121);
    fillRect(img, 190, 110, 400, 400, [255, 0, 0]);
    const red = [...rgbToYuv([255, 0, 0])];
    expect(yuvAt(img, 200, 120)).toEqual(red);
    expect(yuvAt(img, 190, 110)).toEqual(red);
    expect(yuvAt(img, 189, 110)[0]).toBe(128);
    expect(img.data.length).toBe(pictureBytes('yuv420p', 201, 121));
  });

  it('crops on even pixels, plane by plane', () => {
    const img = picture('yuv420p', 101, 61);
    fillRect(img, 20, 10, 40, 30, [0, 0, 255]);
    const { picture: crop, left, top } = cropPicture(img, 17, 9, 45, 35);
    expect([left, top, crop.width, crop.height, crop.format]).toEqual([16, 8, 29, 27, 'yuv420p']);
    expect(crop.data.length).toBe(pictureBytes('yuv420p', 29, 27));
    for (const [x, y] of [
      [0, 0],
      [4, 2],
      [23, 21],
      [28, 26],
    ] as const) {
      expect(yuvAt(crop, x, y)).toEqual(yuvAt(img, x + left, y + top));
    }
  });
});

describe('snapshot JPEG from YUV (real FFmpeg)', () => {
  it('encodes yuv420p as it is: a JPEG of the picture’s size, the drawn box in its colour', async () => {
    const img = picture('yuv420p', 321, 241);
    fillRect(img, 100, 60, 200, 180, [255, 56, 56]);
    const jpeg = await encodeJpeg(img, resolveFfmpegPath(), 90);
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const decoded = await decodeJpeg(jpeg);
    expect([decoded.width, decoded.height]).toEqual([321, 241]);
    const [r = 0, g = 0, b = 0] = decoded.rgb(150, 120);
    expect(Math.abs(r - 255)).toBeLessThan(30);
    expect(Math.abs(g - 56)).toBeLessThan(30);
    expect(Math.abs(b - 56)).toBeLessThan(30);
    const outside = decoded.rgb(20, 20);
    for (const c of outside) expect(Math.abs(c - 130)).toBeLessThan(20);
  });
});

/** Decodes a JPEG back to rgb24 with Debian's FFmpeg, reading its size with ffprobe. */
async function decodeJpeg(jpeg: Buffer) {
  const write = (args: string[]) =>
    new Promise<Buffer>((resolve, reject) => {
      const child = execFile(
        args[0]!,
        args.slice(1),
        { encoding: 'buffer', maxBuffer: 10 << 20 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
      child.stdin?.end(jpeg);
    });
  const probe = JSON.parse(
    (
      await write(['/usr/bin/ffprobe', '-v', 'error', '-show_streams', '-of', 'json', '-i', 'pipe:0'])
    ).toString(),
  ).streams[0] as { width: number; height: number };
  const raw = await write([
    '/usr/bin/ffmpeg',
    '-v',
    'error',
    '-i',
    'pipe:0',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
  expect(raw.length).toBe(probe.width * probe.height * 3);
  return {
    width: probe.width,
    height: probe.height,
    rgb: (x: number, y: number) => [
      ...raw.subarray((y * probe.width + x) * 3, (y * probe.width + x) * 3 + 3),
    ],
  };
}
