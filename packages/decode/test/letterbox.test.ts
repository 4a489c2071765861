import { describe, expect, it } from 'vitest';
import { letterbox, unletterboxPoint } from '../src/letterbox.js';

describe('letterbox', () => {
  it('fits a landscape frame into 640x640 with centred vertical padding, as YOLOv7 does', () => {
    // 768x432 (the shared indoor clip) → scale 640/768, 640x360, pad 140 top and bottom.
    const box = letterbox(768, 432, 640, 640);
    expect(box.scale).toBeCloseTo(640 / 768, 12);
    expect([box.resizedWidth, box.resizedHeight, box.padLeft, box.padTop]).toEqual([640, 360, 0, 140]);
  });

  it('rounds odd padding the YOLOv7 way (smaller half on the left/top)', () => {
    // 810x1080 (bus.jpg) → 480x640, dw = 80 → left 80; 1000x999 → 640x639, dh = 0.5 → top 0.
    expect(letterbox(810, 1080, 640, 640).padLeft).toBe(80);
    const odd = letterbox(1000, 999, 640, 640);
    expect([odd.resizedHeight, odd.padTop]).toEqual([639, 0]);
  });

  it('maps input pixels back to source pixels and clamps to the frame', () => {
    const box = letterbox(768, 432, 640, 640);
    expect(unletterboxPoint(box, 320, 320)).toEqual([384, 216]);
    expect(unletterboxPoint(box, -5, 10)).toEqual([0, 0]);
  });

  it('refuses empty sizes with a message naming them', () => {
    expect(() => letterbox(0, 10, 640, 640)).toThrow(/0x10/);
  });
});
