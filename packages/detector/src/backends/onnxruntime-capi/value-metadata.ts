import type { InferenceSession } from 'onnxruntime-node';
import { readString } from './native-memory.js';
import { ELEMENT_TYPES, ONNX_TYPE_TENSOR } from './ort-api-table.js';
import type { OrtApi, Pointer } from './ort-library.js';
import { check } from './ort-status.js';

/** Element type and dimensions of an `OrtTensorTypeAndShapeInfo`; symbolic dimensions by name. */
export function tensorShape(
  api: OrtApi,
  info: Pointer,
): { readonly elementType: number; readonly dims: readonly number[]; readonly symbolic: readonly string[] } {
  const type = new Int32Array(1);
  check(api, api.GetTensorElementType(info, type), 'GetTensorElementType');
  const countOut = new BigUint64Array(1);
  check(api, api.GetDimensionsCount(info, countOut), 'GetDimensionsCount');
  const count = Number(countOut[0]);
  const dims = new BigInt64Array(Math.max(1, count));
  if (count > 0) check(api, api.GetDimensions(info, dims, count), 'GetDimensions');
  const names = new BigUint64Array(Math.max(1, count));
  if (count > 0) check(api, api.GetSymbolicDimensions(info, names, count), 'GetSymbolicDimensions');
  const symbolic = [...names.subarray(0, count)].map((p) => (p ? readString(p) : ''));
  return { elementType: type[0]!, dims: Array.from(dims.subarray(0, count), Number), symbolic };
}

/** `ONNXTensorElementDataType` → onnxruntime-node's type name (`float32`, `float16`, `int64`, …). */
export function elementTypeName(elementType: number): string {
  return ELEMENT_TYPES[elementType] ?? `onnx-type-${elementType}`;
}

/**
 * The session's inputs or outputs in onnxruntime-node's `ValueMetadata` shape: a dimension without a
 * fixed size is its symbolic name (or its ORT value, -1, when it has none).
 */
export function sessionValueMetadata(
  api: OrtApi,
  session: Pointer,
  allocator: Pointer,
  which: 'input' | 'output',
): InferenceSession.ValueMetadata[] {
  const countOut = new BigUint64Array(1);
  check(
    api,
    which === 'input'
      ? api.SessionGetInputCount(session, countOut)
      : api.SessionGetOutputCount(session, countOut),
    `SessionGet${which === 'input' ? 'Input' : 'Output'}Count`,
  );
  const values: InferenceSession.ValueMetadata[] = [];
  for (let i = 0; i < Number(countOut[0]); i++) {
    const name = valueName(api, session, allocator, which, i);
    const out = new BigUint64Array(1);
    check(
      api,
      which === 'input'
        ? api.SessionGetInputTypeInfo(session, i, out)
        : api.SessionGetOutputTypeInfo(session, i, out),
      'SessionGetTypeInfo',
    );
    const typeInfo = out[0]!;
    try {
      const onnxType = new Int32Array(1);
      check(api, api.GetOnnxTypeFromTypeInfo(typeInfo, onnxType), 'GetOnnxTypeFromTypeInfo');
      if (onnxType[0] !== ONNX_TYPE_TENSOR) {
        values.push({ name, isTensor: false });
        continue;
      }
      // The tensor info belongs to the type info: not released on its own.
      const info = new BigUint64Array(1);
      check(api, api.CastTypeInfoToTensorInfo(typeInfo, info), 'CastTypeInfoToTensorInfo');
      const shape = tensorShape(api, info[0]!);
      values.push({
        name,
        isTensor: true,
        type: elementTypeName(shape.elementType) as InferenceSession.TensorValueMetadata['type'],
        shape: shape.dims.map((d, k) => (d >= 0 ? d : shape.symbolic[k] || d)),
      });
    } finally {
      api.ReleaseTypeInfo(typeInfo);
    }
  }
  return values;
}

/** An input or output name: allocated by ORT with the default allocator, copied, then freed there. */
function valueName(
  api: OrtApi,
  session: Pointer,
  allocator: Pointer,
  which: 'input' | 'output',
  index: number,
): string {
  const out = new BigUint64Array(1);
  check(
    api,
    which === 'input'
      ? api.SessionGetInputName(session, index, allocator, out)
      : api.SessionGetOutputName(session, index, allocator, out),
    'SessionGetName',
  );
  try {
    return readString(out[0]!);
  } finally {
    check(api, api.AllocatorFree(allocator, out[0]!), 'AllocatorFree');
  }
}
