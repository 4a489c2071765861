/** The input/output description of one model value, as onnxruntime reports it. */
export interface ValueInfo {
  readonly name: string;
  readonly type: string;
  /** Numbers for fixed dimensions, names (`batch`, `num_dets`) for dynamic ones. */
  readonly shape: readonly (number | string)[];
}

import type { Anchors } from './outputs/decode-raw-heads.js';
import { ANCHORS_METADATA_KEY, parseAnchorsMetadata } from './outputs/raw-head-anchors.js';

/** Output layouts the detector understands; one per YOLOv7 export flavour. */
export type ModelContract =
  | (ModelInputInfo & { readonly kind: 'grid'; readonly output: string; readonly numClasses: number })
  | (ModelInputInfo & { readonly kind: 'end2end'; readonly output: string })
  | (ModelInputInfo & {
      readonly kind: 'efficient-nms';
      readonly numDets: string;
      readonly boxes: string;
      readonly scores: string;
      readonly classes: string;
    })
  | (ModelInputInfo & {
      readonly kind: 'raw-heads';
      /** Head outputs from the finest grid (stride 8) to the coarsest: three (P5) or four (P6). */
      readonly heads: readonly string[];
      readonly numClasses: number;
      /** Anchors from the model's `anchors` metadata, when it has them. */
      readonly anchors?: Anchors;
    })
  /** DeepStream-Yolo `export_yoloV7.py` (2024-11 on): `output [b, N, 6]` = x1, y1, x2, y2, score, class. */
  | (ModelInputInfo & { readonly kind: 'deepstream-yolo'; readonly output: string })
  /** DeepStream-Yolo `export_yoloV7.py` (2023-06 to 2024-11): `boxes` cx,cy,w,h, `scores`, `classes`. */
  | (ModelInputInfo & {
      readonly kind: 'deepstream-yolo-split';
      readonly boxes: string;
      readonly scores: string;
      readonly classes: string;
    });

export type ModelContractKind = ModelContract['kind'];

export interface ModelInputInfo {
  readonly input: string;
  readonly inputType: 'float32' | 'float16';
  readonly width: number;
  readonly height: number;
  /** The batch dimension: a number when the graph fixes it. */
  readonly batch: number | 'dynamic';
  /** True when height/width are symbolic in the graph (`export.py --dynamic`) and came from `inputSize`. */
  readonly dynamicSize: boolean;
}

/** One line per contract, for the error a user sees when a model matches none. */
export const SUPPORTED_CONTRACTS: readonly string[] = [
  'grid: one output [batch, N, 5+classes] (YOLOv7 export.py --grid, YOLOv5), fixed or dynamic batch',
  'end2end: one output [num_dets, 7] = batch, x0, y0, x1, y1, class, score (export.py --grid --end2end, onnxruntime NMS)',
  "efficient-nms: outputs num_dets [b,1], det_boxes [b,k,4], det_scores [b,k], det_classes [b,k] (export.py --grid --end2end without --max-wh; the graph holds TensorRT's EfficientNMS_TRT plugin, so it runs on the tensorrt provider only)",
  'raw-heads: three (P5) or four (P6: w6/e6/d6/e6e) outputs [batch, 3, H, W, 5+classes] without the grid decode (export.py without --grid); anchors from the anchors option, the model\'s "anchors" metadata, or the YOLOv7 defaults',
  'deepstream-yolo: input "input", one output [batch, N, 6] = x1, y1, x2, y2, score, class (DeepStream-Yolo utils/export_yoloV7.py), or its older boxes [b,N,4] / scores [b,N,1] / classes [b,N,1]',
];

/** A model that matches none of the supported contracts; the message lists them. */
export class UnsupportedModelError extends Error {
  constructor(model: string, detail: string, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[]) {
    const describe = (v: ValueInfo) => `${v.name} ${v.type} [${v.shape.join(', ')}]`;
    super(
      `model ${model}: ${detail}.\n  inputs: ${inputs.map(describe).join('; ')}\n  outputs: ${outputs
        .map(describe)
        .join('; ')}\nSupported contracts:\n${SUPPORTED_CONTRACTS.map((c) => `  - ${c}`).join('\n')}\n` +
        'Re-export the model with one of these (see the @rxvision/detector README).',
    );
    this.name = 'UnsupportedModelError';
  }
}

/**
 * Recognises a model's contract from its inputs and outputs. `inputSize` fills dynamic
 * height/width dimensions (default 640; a multiple of the model's largest stride, 32 or 64 for
 * P6); `metadata` is the model's `metadata_props` (raw-head anchors).
 */
export function recognizeContract(
  model: string,
  inputs: readonly ValueInfo[],
  outputs: readonly ValueInfo[],
  inputSize: { readonly width: number; readonly height: number } = { width: 640, height: 640 },
  metadata: ReadonlyMap<string, string> = new Map(),
): ModelContract {
  const fail = (detail: string): never => {
    throw new UnsupportedModelError(model, detail, inputs, outputs);
  };
  const image = inputs.length === 1 ? inputs[0] : undefined;
  if (image?.shape.length !== 4 || image.shape[1] !== 3)
    return fail('expected exactly one image input [batch, 3, height, width]');
  if (image.type !== 'float32' && image.type !== 'float16')
    return fail(`image input is ${image.type}; expected float32 or float16`);
  const dim = (d: number | string | undefined, fallback: number) =>
    typeof d === 'number' && d > 0 ? d : fallback;
  const fixed = (d: number | string | undefined) => typeof d === 'number' && d > 0;
  const base: ModelInputInfo = {
    input: image.name,
    inputType: image.type,
    height: dim(image.shape[2], inputSize.height),
    width: dim(image.shape[3], inputSize.width),
    batch: typeof image.shape[0] === 'number' && image.shape[0] > 0 ? image.shape[0] : 'dynamic',
    dynamicSize: !fixed(image.shape[2]) || !fixed(image.shape[3]),
  };
  const checkStride = <C extends ModelContract>(contract: C, stride: number): C => {
    if (contract.dynamicSize && (contract.width % stride !== 0 || contract.height % stride !== 0))
      fail(
        `its input height/width are dynamic and the configured input size ${contract.width}x${contract.height} is not a multiple of its largest stride ${stride}; use e.g. ${Math.round(contract.width / stride) * stride || stride}x${Math.round(contract.height / stride) * stride || stride}`,
      );
    return contract;
  };

  const named = (word: string) => outputs.find((o) => o.name.toLowerCase().includes(word));
  const numDets = named('num_dets');
  const boxes = named('boxes');
  const scores = named('scores');
  const classes = named('classes');
  if (outputs.length === 4 && numDets && boxes && scores && classes) {
    return {
      ...base,
      kind: 'efficient-nms',
      numDets: numDets.name,
      boxes: boxes.name,
      scores: scores.name,
      classes: classes.name,
    };
  }
  // DeepStream-Yolo exports name their input "input"; YOLOv7's export.py names it "images".
  const deepStream = image.name === 'input';
  const lastDim = (o: ValueInfo | undefined) => (o?.shape.length === 3 ? o.shape[2] : undefined);
  if (
    deepStream &&
    outputs.length === 3 &&
    lastDim(boxes) === 4 &&
    lastDim(scores) === 1 &&
    lastDim(classes) === 1
  )
    return checkStride(
      {
        ...base,
        kind: 'deepstream-yolo-split',
        boxes: boxes!.name,
        scores: scores!.name,
        classes: classes!.name,
      },
      32,
    );
  if (deepStream && outputs.length === 1 && lastDim(outputs[0]) === 6)
    return checkStride({ ...base, kind: 'deepstream-yolo', output: outputs[0]!.name }, 32);
  if (deepStream && outputs.length === 1 && lastDim(outputs[0]) === 7)
    return fail(
      'this looks like a DeepStream-Yolo export_yoloV7.py model of May 2023 (output [b, N, 7] = cx, cy, w, h, score, class, objectness), a layout only that version wrote; re-export with a current DeepStream-Yolo utils/export_yoloV7.py (output [b, N, 6]) or with YOLOv7 export.py --grid',
    );
  const end2end = outputs.find((o) => o.shape.length === 2 && o.shape[1] === 7);
  if (end2end && outputs.length === 1) return { ...base, kind: 'end2end', output: end2end.name };
  const grid = outputs.find((o) => o.shape.length === 3 && typeof o.shape[2] === 'number' && o.shape[2] > 5);
  if (grid)
    return checkStride(
      { ...base, kind: 'grid', output: grid.name, numClasses: (grid.shape[2] as number) - 5 },
      32,
    );
  const heads = outputs.filter(
    (o) => o.shape.length === 5 && o.shape[1] === 3 && typeof o.shape[4] === 'number' && o.shape[4] > 5,
  );
  if (heads.length === 3 || heads.length === 4) {
    const sorted = [...heads].sort((a, b) => dim(b.shape[2], 0) - dim(a.shape[2], 0));
    const anchorText = metadata.get(ANCHORS_METADATA_KEY);
    const contract: ModelContract = {
      ...base,
      kind: 'raw-heads',
      heads: sorted.map((h) => h.name),
      numClasses: (heads[0]!.shape[4] as number) - 5,
      ...(anchorText === undefined
        ? {}
        : {
            anchors: parseAnchorsMetadata(
              model,
              anchorText,
              sorted.map((h) => h.shape[1] as number),
            ),
          }),
    };
    return checkStride(contract, heads.length === 4 ? 64 : 32);
  }
  return fail('its outputs match no supported detection contract');
}
