import { Tensor } from 'onnxruntime-node';
import type { InputBuffer } from '../../preprocess.js';
import type { InputElementType } from '../inference-backend.js';

/** An onnxruntime-node tensor over `data` (no copy); the element type must match the array's. */
export function ortTensor(type: InputElementType, data: InputBuffer, dims: readonly number[]): Tensor {
  const shape = [...dims];
  if (type === 'uint8' && data instanceof Uint8Array) return new Tensor('uint8', data, shape);
  if (type === 'float16' && data instanceof Uint16Array) return new Tensor('float16', data, shape);
  if (type === 'float32' && data instanceof Float32Array) return new Tensor('float32', data, shape);
  throw new TypeError(`a ${type} input cannot be made of a ${data.constructor.name}`);
}
