import { execFileSync } from 'node:child_process';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { EvalBox } from './map.js';

/**
 * A straightforward YOLOv7-style reference, written apart from the detector on purpose:
 * Debian's ffmpeg letterboxes (RGB, bilinear, grey 114), one loop builds the tensor, YOLOv7's `non_max_suppression`
 * (conf = obj × cls, class offset trick, greedy IoU), and boxes mapped back through the padding
 * actually applied.
 */
export async function referenceDetect(
  modelPath: string,
  images: readonly { name: string; path: string }[],
  conf: number,
  iouThreshold: number,
): Promise<{ boxes: EvalBox[]; sizes: Map<string, [number, number]> }> {
  const session = await InferenceSession.create(modelPath);
  const boxes: EvalBox[] = [];
  const sizes = new Map<string, [number, number]>();
  try {
    for (const { name, path } of images) {
      const [w0, h0] = execFileSync('/usr/bin/ffprobe', [
        ...[
          '-v',
          'error',
          '-select_streams',
          'v:0',
          '-show_entries',
          'stream=width,height',
          '-of',
          'csv=p=0',
        ],
        path,
      ])
        .toString()
        .trim()
        .split(',')
        .map(Number) as [number, number];
      sizes.set(name, [w0, h0]);
      const r = Math.min(640 / h0, 640 / w0);
      const nw = Math.round(w0 * r);
      const nh = Math.round(h0 * r);
      const dw = (640 - nw) / 2;
      const dh = (640 - nh) / 2;
      const left = Math.round(dw - 0.1);
      const top = Math.round(dh - 0.1);
      const rgb = execFileSync(
        '/usr/bin/ffmpeg',
        [
          ...['-v', 'error', '-i', path, '-frames:v', '1', '-vf'],
          `format=rgb24,scale=${nw}:${nh}:flags=bilinear,pad=640:640:${left}:${top}:color=0x727272`,
          ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
        ],
        { maxBuffer: 1 << 24 },
      );
      const input = new Float32Array(3 * 640 * 640);
      for (let i = 0; i < 640 * 640; i++)
        for (let c = 0; c < 3; c++) input[c * 640 * 640 + i] = rgb[i * 3 + c]! / 255;
      const out = await session.run({ images: new Tensor('float32', input, [1, 3, 640, 640]) });
      const pred = out.output!;
      const data = pred.data as Float32Array;
      const [, rows = 0, cols = 0] = pred.dims;
      const candidates: { box: number[]; score: number; cls: number }[] = [];
      for (let i = 0; i < rows; i++) {
        const row = data.subarray(i * cols, (i + 1) * cols);
        if (!(row[4]! > conf)) continue;
        const scores = Array.from(row.subarray(5), (s) => s * row[4]!);
        const best = Math.max(...scores);
        if (!(best > conf)) continue;
        const [x, y, w, h] = row as unknown as [number, number, number, number];
        candidates.push({
          box: [x - w / 2, y - h / 2, x + w / 2, y + h / 2],
          score: best,
          cls: scores.indexOf(best),
        });
      }
      candidates.sort((a, b) => b.score - a.score);
      const keep: typeof candidates = [];
      const offset = (c: (typeof candidates)[number]) => c.box.map((v) => v + c.cls * 4096);
      for (const c of candidates.slice(0, 30000)) {
        const b = offset(c);
        const overlaps = keep.some((k) => {
          const a = offset(k);
          const iw = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
          const ih = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
          const inter = iw * ih;
          const union = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter;
          return inter / union > iouThreshold;
        });
        if (!overlaps) keep.push(c);
        if (keep.length === 300) break;
      }
      for (const k of keep) {
        const clip = (v: number, max: number) => Math.min(Math.max(v, 0), max);
        boxes.push({
          image: name,
          classId: k.cls,
          score: k.score,
          bbox: [
            clip((k.box[0]! - left) / r, w0),
            clip((k.box[1]! - top) / r, h0),
            clip((k.box[2]! - left) / r, w0),
            clip((k.box[3]! - top) / r, h0),
          ],
        });
      }
    }
  } finally {
    await session.release();
  }
  return { boxes, sizes };
}
