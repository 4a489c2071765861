import type { TensorLike } from '../../candidate.js';
import type { InputBuffer } from '../../preprocess.js';
import type { InputElementType } from '../inference-backend.js';
import { addressOf, copyBytes } from './native-memory.js';
import type { OrtApi, Pointer } from './ort-library.js';
import { check } from './ort-status.js';
import { elementTypeName, tensorShape } from './value-metadata.js';

/** An input as `DetectorSession.run` receives it. */
export interface InputTensor {
  readonly type: InputElementType;
  readonly dims: readonly number[];
  readonly data: InputBuffer;
}

const INPUT_TYPES = { float32: 1, uint8: 2, float16: 10 } as const;
const INPUT_ARRAYS = { float32: Float32Array, uint8: Uint8Array, float16: Uint16Array } as const;

/**
 * An `OrtValue` over the caller's own buffer (`CreateTensorWithDataAsOrtValue`: no copy). The caller keeps
 * `tensor.data` referenced, unmoved and undetached until the value is released.
 */
export function createInputTensor(api: OrtApi, memoryInfo: Pointer, tensor: InputTensor): Pointer {
  const elements = tensor.dims.reduce((n, d) => n * d, 1);
  if (elements !== tensor.data.length)
    throw new RangeError(
      `input of shape [${tensor.dims.join(', ')}] needs ${elements} values, the buffer has ${tensor.data.length}`,
    );
  if (!(tensor.data instanceof INPUT_ARRAYS[tensor.type]))
    throw new TypeError(`a ${tensor.type} input needs a ${INPUT_ARRAYS[tensor.type].name}`);
  const out = new BigUint64Array(1);
  const shape = BigInt64Array.from(tensor.dims, (d) => BigInt(d));
  check(
    api,
    api.CreateTensorWithDataAsOrtValue(
      memoryInfo,
      addressOf(tensor.data),
      tensor.data.byteLength,
      shape,
      shape.length,
      INPUT_TYPES[tensor.type],
      out,
    ),
    'CreateTensorWithDataAsOrtValue',
  );
  return out[0]!;
}

type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** Output arrays as onnxruntime-node hands them out (float16 as raw bits, bool as bytes). */
const OUTPUT_ARRAYS: Readonly<Record<number, TypedArrayConstructor>> = {
  1: Float32Array,
  2: Uint8Array,
  3: Int8Array,
  4: Uint16Array,
  5: Int16Array,
  6: Int32Array,
  7: BigInt64Array,
  9: Uint8Array,
  10: Uint16Array,
  11: Float64Array,
  12: Uint32Array,
  13: BigUint64Array,
};

/** Copies an output `OrtValue` into a JS typed array (the value itself is released by the caller). */
export function readOutputTensor(api: OrtApi, value: Pointer, name: string): TensorLike {
  const infoOut = new BigUint64Array(1);
  check(api, api.GetTensorTypeAndShape(value, infoOut), 'GetTensorTypeAndShape');
  let shape: ReturnType<typeof tensorShape>;
  try {
    shape = tensorShape(api, infoOut[0]!);
  } finally {
    api.ReleaseTensorTypeAndShapeInfo(infoOut[0]!);
  }
  const ArrayType = OUTPUT_ARRAYS[shape.elementType];
  if (!ArrayType)
    throw new TypeError(
      `output ${name} is ${elementTypeName(shape.elementType)}, which this backend does not read`,
    );
  const elements = shape.dims.reduce((n, d) => n * d, 1);
  const dataOut = new BigUint64Array(1);
  check(api, api.GetTensorMutableData(value, dataOut), 'GetTensorMutableData');
  const bytes =
    elements === 0 ? new ArrayBuffer(0) : copyBytes(dataOut[0]!, elements * ArrayType.BYTES_PER_ELEMENT);
  return { type: elementTypeName(shape.elementType), dims: shape.dims, data: new ArrayType(bytes) };
}
