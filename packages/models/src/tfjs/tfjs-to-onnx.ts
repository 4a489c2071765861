import { OnnxDataType, type OnnxDim, type OnnxModel } from '../onnx/onnx-model.js';
import type { TfjsAttr, TfjsGraphModel, TfjsNode, TfjsWeight } from './tfjs-graph.js';
import { type Layout, nchwAxis, TfjsLayoutBuilder, type Value } from './tfjs-layout-builder.js';

/** How `convertTfjsGraphToOnnx` names and scales the converted model's input and output. */
export interface TfjsToOnnxOptions {
  /** Name of the ONNX input (a 4-D NHWC TF input becomes NCHW). Default `images`, as YOLOv5/v7 exports. */
  readonly inputName?: string;
  /** Name of the ONNX output. Default `output`, as YOLOv5/v7 exports. */
  readonly outputName?: string;
  /** Symbolic name of the first (batch) dimension of input and output. Default `batch`. */
  readonly batchDim?: string;
  /** Multiplies the output's last axis by these factors (YOLO TF exports normalise xywh to 0..1). */
  readonly outputScale?: readonly number[];
  /** The model's `metadata_props`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * Converts a TF.js graph model to ONNX, for the operators that YOLO-style convolutional graphs use.
 * Image tensors are kept in NCHW between convolutions; TF-layout transposes are only added where an op
 * (reshape, slice, transpose) depends on NHWC, so the result is as lean as a PyTorch export.
 * Throws naming the node when the graph uses an operator or attribute it does not handle.
 */
export function convertTfjsGraphToOnnx(model: TfjsGraphModel, options: TfjsToOnnxOptions = {}): OnnxModel {
  const inputName = options.inputName ?? 'images';
  const outputName = options.outputName ?? 'output';
  const batchDim = options.batchDim ?? 'batch';
  const [input, ...moreInputs] = model.inputs;
  const [output, ...moreOutputs] = model.outputs;
  if (!input || !output || moreInputs.length > 0 || moreOutputs.length > 0) {
    throw new Error(
      `the TF.js graph has ${model.inputs.length} inputs and ${model.outputs.length} outputs; only 1 and 1 are supported`,
    );
  }
  const b = new TfjsLayoutBuilder();
  b.fresh(inputName);
  b.fresh(outputName);
  const values = new Map<string, Value>();
  const imageInput = input.shape.length === 4;
  values.set(input.name, { name: inputName, layout: imageInput ? 'nchw' : 'tf' });

  const constants = new Map<string, string>();
  const byName = new Map(model.nodes.map((node) => [node.name, node]));
  const ctx: ConvertContext = {
    b,
    value(ref, node) {
      const name = tensorName(ref, node);
      const found = values.get(name);
      if (!found) throw new Error(`node ${node.name}: input ${name} is not a tensor the converter produced`);
      return found;
    },
    weight(ref, node) {
      const found = model.weights.get(tensorName(ref, node));
      if (!found) throw new Error(`node ${node.name}: input ${ref} must be a constant (weights)`);
      return found;
    },
    isWeight: (ref) => model.weights.has(ref.split(':')[0] ?? ref),
    constant(ref, node) {
      const name = tensorName(ref, node);
      let onnxName = constants.get(name);
      if (onnxName === undefined) {
        const weight = ctx.weight(ref, node);
        onnxName = b.initializer(name, weight.shape, weight.data);
        constants.set(name, onnxName);
      }
      return onnxName;
    },
    set(node, name, layout) {
      values.set(node.name, { name, layout });
    },
  };

  for (const node of topologicalOrder(byName, output.name)) {
    if (node.op === 'Const') {
      if (!model.weights.has(node.name))
        throw new Error(`Const ${node.name} has no entry in weightsManifest`);
      continue;
    }
    if (node.op === 'Placeholder') {
      if (node.name !== input.name) throw new Error(`Placeholder ${node.name} is not the signature's input`);
      continue;
    }
    const convert = OPS[node.op];
    if (!convert) throw new Error(`node ${node.name}: TF op ${node.op} is not supported by the converter`);
    convert(ctx, node);
  }

  const last = ctx.value(output.name, { name: 'signature.outputs', op: 'Output' });
  let result = b.asTf(last);
  if (options.outputScale) {
    const scale = b.initializer(
      'output_scale',
      [options.outputScale.length],
      Float32Array.from(options.outputScale),
    );
    b.nodes.push({ opType: 'Mul', name: outputName, inputs: [result, scale], outputs: [outputName] });
  } else {
    b.nodes.push({ opType: 'Identity', name: outputName, inputs: [result], outputs: [outputName] });
  }
  result = outputName;

  const [, h = -1, w = -1, c = -1] = input.shape;
  const inputDims: OnnxDim[] = imageInput ? [batchDim, c, h, w] : [batchDim, ...input.shape.slice(1)];
  const outputDims: OnnxDim[] = output.shape.map((d, i) => (i === 0 ? batchDim : d > 0 ? d : `dim${i}`));
  return b.model({
    producerName: 'rxvision tfjs-to-onnx',
    graphName: 'tfjs_graph',
    inputs: [{ name: inputName, elemType: OnnxDataType.FLOAT, dims: inputDims.map(orSymbol) }],
    outputs: [{ name: result, elemType: OnnxDataType.FLOAT, dims: outputDims }],
    metadata: options.metadata ?? {},
  });
}

function orSymbol(dim: OnnxDim, index: number): OnnxDim {
  return typeof dim === 'number' && dim < 0 ? `dim${index}` : dim;
}

interface ConvertContext {
  readonly b: TfjsLayoutBuilder;
  value(ref: string, node: TfjsNode): Value;
  weight(ref: string, node: TfjsNode): TfjsWeight;
  isWeight(ref: string): boolean;
  /** The constant as an ONNX initializer, added once however many nodes read it. */
  constant(ref: string, node: TfjsNode): string;
  set(node: TfjsNode, name: string, layout: Layout): void;
}

type OpConverter = (ctx: ConvertContext, node: TfjsNode) => void;

function tensorName(ref: string, node: TfjsNode): string {
  const [name = ref, index] = ref.split(':');
  if (index !== undefined && index !== '0') {
    throw new Error(
      `node ${node.name}: reads output ${index} of ${name}; only single-output ops are supported`,
    );
  }
  return name;
}

function dataInputs(node: TfjsNode): string[] {
  return (node.input ?? []).filter((ref) => !ref.startsWith('^'));
}

/** Nodes the output depends on, producers first (model.json need not be sorted; dead nodes are dropped). */
function topologicalOrder(byName: ReadonlyMap<string, TfjsNode>, outputName: string): TfjsNode[] {
  const order: TfjsNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: { node: TfjsNode; next: number }[] = [];
  const push = (name: string, from: string): void => {
    const node = byName.get(name);
    if (!node) throw new Error(`node ${from} reads ${name}, which is not in modelTopology`);
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`the graph has a cycle through ${name}`);
    state.set(name, 'visiting');
    stack.push({ node, next: 0 });
  };
  push(outputName, 'signature.outputs');
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = dataInputs(top.node);
    if (top.next < inputs.length) {
      const ref = inputs[top.next++]!;
      push(ref.split(':')[0] ?? ref, top.node.name);
    } else {
      stack.pop();
      state.set(top.node.name, 'done');
      order.push(top.node);
    }
  }
  return order;
}

function attrString(node: TfjsNode, key: string): string | undefined {
  const s = node.attr?.[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
}

function attrInts(node: TfjsNode, key: string): number[] {
  return (node.attr?.[key]?.list?.i ?? []).map(Number);
}

function attrInt(node: TfjsNode, key: string): number {
  return Number(node.attr?.[key]?.i ?? 0);
}

function attrBool(node: TfjsNode, key: string): boolean {
  return (node.attr?.[key] as TfjsAttr | undefined)?.b === true;
}

function requireNhwc(node: TfjsNode): void {
  const format = attrString(node, 'data_format') ?? 'NHWC';
  if (format !== 'NHWC')
    throw new Error(`node ${node.name}: data_format ${format} is not supported (NHWC only)`);
}

/** ONNX padding attributes for a TF `padding` of SAME, VALID or EXPLICIT. */
function padding(node: TfjsNode): Record<string, string | number[]> {
  const mode = attrString(node, 'padding');
  if (mode === 'SAME') return { auto_pad: 'SAME_UPPER' };
  if (mode === 'VALID') return {};
  if (mode === 'EXPLICIT') {
    const [, , , , top = 0, bottom = 0, left = 0, right = 0] = attrInts(node, 'explicit_paddings');
    return { pads: [top, left, bottom, right] };
  }
  throw new Error(`node ${node.name}: padding ${mode} is not supported`);
}

/** TF HWIO kernel → ONNX OIHW. */
function hwioToOihw(weight: TfjsWeight): { dims: number[]; data: Float32Array } {
  const [kh = 1, kw = 1, ci = 1, co = 1] = weight.shape;
  const src = weight.data;
  const out = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + y) * kw + x] = src[((y * kw + x) * ci + i) * co + o]!;
  return { dims: [co, ci, kh, kw], data: out };
}

function conv(ctx: ConvertContext, node: TfjsNode, fused: readonly string[]): void {
  requireNhwc(node);
  const [x = '', filter = '', ...extra] = dataInputs(node);
  const kernel = ctx.weight(filter, node);
  if (kernel.shape.length !== 4) throw new Error(`node ${node.name}: filter must be 4-D HWIO`);
  const oihw = hwioToOihw(kernel);
  const inputs = [
    ctx.b.asNchw(ctx.value(x, node)),
    ctx.b.initializer(`${filter}/oihw`, oihw.dims, oihw.data),
  ];
  const [first, ...activations] = fused;
  if (first === 'BiasAdd') {
    inputs.push(ctx.constant(extra[0] ?? '', node));
  } else if (first !== undefined) {
    throw new Error(`node ${node.name}: fused op ${first} is not supported (BiasAdd first)`);
  }
  const strides = attrInts(node, 'strides');
  const dilations = attrInts(node, 'dilations');
  let out = ctx.b.node('Conv', inputs, node.name, {
    kernel_shape: oihw.dims.slice(2),
    strides: [strides[1] ?? 1, strides[2] ?? 1],
    dilations: [dilations[1] ?? 1, dilations[2] ?? 1],
    ...padding(node),
  });
  for (const activation of activations) {
    if (activation === 'Relu') out = ctx.b.node('Relu', [out], `${node.name}/relu`);
    else if (activation === 'LeakyRelu') {
      out = ctx.b.node('LeakyRelu', [out], `${node.name}/leaky`, {
        alpha: { float: node.attr?.leakyrelu_alpha?.f ?? 0.2 },
      });
    } else throw new Error(`node ${node.name}: fused activation ${activation} is not supported`);
  }
  ctx.set(node, out, 'nchw');
}

/** Elementwise ops stay in NCHW when every tensor input is NCHW and every constant is a scalar. */
function elementwise(onnxOp: string): OpConverter {
  return (ctx, node) => {
    const refs = dataInputs(node);
    const tensors = refs.filter((ref) => !ctx.isWeight(ref)).map((ref) => ctx.value(ref, node));
    const scalarsOnly = refs
      .filter((ref) => ctx.isWeight(ref))
      .every((ref) => ctx.weight(ref, node).data.length === 1);
    const layout: Layout =
      tensors.length > 0 && scalarsOnly && tensors.every((t) => t.layout === 'nchw') ? 'nchw' : 'tf';
    const inputs = refs.map((ref) => {
      if (!ctx.isWeight(ref)) {
        const value = ctx.value(ref, node);
        return layout === 'nchw' ? value.name : ctx.b.asTf(value);
      }
      return ctx.constant(ref, node);
    });
    const args = onnxOp === 'Square' ? [inputs[0] ?? '', inputs[0] ?? ''] : inputs;
    ctx.set(node, ctx.b.node(onnxOp === 'Square' ? 'Mul' : onnxOp, args, node.name), layout);
  };
}

const OPS: Record<string, OpConverter> = {
  _FusedConv2D(ctx, node) {
    const fused = (node.attr?.fused_ops?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
    conv(ctx, node, fused);
  },
  Conv2D: (ctx, node) => conv(ctx, node, []),
  MaxPool(ctx, node) {
    requireNhwc(node);
    const [x = ''] = dataInputs(node);
    const k = attrInts(node, 'ksize');
    const s = attrInts(node, 'strides');
    const out = ctx.b.node('MaxPool', [ctx.b.asNchw(ctx.value(x, node))], node.name, {
      kernel_shape: [k[1] ?? 1, k[2] ?? 1],
      strides: [s[1] ?? 1, s[2] ?? 1],
      ...padding(node),
    });
    ctx.set(node, out, 'nchw');
  },
  ResizeNearestNeighbor(ctx, node) {
    const [x = '', sizeRef = ''] = dataInputs(node);
    const input = ctx.b.asNchw(ctx.value(x, node));
    const size = Array.from(ctx.weight(sizeRef, node).data);
    // Sizes = N, C of the input followed by TF's [H, W]: the batch stays dynamic.
    const shape = ctx.b.node('Shape', [input], `${node.name}/shape`);
    const nc = ctx.b.node(
      'Slice',
      [shape, ctx.b.int64s(`${node.name}/start`, [0]), ctx.b.int64s(`${node.name}/end`, [2])],
      `${node.name}/nc`,
    );
    const sizes = ctx.b.node('Concat', [nc, ctx.b.int64s(`${node.name}/hw`, size)], `${node.name}/sizes`, {
      axis: 0,
    });
    // TF's pixel mapping for each flag pair, in ONNX terms. TF's half-pixel floor((x + 0.5) / scale) is
    // ONNX half_pixel's round_prefer_ceil((x + 0.5) / scale - 0.5), without the deprecated tf_half_pixel_for_nn.
    const alignCorners = attrBool(node, 'align_corners');
    const halfPixel = attrBool(node, 'half_pixel_centers');
    const mapping = alignCorners
      ? { coordinate_transformation_mode: 'align_corners', nearest_mode: 'round_prefer_ceil' }
      : halfPixel
        ? { coordinate_transformation_mode: 'half_pixel', nearest_mode: 'round_prefer_ceil' }
        : { coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
    const out = ctx.b.node('Resize', [input, '', '', sizes], node.name, { mode: 'nearest', ...mapping });
    ctx.set(node, out, 'nchw');
  },
  Pad(ctx, node) {
    const [x = '', paddingsRef = ''] = dataInputs(node);
    const value = ctx.value(x, node);
    const paddings = ctx.weight(paddingsRef, node);
    const rows = Array.from({ length: paddings.shape[0] ?? 0 }, (_, i) => [
      paddings.data[2 * i] ?? 0,
      paddings.data[2 * i + 1] ?? 0,
    ]);
    const ordered = value.layout === 'nchw' ? [0, 3, 1, 2].map((axis) => rows[axis] ?? [0, 0]) : rows;
    const pads = ctx.b.int64s(`${paddingsRef}/onnx`, [
      ...ordered.map((r) => r[0]!),
      ...ordered.map((r) => r[1]!),
    ]);
    ctx.set(node, ctx.b.node('Pad', [value.name, pads], node.name, { mode: 'constant' }), value.layout);
  },
  ConcatV2(ctx, node) {
    const refs = dataInputs(node);
    const axisRef = refs.pop() ?? '';
    const axis = Number(ctx.weight(axisRef, node).data[0]);
    if (refs.some((ref) => ctx.isWeight(ref)))
      throw new Error(`node ${node.name}: concat of constants is not supported`);
    const values = refs.map((ref) => ctx.value(ref, node));
    const nchw = values.every((v) => v.layout === 'nchw');
    const inputs = values.map((v) => (nchw ? v.name : ctx.b.asTf(v)));
    ctx.set(
      node,
      ctx.b.node('Concat', inputs, node.name, { axis: nchw ? nchwAxis(axis) : axis }),
      nchw ? 'nchw' : 'tf',
    );
  },
  Reshape(ctx, node) {
    const [x = '', shapeRef = ''] = dataInputs(node);
    const shape = ctx.b.int64s(`${shapeRef}/int64`, Array.from(ctx.weight(shapeRef, node).data));
    ctx.set(node, ctx.b.node('Reshape', [ctx.b.asTf(ctx.value(x, node)), shape], node.name), 'tf');
  },
  Transpose(ctx, node) {
    const [x = '', permRef = ''] = dataInputs(node);
    const perm = Array.from(ctx.weight(permRef, node).data);
    ctx.set(node, ctx.b.node('Transpose', [ctx.b.asTf(ctx.value(x, node))], node.name, { perm }), 'tf');
  },
  StridedSlice: stridedSlice,
  Mul: elementwise('Mul'),
  Add: elementwise('Add'),
  AddV2: elementwise('Add'),
  Sub: elementwise('Sub'),
  RealDiv: elementwise('Div'),
  Maximum: elementwise('Max'),
  Minimum: elementwise('Min'),
  Sigmoid: elementwise('Sigmoid'),
  Relu: elementwise('Relu'),
  Tanh: elementwise('Tanh'),
  Square: elementwise('Square'),
  Identity: elementwise('Identity'),
};

/** TF StridedSlice (begin/end/strides constants with masks) → ONNX Slice, plus Squeeze for shrunk axes. */
function stridedSlice(ctx: ConvertContext, node: TfjsNode): void {
  const [x = '', beginRef = '', endRef = '', stridesRef = ''] = dataInputs(node);
  const begin = Array.from(ctx.weight(beginRef, node).data);
  const end = Array.from(ctx.weight(endRef, node).data);
  const strides = Array.from(ctx.weight(stridesRef, node).data);
  const beginMask = attrInt(node, 'begin_mask');
  const endMask = attrInt(node, 'end_mask');
  const ellipsisMask = attrInt(node, 'ellipsis_mask');
  const shrinkMask = attrInt(node, 'shrink_axis_mask');
  if (attrInt(node, 'new_axis_mask') !== 0)
    throw new Error(`node ${node.name}: new_axis_mask is not supported`);
  const ellipsis = ellipsisMask === 0 ? -1 : Math.log2(ellipsisMask & -ellipsisMask);
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  const squeeze: number[] = [];
  for (let j = 0; j < begin.length; j++) {
    if (j === ellipsis) continue;
    // Specs after an ellipsis count from the last axis.
    const axis = ellipsis >= 0 && j > ellipsis ? j - begin.length : j;
    const step = strides[j] ?? 1;
    const bit = 1 << j;
    const shrink = (shrinkMask & bit) !== 0;
    const start = BigInt(begin[j] ?? 0);
    starts.push(beginMask & bit && !shrink ? (step > 0 ? 0n : INT64_MAX) : start);
    ends.push(
      shrink
        ? start === -1n
          ? INT64_MAX
          : start + 1n
        : endMask & bit
          ? step > 0
            ? INT64_MAX
            : INT64_MIN
          : BigInt(end[j] ?? 0),
    );
    axes.push(axis);
    steps.push(shrink ? 1 : step);
    if (shrink) squeeze.push(axis);
  }
  const name = node.name;
  let out = ctx.b.node(
    'Slice',
    [
      ctx.b.asTf(ctx.value(x, node)),
      ctx.b.int64s(`${name}/starts`, starts),
      ctx.b.int64s(`${name}/ends`, ends),
      ctx.b.int64s(`${name}/axes`, axes),
      ctx.b.int64s(`${name}/steps`, steps),
    ],
    squeeze.length > 0 ? `${name}/slice` : name,
  );
  if (squeeze.length > 0) out = ctx.b.node('Squeeze', [out, ctx.b.int64s(`${name}/squeeze`, squeeze)], name);
  ctx.set(node, out, 'tf');
}
