import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { COCO_LABELS } from '../labels/coco-labels.js';
import { encodeOnnxModel } from '../onnx/encode-onnx-model.js';
import { loadTfjsGraphModel, type TfjsGraphModel } from './tfjs-graph.js';
import { convertTfjsGraphToOnnx } from './tfjs-to-onnx.js';

/**
 * Converts the YOLOv5 TF.js export (ultralytics `export.py --include tfjs`) to the ONNX contract of a
 * YOLOv5/YOLOv7 PyTorch export with `--grid --dynamic-batch`: input `images` f32 [batch,3,H,W] RGB 0..1,
 * output `output` f32 [batch,N,5+classes] with cx, cy, w, h in input pixels (the TF export divides them by
 * the image size; this multiplies back), rows in stride order 8, 16, 32.
 */
export function yolov5TfjsToOnnx(model: TfjsGraphModel, source: string): Uint8Array {
  const [input] = model.inputs;
  const [output] = model.outputs;
  const height = input?.shape[1] ?? -1;
  const width = input?.shape[2] ?? -1;
  const columns = output?.shape[2] ?? -1;
  if (input?.shape.length !== 4 || height <= 0 || width <= 0 || output?.shape.length !== 3 || columns < 6) {
    throw new Error(
      `not a YOLOv5 TF.js export: expected input [1,H,W,3] and output [1,N,5+classes], got ` +
        `${JSON.stringify(input?.shape)} and ${JSON.stringify(output?.shape)}`,
    );
  }
  const classes = columns - 5;
  const names =
    classes === COCO_LABELS.length ? COCO_LABELS : Array.from({ length: classes }, (_, i) => `class${i}`);
  const outputScale = [width, height, width, height, ...new Array<number>(columns - 4).fill(1)];
  const onnx = convertTfjsGraphToOnnx(model, {
    outputScale,
    metadata: {
      // The same keys a YOLOv5/YOLOv7 PyTorch export writes, so detectors read class names the usual way.
      stride: '32',
      names: JSON.stringify(Object.fromEntries(names.map((name, i) => [String(i), name]))),
      source,
      converter: `rxvision tfjs-to-onnx from ${model.convertedBy}; xywh scaled to input pixels`,
    },
  });
  return encodeOnnxModel(onnx);
}

/**
 * Converts a YOLOv5 TF.js graph model directory (`model.json` + shards, from ultralytics
 * `export.py --include tfjs`) to an ONNX file at `onnxPath`, written atomically.
 *
 * ## Example
 * ```ts
 * await convertYolov5TfjsDir('yolov5s_web_model', 'yolov5s.onnx');
 * ```
 */
export async function convertYolov5TfjsDir(
  modelDir: string,
  onnxPath: string,
  source = modelDir,
): Promise<void> {
  const bytes = yolov5TfjsToOnnx(await loadTfjsGraphModel(modelDir), source);
  await mkdir(dirname(onnxPath), { recursive: true });
  const partial = `${onnxPath}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, onnxPath);
}
