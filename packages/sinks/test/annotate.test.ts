import { describe, expect, it } from 'vitest';
import { annotate } from '../src/index.js';
import { labelColor } from '../src/internal.js';
import { makeTrack } from './fixtures.js';

const image = () => ({
  width: 200,
  height: 120,
  format: 'rgb24' as const,
  data: new Uint8Array(200 * 120 * 3).fill(50),
});
const at = (img: ReturnType<typeof image>, x: number, y: number) => [
  ...img.data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3),
];

describe('annotate', () => {
  it('draws the box outline in the label colour and leaves its inside untouched', () => {
    const img = image();
    annotate(img, [makeTrack(4, 0, { bbox: [40, 40, 120, 110], classId: 2 })], {
      thickness: 2,
      fontScale: 1,
    });
    expect(at(img, 40, 80)).toEqual([...labelColor(2)]);
    expect(at(img, 119, 80)).toEqual([...labelColor(2)]);
    expect(at(img, 80, 109)).toEqual([...labelColor(2)]);
    expect(at(img, 80, 80)).toEqual([50, 50, 50]);
    // The label sits above the box on the label colour, with dark glyph pixels in it.
    const labelRow = Array.from({ length: 60 }, (_, i) => at(img, 41 + i, 34));
    expect(labelRow.some((p) => p[0] === 0 && p[1] === 0 && p[2] === 0)).toBe(true);
    expect(labelRow.some((p) => p.join() === labelColor(2).join())).toBe(true);
  });

  it('draws zones and lines, clipping what falls outside the frame', () => {
    const img = image();
    annotate(img, [], {
      thickness: 1,
      zones: [
        {
          name: 'porch',
          points: [
            [10, 100],
            [190, 100],
            [190, 119],
            [10, 119],
          ],
        },
      ],
      lines: [
        {
          name: 'gate',
          points: [
            [100, -50],
            [100, 500],
          ],
        },
      ],
    });
    expect(at(img, 150, 100)).toEqual([255, 255, 0]);
    expect(at(img, 100, 60)).toEqual([0, 255, 255]);
    expect(at(img, 50, 60)).toEqual([50, 50, 50]);
  });
});
