/** The ONNX element types this package writes (values of `TensorProto.DataType`). */
export const OnnxDataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

/** Tensor contents, row-major; the array type gives the element type. */
export type OnnxTensorData = Float32Array | Int32Array | BigInt64Array;

/** A constant tensor (a graph initializer). */
export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: OnnxTensorData;
}

/** A node attribute: an integer, a string, a list of integers, or a float wrapped as `{ float }`. */
export type OnnxAttributeValue = number | string | readonly number[] | { readonly float: number };

/** One operator of the graph. */
export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttributeValue>>;
}

/** A dimension is a fixed size or a symbolic name such as `batch`. */
export type OnnxDim = number | string;

/** A graph input or output: name, element type and shape. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: OnnxDataType;
  readonly dims: readonly OnnxDim[];
}

/** A whole model as this package writes it: one graph in the default domain, plus `metadata_props`. */
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
