import { ProtobufReader } from '../protobuf/protobuf-reader.js';
import { WireType } from '../protobuf/wire-type.js';
import {
  DIMENSION,
  GRAPH,
  MODEL,
  OPSET_ID,
  TENSOR,
  TENSOR_SHAPE,
  TENSOR_TYPE,
  TYPE,
  VALUE_INFO,
} from './onnx-fields.js';
import type { OnnxDataType, OnnxDim, OnnxValueInfo } from './onnx-model.js';

/** A model's graph inputs and outputs and its default-domain opset, read without decoding the nodes. */
export interface OnnxSignature {
  readonly opsetVersion: number;
  /** Graph inputs that are not initializers (old exports list their weights as inputs too). */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

/**
 * Reads the signature of ONNX model bytes. Nodes and initializers are skipped by length, except that
 * initializer names are collected to tell weights listed as inputs from real inputs.
 *
 * ## Example
 * ```ts
 * const { inputs, outputs } = readOnnxSignature(await readFile('yolov7-tiny.onnx'));
 * ```
 */
export function readOnnxSignature(bytes: Uint8Array): OnnxSignature {
  let opsetVersion = 1;
  let graph: ProtobufReader | undefined;
  const model = new ProtobufReader(bytes);
  while (!model.done()) {
    const { field, wireType } = model.tag();
    if (field === MODEL.graph && wireType === WireType.LENGTH_DELIMITED) graph = model.message();
    else if (field === MODEL.opsetImport && wireType === WireType.LENGTH_DELIMITED) {
      const opset = readOpset(model.message());
      if (opset.domain === '' || opset.domain === 'ai.onnx') opsetVersion = opset.version;
    } else model.skip(wireType);
  }
  if (!graph) throw new RangeError('ONNX model has no graph');
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const initializers = new Set<string>();
  while (!graph.done()) {
    const { field, wireType } = graph.tag();
    if (wireType !== WireType.LENGTH_DELIMITED) graph.skip(wireType);
    else if (field === GRAPH.input) inputs.push(readValueInfo(graph.message()));
    else if (field === GRAPH.output) outputs.push(readValueInfo(graph.message()));
    else if (field === GRAPH.initializer) initializers.add(readName(graph.message()));
    else graph.skip(wireType);
  }
  return { opsetVersion, inputs: inputs.filter((i) => !initializers.has(i.name)), outputs };
}

function readOpset(r: ProtobufReader): { domain: string; version: number } {
  let domain = '';
  let version = 1;
  while (!r.done()) {
    const { field, wireType } = r.tag();
    if (field === OPSET_ID.domain && wireType === WireType.LENGTH_DELIMITED) domain = r.string();
    else if (field === OPSET_ID.version && wireType === WireType.VARINT) version = r.varint();
    else r.skip(wireType);
  }
  return { domain, version };
}

function readName(r: ProtobufReader): string {
  while (!r.done()) {
    const { field, wireType } = r.tag();
    if (field === TENSOR.name && wireType === WireType.LENGTH_DELIMITED) return r.string();
    r.skip(wireType);
  }
  return '';
}

/** A `ValueInfoProto`; a value that is not a tensor reads as element type 0 and no dimensions. */
export function readValueInfo(r: ProtobufReader): OnnxValueInfo {
  let name = '';
  let elemType = 0;
  const dims: OnnxDim[] = [];
  while (!r.done()) {
    const { field, wireType } = r.tag();
    if (field === VALUE_INFO.name && wireType === WireType.LENGTH_DELIMITED) name = r.string();
    else if (field === VALUE_INFO.type && wireType === WireType.LENGTH_DELIMITED) {
      const type = fieldMessage(r.message(), TYPE.tensorType);
      if (!type) continue;
      while (!type.done()) {
        const t = type.tag();
        if (t.field === TENSOR_TYPE.elemType && t.wireType === WireType.VARINT) elemType = type.varint();
        else if (t.field === TENSOR_TYPE.shape && t.wireType === WireType.LENGTH_DELIMITED)
          dims.push(...readShape(type.message()));
        else type.skip(t.wireType);
      }
    } else r.skip(wireType);
  }
  return { name, elemType: elemType as OnnxDataType, dims };
}

function readShape(shape: ProtobufReader): OnnxDim[] {
  const dims: OnnxDim[] = [];
  while (!shape.done()) {
    const { field, wireType } = shape.tag();
    if (field !== TENSOR_SHAPE.dim || wireType !== WireType.LENGTH_DELIMITED) {
      shape.skip(wireType);
      continue;
    }
    const dim = shape.message();
    let value: OnnxDim = '?';
    while (!dim.done()) {
      const d = dim.tag();
      if (d.field === DIMENSION.dimValue && d.wireType === WireType.VARINT) value = dim.varint();
      else if (d.field === DIMENSION.dimParam && d.wireType === WireType.LENGTH_DELIMITED)
        value = dim.string();
      else dim.skip(d.wireType);
    }
    dims.push(value);
  }
  return dims;
}

function fieldMessage(r: ProtobufReader, wanted: number): ProtobufReader | undefined {
  while (!r.done()) {
    const { field, wireType } = r.tag();
    if (field === wanted && wireType === WireType.LENGTH_DELIMITED) return r.message();
    r.skip(wireType);
  }
  return undefined;
}
