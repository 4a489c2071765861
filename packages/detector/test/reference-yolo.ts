import type { Frame } from '@rxvision/decode';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { EvalBox } from './map.js';

/**
 * A straightforward YOLOv7-style reference, written apart from the detector on purpose. It reads
 * the same FFmpeg-letterboxed pixels the detector gets (the pixel resampling is the decode node's
 * job, not the detector's), recomputes the letterbox geometry itself, builds the tensor in one
 * loop, and follows YOLOv7's `non_max_suppression` (conf = obj × cls, class offset trick, greedy
 * IoU) before mapping boxes back through the padding.
 */
export async function referenceDetect(
  modelPath: string,
  images: readonly { name: string; frame: Frame }[],
  conf: number,
  iouThreshold: number,
): Promise<EvalBox[]> {
  const session = await InferenceSession.create(modelPath);
  const boxes: EvalBox[] = [];
  try {
    for (const { name, frame } of images) {
      const [w0, h0] = [frame.width, frame.height];
      const r = Math.min(640 / h0, 640 / w0);
      const nw = Math.round(w0 * r);
      const nh = Math.round(h0 * r);
      const left = Math.round((640 - nw) / 2 - 0.1);
      const top = Math.round((640 - nh) / 2 - 0.1);
      const model = frame.modelInput;
      if (model?.width !== 640 || model.letterbox.padLeft !== left || model.letterbox.padTop !== top)
        throw new Error(`${name}: the frame's model input is not the 640 letterbox this reference expects`);
      const rgb = model.data;
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
  return boxes;
}
