import { ProtobufWriter } from '../protobuf/protobuf-writer.js';
import {
  ATTRIBUTE,
  ATTRIBUTE_TYPE,
  DIMENSION,
  GRAPH,
  MODEL,
  NODE,
  OPSET_ID,
  STRING_STRING_ENTRY,
  TENSOR,
  TENSOR_SHAPE,
  TENSOR_TYPE,
  TYPE,
  VALUE_INFO,
} from './onnx-fields.js';
import {
  type OnnxAttributeValue,
  OnnxDataType,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxTensorData,
  type OnnxValueInfo,
} from './onnx-model.js';

/**
 * Serialises a model to the bytes of an ONNX `ModelProto`, ready to write to a `.onnx` file.
 * Repeated scalars are written unpacked, the proto2 default.
 */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtobufWriter();
  w.varint(MODEL.irVersion, model.irVersion);
  w.string(MODEL.producerName, model.producerName);
  w.message(MODEL.graph, (g) => writeGraph(g, model));
  w.message(MODEL.opsetImport, (o) =>
    o.string(OPSET_ID.domain, '').varint(OPSET_ID.version, model.opsetVersion),
  );
  for (const [key, value] of Object.entries(model.metadata)) {
    w.message(MODEL.metadataProps, (p) =>
      p.string(STRING_STRING_ENTRY.key, key).string(STRING_STRING_ENTRY.value, value),
    );
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
  v.string(VALUE_INFO.name, info.name);
  v.message(VALUE_INFO.type, (type) =>
    type.message(TYPE.tensorType, (tensorType) => {
      tensorType.varint(TENSOR_TYPE.elemType, info.elemType);
      tensorType.message(TENSOR_TYPE.shape, (shape) => {
        for (const dim of info.dims) {
          shape.message(TENSOR_SHAPE.dim, (d) =>
            typeof dim === 'number' ? d.varint(DIMENSION.dimValue, dim) : d.string(DIMENSION.dimParam, dim),
          );
        }
      });
    }),
  );
}
