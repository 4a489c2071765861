import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  decodeDeepStreamYolo,
  decodeDeepStreamYoloSplit,
  decodeEfficientNms,
  decodeEnd2End,
  decodeGrid,
  decodeRawHeads,
  floatToHalf,
  halfToFloat,
  nms,
  parseNamesMetadata,
  YOLOV7_TINY_ANCHORS,
  YOLOV7_W6_ANCHORS,
} from '../src/internal.js';

describe('EfficientNMS decoder', () => {
  it('reads the first num_dets rows of each image, int32 or int64 counts', () => {
    const boxes = new Float32Array([
      ...[10, 20, 110, 220, ...[1, 2, 3, 4], ...[0, 0, 0, 0]],
      ...[5, 6, 50, 60, ...[7, 8, 70, 80], ...[9, 9, 99, 99]],
    ]);
    const common = {
      boxes: new Tensor('float32', boxes, [2, 3, 4]),
      scores: new Tensor('float32', new Float32Array([0.9, 0.3, 0, 0.8, 0.7, 0.6]), [2, 3]),
      classes: new Tensor('int32', new Int32Array([0, 5, 0, 16, 2, 7]), [2, 3]),
    };
    for (const numDets of [
      new Tensor('int32', new Int32Array([2, 3]), [2, 1]),
      new Tensor('int64', new BigInt64Array([2n, 3n]), [2, 1]),
    ]) {
      const [first, second] = decodeEfficientNms({ ...common, numDets }, 2, 0.5);
      expect(first).toEqual([
        { x1: 10, y1: 20, x2: 110, y2: 220, score: expect.closeTo(0.9, 6), classId: 0 },
      ]);
      expect(second!.map((c) => c.classId)).toEqual([16, 2, 7]);
      expect(second![2]).toMatchObject({ x1: 9, y1: 9, x2: 99, y2: 99 });
    }
  });
});

describe('raw-head decoder (YOLOv7 IDetect without --grid)', () => {
  it('applies sigmoid, grid offsets, strides and anchors, and skips cells under the threshold', () => {
    const size = 64;
    const heads = [8, 4, 2].map((cells, level) => {
      const data = new Float32Array(3 * cells * cells * 85).fill(-20);
      if (level === 1) {
        // Anchor 2 of the stride-16 head, cell (x 1, y 2): tx = ty = 0, tw = ln 3, th = 0.
        const o = ((2 * cells + 2) * cells + 1) * 85;
        data.set([0, 0, Math.log(3), 0, 3], o);
        data[o + 5 + 7] = 2;
      }
      return { name: `head${level}`, tensor: new Tensor('float32', data, [1, 3, cells, cells, 85]) };
    });
    const [boxes] = decodeRawHeads(heads, YOLOV7_TINY_ANCHORS, size, 1, 0.25);
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    // xy = (2σ(0) − 0.5 + cell) × 16 = (24, 40); w = (2σ(ln 3))² × 59 = 132.75; h = 1² × 119.
    expect(boxes).toHaveLength(1);
    const box = boxes![0]!;
    expect(box.classId).toBe(7);
    expect(box.score).toBeCloseTo(sigmoid(3) * sigmoid(2), 6);
    expect([box.x1, box.y1, box.x2, box.y2].map((v) => +v.toFixed(3))).toEqual([
      24 - 66.375,
      40 - 59.5,
      24 + 66.375,
      40 + 59.5,
    ]);
  });

  it('refuses anchors that do not match the heads', () => {
    const head = { name: 'h', tensor: new Tensor('float32', new Float32Array(3 * 85), [1, 3, 1, 1, 85]) };
    expect(() => decodeRawHeads([head], YOLOV7_TINY_ANCHORS, 32, 1, 0.25)).toThrow(
      /1 heads but 3 anchor sets/,
    );
  });
});

describe('grid and end-to-end decoders', () => {
  it('scores grid rows as objectness × best class and reads float16 outputs the same', () => {
    const rows = [
      [100, 100, 20, 40, 0.9, 0.1, 0.8],
      [50, 50, 10, 10, 0.2, 0.9, 0.1],
      [10, 10, 4, 4, 0.6, 0.3, 0.5],
    ].flat();
    const f32 = new Tensor('float32', new Float32Array(rows), [1, 3, 7]);
    const f16 = new Tensor('float16', Uint16Array.from(rows, floatToHalf), [1, 3, 7]);
    const [a] = decodeGrid(f32, 'output', 1, 0.25);
    const [b] = decodeGrid(f16, 'output', 1, 0.25);
    expect(a).toEqual([
      { x1: 90, y1: 80, x2: 110, y2: 120, score: expect.closeTo(0.72, 6), classId: 1 },
      { x1: 8, y1: 8, x2: 12, y2: 12, score: expect.closeTo(0.3, 6), classId: 1 },
    ]);
    expect(b!.map((c) => c.classId)).toEqual([1, 1]);
    expect(b![0]!.score).toBeCloseTo(0.72, 2);
  });

  it('splits end-to-end rows by batch index', () => {
    const rows = new Float32Array([0, 1, 2, 3, 4, 5, 0.9, 1, 10, 20, 30, 40, 2, 0.5, 1, 0, 0, 1, 1, 3, 0.1]);
    const [first, second] = decodeEnd2End(new Tensor('float32', rows, [3, 7]), 'output', 2, 0.25);
    expect(first).toEqual([{ x1: 1, y1: 2, x2: 3, y2: 4, classId: 5, score: expect.closeTo(0.9, 6) }]);
    expect(second).toEqual([{ x1: 10, y1: 20, x2: 30, y2: 40, classId: 2, score: 0.5 }]);
  });
});

describe('NMS', () => {
  const box = (x: number, score: number, classId: number) => ({
    x1: x,
    y1: 0,
    x2: x + 10,
    y2: 10,
    score,
    classId,
  });

  it('suppresses overlaps within a class, keeps them across classes unless class-agnostic', () => {
    const boxes = [box(0, 0.9, 0), box(1, 0.8, 0), box(1, 0.7, 1), box(30, 0.6, 0)];
    expect(nms(boxes, 0.45, false, 300).map((b) => b.score)).toEqual([0.9, 0.7, 0.6]);
    expect(nms(boxes, 0.45, true, 300).map((b) => b.score)).toEqual([0.9, 0.6]);
    expect(nms(boxes, 0.45, false, 2).map((b) => b.score)).toEqual([0.9, 0.7]);
    expect(nms(boxes, 0.95, false, 300)).toHaveLength(4);
  });
});

describe('DeepStream-Yolo decoders', () => {
  it('splits [b, N, 6] rows per image, float16 too, and drops scores under the threshold', () => {
    const rows = [
      [1, 2, 3, 4, 0.9, 2],
      [5, 6, 7, 8, 0.1, 0],
      [9, 10, 11, 12, 0.5, 1],
      [13, 14, 15, 16, 0.6, 3],
    ];
    const f32 = new Tensor('float32', Float32Array.from(rows.flat()), [2, 2, 6]);
    const f16 = new Tensor('float16', Uint16Array.from(rows.flat(), floatToHalf), [2, 2, 6]);
    for (const tensor of [f32, f16]) {
      const [first, second] = decodeDeepStreamYolo(tensor, 'output', 2, 0.25);
      expect(first).toEqual([{ x1: 1, y1: 2, x2: 3, y2: 4, score: expect.closeTo(0.9, 3), classId: 2 }]);
      expect(second!.map((c) => [c.x1, c.classId])).toEqual([
        [9, 1],
        [13, 3],
      ]);
    }
  });

  it('turns the split layout (cx, cy, w, h) into corners, per image', () => {
    const boxes = new Tensor('float32', Float32Array.from([10, 10, 4, 6, 50, 50, 10, 10]), [2, 1, 4]);
    const scores = new Tensor('float32', Float32Array.from([0.8, 0.7]), [2, 1, 1]);
    const classes = new Tensor('float32', Float32Array.from([3, 5]), [2, 1, 1]);
    expect(decodeDeepStreamYoloSplit({ boxes, scores, classes }, 2, 0.25)).toEqual([
      [{ x1: 8, y1: 7, x2: 12, y2: 13, score: expect.closeTo(0.8, 5), classId: 3 }],
      [{ x1: 45, y1: 45, x2: 55, y2: 55, score: expect.closeTo(0.7, 5), classId: 5 }],
    ]);
  });
});

describe('raw-head decoder on P6 heads given coarsest first', () => {
  it('orders four heads by their run-time grid and uses stride 64 on the coarsest', () => {
    const cells = [2, 4, 8, 16]; // coarsest first, as a graph may list them; input 128
    const heads = cells.map((n) => {
      const data = new Float32Array(3 * n * n * 7).fill(-20);
      if (n === 2) data.set([0, 0, 0, 0, 3, 2], 0); // cell (0, 0), anchor 0 of the stride-64 head
      return { name: `h${n}`, tensor: new Tensor('float32', data, [1, 3, n, n, 7]) };
    });
    const [boxes] = decodeRawHeads(heads, YOLOV7_W6_ANCHORS, 128, 1, 0.25);
    expect(boxes).toHaveLength(1);
    // xy = (2σ(0) − 0.5 + 0) × 64 = 32; wh = (2σ(0))² × [436, 615].
    expect([boxes![0]!.x1, boxes![0]!.y1, boxes![0]!.x2, boxes![0]!.y2]).toEqual([
      32 - 218,
      32 - 307.5,
      32 + 218,
      32 + 307.5,
    ]);
  });
});

describe('float16 and metadata helpers', () => {
  it('round-trips float16 bits', () => {
    for (const v of [0, 1, -2.5, 0.5, 1 / 255, 65504, 6e-8])
      expect(halfToFloat(floatToHalf(v))).toBeCloseTo(v, 3);
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(halfToFloat(0x7c00)).toBe(Number.POSITIVE_INFINITY);
  });

  it('parses Ultralytics and JSON class-name metadata', () => {
    expect(parseNamesMetadata('{0: \'person\', 1: "traffic light"}')).toEqual(['person', 'traffic light']);
    expect(parseNamesMetadata('["a","b"]')).toEqual(['a', 'b']);
    expect(parseNamesMetadata('{"1": "b", "0": "a"}')).toEqual(['a', 'b']);
    expect(parseNamesMetadata('nonsense')).toBeUndefined();
  });
});
