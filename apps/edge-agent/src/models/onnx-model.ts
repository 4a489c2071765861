import { ProtobufWriter } from './protobuf-writer.js';

/** The ONNX element types this converter writes (values of `TensorProto.DataType`). */
export const OnnxDataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

export type OnnxTensorData = Float32Array | Int32Array | BigInt64Array;

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: OnnxTensorData;
}

export type OnnxAttributeValue = number | string | readonly number[] | { readonly float: number };

export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttributeValue>>;
}

/** A dimension is a fixed size or a symbolic name such as `batch`. */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: OnnxDataType;
  readonly dims: readonly OnnxDim[];
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly graphName: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly metadata: Readonly<Record<string, string>>;
}

// Field numbers from onnx/onnx.proto (proto2). Repeated scalars are written unpacked, the proto2 default.
const MODEL = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8, metadataProps: 14 };
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, ints: 8, type: 20 };
const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 };
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 };

/** Serialises a model to the bytes of an ONNX `ModelProto`, ready to write to a `.onnx` file. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtobufWriter();
  w.varint(MODEL.irVersion, model.irVersion);
  w.string(MODEL.producerName, model.producerName);
  w.message(MODEL.graph, (g) => writeGraph(g, model));
  w.message(MODEL.opsetImport, (o) => o.string(1, '').varint(2, model.opsetVersion));
  for (const [key, value] of Object.entries(model.metadata)) {
    w.message(MODEL.metadataProps, (p) => p.string(1, key).string(2, value));
  }
  return w.finish();
}

function writeGraph(g: ProtobufWriter, model: OnnxModel): void {
  for (const node of model.nodes) g.message(GRAPH.node, (n) => writeNode(n, node));
  g.string(GRAPH.name, model.graphName);
  for (const tensor of model.initializers) g.message(GRAPH.initializer, (t) => writeTensor(t, tensor));
  for (const input of model.inputs) g.message(GRAPH.input, (v) => writeValueInfo(v, input));
  for (const output of model.outputs) g.message(GRAPH.output, (v) => writeValueInfo(v, output));
}

function writeNode(n: ProtobufWriter, node: OnnxNode): void {
  for (const input of node.inputs) n.string(NODE.input, input);
  for (const output of node.outputs) n.string(NODE.output, output);
  n.string(NODE.name, node.name);
  n.string(NODE.opType, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    n.message(NODE.attribute, (a) => writeAttribute(a, name, value));
  }
}

function writeAttribute(a: ProtobufWriter, name: string, value: OnnxAttributeValue): void {
  a.string(ATTRIBUTE.name, name);
  if (typeof value === 'string') {
    a.string(ATTRIBUTE.s, value).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.STRING);
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`attribute ${name}: wrap float values as { float }`);
    a.varint(ATTRIBUTE.i, value).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.INT);
  } else if ('float' in value) {
    a.float(ATTRIBUTE.f, value.float).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.FLOAT);
  } else {
    for (const v of value) a.varint(ATTRIBUTE.ints, v);
    a.varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.INTS);
  }
}

function writeTensor(t: ProtobufWriter, tensor: OnnxTensor): void {
  for (const dim of tensor.dims) t.varint(TENSOR.dims, dim);
  t.varint(TENSOR.dataType, dataTypeOf(tensor.data));
  t.string(TENSOR.name, tensor.name);
  // raw_data is little-endian; every platform Node runs on for this project is little-endian.
  t.bytes(TENSOR.rawData, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
}

function dataTypeOf(data: OnnxTensorData): OnnxDataType {
  if (data instanceof Float32Array) return OnnxDataType.FLOAT;
  if (data instanceof Int32Array) return OnnxDataType.INT32;
  return OnnxDataType.INT64;
}

function writeValueInfo(v: ProtobufWriter, info: OnnxValueInfo): void {
  v.string(1, info.name);
  v.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.varint(1, info.elemType);
      tensorType.message(2, (shape) => {
        for (const dim of info.dims) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.varint(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}
