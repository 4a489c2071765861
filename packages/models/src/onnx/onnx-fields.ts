// Field numbers from onnx/onnx.proto (proto2), for the messages and fields this package reads or writes.

/** `ModelProto`. */
export const MODEL = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
/** `OperatorSetIdProto`. */
export const OPSET_ID = { domain: 1, version: 2 } as const;
/** `StringStringEntryProto` (one `metadata_props` entry). */
export const STRING_STRING_ENTRY = { key: 1, value: 2 } as const;
/** `GraphProto`. */
export const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
/** `NodeProto`. */
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
/** `AttributeProto`. */
export const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, ints: 8, type: 20 } as const;
/** `AttributeProto.AttributeType`. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;
/** `TensorProto`. */
export const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
/** `ValueInfoProto`. */
export const VALUE_INFO = { name: 1, type: 2 } as const;
/** `TypeProto`, and its `Tensor` and the `TensorShapeProto` with its `Dimension`. */
export const TYPE = { tensorType: 1 } as const;
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
export const TENSOR_SHAPE = { dim: 1 } as const;
export const DIMENSION = { dimValue: 1, dimParam: 2 } as const;
