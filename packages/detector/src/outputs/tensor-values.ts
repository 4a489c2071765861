import type { TensorLike } from '../candidate.js';
import { halfBufferToFloat32 } from '../float16.js';

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
