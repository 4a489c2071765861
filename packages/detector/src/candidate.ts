import { halfBufferToFloat32 } from './float16.js';

/** A box in model-input pixels before it is mapped back to the source frame. */
export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
}

/** The part of an onnxruntime tensor the decoders read (tests build these by hand). */
export interface TensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** The tensor's values as float32, converting float16 bits in one table pass. */
export function floatData(tensor: TensorLike, name: string): Float32Array {
  if (tensor.type === 'float32' && tensor.data instanceof Float32Array) return tensor.data;
  if (tensor.type === 'float16' && tensor.data instanceof Uint16Array)
    return halfBufferToFloat32(tensor.data);
  if (tensor.type === 'float16' && tensor.data instanceof Float32Array) return tensor.data;
  throw new TypeError(`model output ${name} is ${tensor.type}; expected float32 or float16`);
}

/** Integer (or float) tensor values as plain numbers, int64 included. */
export function numberData(tensor: TensorLike, name: string): ArrayLike<number> {
  const data = tensor.data;
  if (data instanceof BigInt64Array) return Array.from(data, Number);
  if (
    data instanceof Int32Array ||
    data instanceof Float32Array ||
    data instanceof Uint8Array ||
    data instanceof Int8Array ||
    data instanceof Int16Array ||
    data instanceof Uint32Array
  )
    return data;
  if (tensor.type === 'float16' && data instanceof Uint16Array) return halfBufferToFloat32(data);
  throw new TypeError(`model output ${name} has unsupported element type ${tensor.type}`);
}
