import { ProtobufReader } from '../protobuf/protobuf-reader.js';
import { ProtobufWriter } from '../protobuf/protobuf-writer.js';
import { WireType } from '../protobuf/wire-type.js';
import { encodeOnnxModel } from './encode-onnx-model.js';
import { GRAPH, MODEL } from './onnx-fields.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { OnnxDataType, type OnnxValueInfo } from './onnx-model.js';
import { readOnnxSignature, readValueInfo } from './onnx-signature.js';

/** Bumped whenever the wrapped graph changes, so cached wraps of an older version are not reused. */
export const YOLO_WRAPPER_VERSION = 1;

export interface WrapYoloOptions {
  /**
   * Add the confidence pre-filter on a grid output `[batch, rows, 5+classes]`: only rows with
   * objectness × best class ≥ the `threshold` input leave the graph. Default false.
   */
  readonly prefilter?: boolean;
}

/** What the wrapped model takes and gives, for the caller to feed and fetch it. */
export interface WrappedYoloModel {
  readonly bytes: Uint8Array;
  /** uint8 `[batch, height, width, 3]`: RGB bytes as FFmpeg's `rgb24` letterbox has them. */
  readonly input: string;
  /** With the pre-filter: float32 `[1]`, the lowest score a row needs. */
  readonly threshold?: string;
  /** With the pre-filter: float32 `[K, 5+classes]`, the rows that passed, image by image in grid order. */
  readonly rows?: string;
  /** With the pre-filter: int64 `[K, 2]`, each passing row's image index and row index. */
  readonly rowIndex?: string;
}

/** A model this wrapper cannot handle; the message says why. */
export class YoloWrapError extends Error {
  override name = 'YoloWrapError';
}

const PREFIX = 'rxvision_';

/**
 * Wraps a YOLO ONNX (one float32 or float16 NCHW image input) with an input prefix: a new uint8 NHWC
 * input → Transpose(0,3,1,2) → Cast(float) → Div(255) → (Cast(float16) for fp16 models) → the
 * original input, so the runtime (on the GPU where there is one) does what the detector's per-pixel
 * loop did. Div, not Mul by 1/255: it rounds each value as `v / 255` rounded to float does, so the
 * wrapped model sees bit-identical inputs. The original graph's fields are copied as they are.
 *
 * ## Example
 * ```ts
 * const wrapped = wrapYoloInput(await readFile('yolov7-tiny.onnx'), { prefilter: true });
 * await writeFile(cachePath, wrapped.bytes);
 * ```
 */
export function wrapYoloInput(bytes: Uint8Array, options: WrapYoloOptions = {}): WrappedYoloModel {
  const signature = readOnnxSignature(bytes);
  const image = signature.inputs.length === 1 ? signature.inputs[0] : undefined;
  if (image?.dims.length !== 4 || image.dims[1] !== 3)
    throw new YoloWrapError('expected exactly one image input [batch, 3, height, width]');
  if (image.elemType !== OnnxDataType.FLOAT && image.elemType !== OnnxDataType.FLOAT16)
    throw new YoloWrapError(`the image input's element type is ${image.elemType}; expected float or float16`);
  const [batch, , height, width] = image.dims as [string | number, number, string | number, string | number];
  const input = `${PREFIX}images_uint8`;

  const prefix = new OnnxGraphBuilder();
  const nchw = prefix.node('Transpose', [input], `${PREFIX}nchw`, { perm: [0, 3, 1, 2] });
  const asFloat = prefix.node('Cast', [nchw], `${PREFIX}float`, { to: OnnxDataType.FLOAT });
  const scale = prefix.initializer(`${PREFIX}255`, [], Float32Array.of(255));
  const last = image.elemType === OnnxDataType.FLOAT16 ? `${PREFIX}scaled` : image.name;
  prefix.nodes.push({ opType: 'Div', name: `${PREFIX}scale`, inputs: [asFloat, scale], outputs: [last] });
  if (last !== image.name)
    prefix.nodes.push({
      opType: 'Cast',
      name: `${PREFIX}half`,
      inputs: [last],
      outputs: [image.name],
      attributes: { to: OnnxDataType.FLOAT16 },
    });
  const newInput: OnnxValueInfo = {
    name: input,
    elemType: OnnxDataType.UINT8,
    dims: [batch, height, width, 3],
  };
  const prefixFields = graphFields(encodeOnnxModel(prefix.model({ inputs: [newInput], outputs: [] })));

  let suffixFields: Field[] = [];
  let dropOutput: string | undefined;
  let filterNames: Pick<WrappedYoloModel, 'threshold' | 'rows' | 'rowIndex'> = {};
  if (options.prefilter) {
    const grid = signature.outputs.length === 1 ? signature.outputs[0] : undefined;
    if (grid?.dims.length !== 3)
      throw new YoloWrapError('the pre-filter needs one grid output [batch, rows, 5+classes]');
    if (signature.opsetVersion < 11)
      throw new YoloWrapError(
        `the pre-filter needs opset 11 or later (GatherND); the model has ${signature.opsetVersion}`,
      );
    const built = gridPrefilter(grid, signature.opsetVersion);
    suffixFields = built.fields;
    dropOutput = grid.name;
    filterNames = built.names;
  }

  const graph = new ProtobufWriter();
  const take = (fields: readonly Field[], wanted: readonly number[]): void => {
    for (const f of fields) if (wanted.includes(f.field)) graph.raw(f.raw);
  };
  take(prefixFields, [GRAPH.node]);
  for (const f of graphFields(bytes)) {
    if (f.field === GRAPH.input && valueName(f) === image.name) continue;
    if (f.field === GRAPH.output && valueName(f) === dropOutput) continue;
    graph.raw(f.raw);
  }
  take(suffixFields, [GRAPH.node]);
  take([...prefixFields, ...suffixFields], [GRAPH.initializer]);
  take(prefixFields, [GRAPH.input]);
  take(suffixFields, [GRAPH.input, GRAPH.output]);

  const model = new ProtobufWriter();
  for (const f of fields(bytes)) {
    if (f.field === MODEL.graph) model.bytes(MODEL.graph, graph.finish());
    else model.raw(f.raw);
  }
  return { bytes: model.finish(), input, ...filterNames };
}

/** Score = obj × max(cls) ≥ threshold, then NonZero + GatherND: the passing rows and where they came from. */
function gridPrefilter(
  grid: OnnxValueInfo,
  opset: number,
): { fields: Field[]; names: Required<Pick<WrappedYoloModel, 'threshold' | 'rows' | 'rowIndex'>> } {
  const b = new OnnxGraphBuilder();
  const threshold = `${PREFIX}threshold`;
  const values =
    grid.elemType === OnnxDataType.FLOAT
      ? grid.name
      : b.node('Cast', [grid.name], `${PREFIX}grid_float`, { to: OnnxDataType.FLOAT });
  const axis2 = b.int64s(`${PREFIX}axis2`, [2]);
  const obj = b.node(
    'Slice',
    [values, b.int64s(`${PREFIX}4`, [4]), b.int64s(`${PREFIX}5`, [5]), axis2],
    `${PREFIX}obj`,
  );
  const cls = b.node(
    'Slice',
    [values, b.int64s(`${PREFIX}5`, [5]), b.int64s(`${PREFIX}end`, [2 ** 31 - 1]), axis2],
    `${PREFIX}cls`,
  );
  // ReduceMax takes its axes as an attribute up to opset 17 and as an input from 18.
  const best =
    opset >= 18
      ? b.node('ReduceMax', [cls, axis2], `${PREFIX}best`, { keepdims: 1 })
      : b.node('ReduceMax', [cls], `${PREFIX}best`, { axes: [2], keepdims: 1 });
  const score = b.node('Mul', [obj, best], `${PREFIX}score`);
  const keep = b.node('Not', [b.node('Less', [score, threshold], `${PREFIX}below`)], `${PREFIX}keep`);
  const where = b.node('NonZero', [keep], `${PREFIX}where`);
  const imageAndRow = b.node(
    'Slice',
    [where, b.int64s(`${PREFIX}0`, [0]), b.int64s(`${PREFIX}2`, [2]), b.int64s(`${PREFIX}axis0`, [0])],
    `${PREFIX}image_row_t`,
  );
  const rowIndex = `${PREFIX}row_index`;
  b.nodes.push({
    opType: 'Transpose',
    name: rowIndex,
    inputs: [imageAndRow],
    outputs: [rowIndex],
    attributes: { perm: [1, 0] },
  });
  const rows = `${PREFIX}rows`;
  b.nodes.push({ opType: 'GatherND', name: rows, inputs: [values, rowIndex], outputs: [rows] });
  const cols = grid.dims[2] ?? 'columns';
  const model = b.model({
    inputs: [{ name: threshold, elemType: OnnxDataType.FLOAT, dims: [1] }],
    outputs: [
      { name: rows, elemType: OnnxDataType.FLOAT, dims: ['candidates', cols] },
      { name: rowIndex, elemType: OnnxDataType.INT64, dims: ['candidates', 2] },
    ],
  });
  return { fields: graphFields(encodeOnnxModel(model)), names: { threshold, rows, rowIndex } };
}

/** One field of a message: its number and its encoded bytes, tag included. */
interface Field {
  readonly field: number;
  readonly wireType: number;
  readonly raw: Uint8Array;
}

function fields(message: Uint8Array): Field[] {
  const r = new ProtobufReader(message);
  const out: Field[] = [];
  while (!r.done()) {
    const start = r.position;
    const { field, wireType } = r.tag();
    r.skip(wireType);
    out.push({ field, wireType, raw: message.subarray(start, r.position) });
  }
  return out;
}

function graphFields(model: Uint8Array): Field[] {
  const graph = fields(model).find(
    (f) => f.field === MODEL.graph && f.wireType === WireType.LENGTH_DELIMITED,
  );
  if (!graph) throw new YoloWrapError('ONNX model has no graph');
  const r = new ProtobufReader(graph.raw);
  r.tag();
  return fields(r.bytes());
}

function valueName(f: Field): string {
  const r = new ProtobufReader(f.raw);
  r.tag();
  return readValueInfo(r.message()).name;
}
