import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { addressOf, readString } from '../src/backends/onnxruntime-capi/native-memory.js';
import { ORT_API_SLOTS } from '../src/backends/onnxruntime-capi/ort-api-table.js';
import { defaultRuntimeLibrary, loadOrtApi } from '../src/backends/onnxruntime-capi/ort-library.js';
import { check, statusError } from '../src/backends/onnxruntime-capi/ort-status.js';
import { availableProviders } from '../src/backends/onnxruntime-capi/provider-options.js';

// A wrong slot index calls some other function and usually crashes the process: each call here is cheap
// and has an answer only the right function gives, so every index in the table is checked once.
const api = loadOrtApi();
const out = () => new BigUint64Array(1);

function withOptions<T>(fn: (options: bigint) => T): T {
  const o = out();
  check(api, api.CreateSessionOptions(o), 'CreateSessionOptions');
  try {
    return fn(o[0]!);
  } finally {
    api.ReleaseSessionOptions(o[0]!);
  }
}

describe('OrtApi slot indices on onnxruntime-node 1.30', () => {
  it('loads onnxruntime-node’s own library and reads its version', () => {
    expect(api.path).toBe(defaultRuntimeLibrary());
    expect(api.version).toMatch(/^1\.\d+\.\d+/);
  });

  it('CreateStatus (0), GetErrorCode (1), GetErrorMessage (2), ReleaseStatus (93)', () => {
    const status = api.CreateStatus(2, 'provoked for the test');
    expect(status).not.toBeNull();
    const error = statusError(api, status, 'CreateStatus');
    expect(error?.code).toBe(2);
    expect(error?.ortMessage).toBe('provoked for the test');
    expect(error?.message).toBe('CreateStatus: provoked for the test (INVALID_ARGUMENT)');
    expect(statusError(api, null, 'none')).toBeNull();
  });

  it('CreateEnv (3) / ReleaseEnv (92), CreateSessionOptions (10) / ReleaseSessionOptions (100), setters 23 and 24', () => {
    const env = out();
    check(api, api.CreateEnv(4, 'slots', env), 'CreateEnv');
    expect(env[0]).not.toBe(0n);
    withOptions((options) => {
      check(api, api.SetSessionGraphOptimizationLevel(options, 99), 'SetSessionGraphOptimizationLevel');
      check(api, api.SetIntraOpNumThreads(options, 1), 'SetIntraOpNumThreads');
    });
    api.ReleaseEnv(env[0]!);
  });

  it('CreateSession (7) answers a missing model with NO_SUCHFILE, an empty path with its own message', () => {
    const env = out();
    check(api, api.CreateEnv(4, 'slots', env), 'CreateEnv');
    withOptions((options) => {
      const error = statusError(
        api,
        api.CreateSession(env[0]!, '/nonexistent/model.onnx', options, out()),
        'CreateSession',
      );
      expect(error?.code).toBe(3);
      expect(error?.ortMessage).toContain('/nonexistent/model.onnx');
    });
    api.ReleaseEnv(env[0]!);
  });

  it('GetAllocatorWithDefaultOptions (78), CreateCpuMemoryInfo (69) / ReleaseMemoryInfo (94)', () => {
    const a = out();
    const b = out();
    check(api, api.GetAllocatorWithDefaultOptions(a), 'GetAllocatorWithDefaultOptions');
    check(api, api.GetAllocatorWithDefaultOptions(b), 'GetAllocatorWithDefaultOptions');
    expect(a[0]).toBe(b[0]); // always the same allocator
    const info = out();
    check(api, api.CreateCpuMemoryInfo(1, 0, info), 'CreateCpuMemoryInfo');
    api.ReleaseMemoryInfo(info[0]!);
  });

  it('tensors: 49, 51, 65, 60–64, 99, 96 — a value over our buffer (no copy) with its shape', () => {
    const info = out();
    check(api, api.CreateCpuMemoryInfo(1, 0, info), 'CreateCpuMemoryInfo');
    const data = new Float32Array(2 * 3 * 4).map((_, i) => i);
    const value = out();
    check(
      api,
      api.CreateTensorWithDataAsOrtValue(
        info[0]!,
        addressOf(data),
        data.byteLength,
        new BigInt64Array([2n, 3n, 4n]),
        3,
        1,
        value,
      ),
      'CreateTensorWithDataAsOrtValue',
    );
    const pointer = out();
    check(api, api.GetTensorMutableData(value[0]!, pointer), 'GetTensorMutableData');
    expect(pointer[0]).toBe(addressOf(data));
    const shape = out();
    check(api, api.GetTensorTypeAndShape(value[0]!, shape), 'GetTensorTypeAndShape');
    const type = new Int32Array(1);
    check(api, api.GetTensorElementType(shape[0]!, type), 'GetTensorElementType');
    expect(type[0]).toBe(1);
    const count = out();
    check(api, api.GetDimensionsCount(shape[0]!, count), 'GetDimensionsCount');
    expect(count[0]).toBe(3n);
    const dims = new BigInt64Array(3);
    check(api, api.GetDimensions(shape[0]!, dims, 3), 'GetDimensions');
    expect([...dims]).toEqual([2n, 3n, 4n]);
    const names = new BigUint64Array(3);
    check(api, api.GetSymbolicDimensions(shape[0]!, names, 3), 'GetSymbolicDimensions');
    const elements = out();
    check(api, api.GetTensorShapeElementCount(shape[0]!, elements), 'GetTensorShapeElementCount');
    expect(elements[0]).toBe(24n);
    api.ReleaseTensorTypeAndShapeInfo(shape[0]!);
    api.ReleaseValue(value[0]!);
    api.ReleaseMemoryInfo(info[0]!);
  });

  it('GetAvailableProviders (125) / ReleaseAvailableProviders (126)', () => {
    expect(availableProviders(api)).toContain('CPUExecutionProvider');
  });

  it('TensorRT 170–174, CUDA 204–208 and the generic append (216) answer with their own messages', () => {
    // The provider bridge logs through the default logger, which only exists while an env does.
    const env = out();
    check(api, api.CreateEnv(4, 'slots', env), 'CreateEnv');
    withOptions((options) => {
      const trt = out();
      check(api, api.CreateTensorRTProviderOptions(trt), 'CreateTensorRTProviderOptions');
      const updated = statusError(
        api,
        api.UpdateTensorRTProviderOptions(trt[0]!, ['trt_fp16_enable'], ['1'], 1),
        'u',
      );
      // Without the provider libraries ORT cannot even parse the keys (they are parsed by the provider).
      expect(updated?.ortMessage).toMatch(/libonnxruntime_providers_shared\.so/);
      const asString = statusError(api, api.GetTensorRTProviderOptionsAsString(trt[0]!, 0n, out()), 's');
      expect(asString?.ortMessage).toMatch(/libonnxruntime_providers_shared\.so/);
      const appended = statusError(
        api,
        api.SessionOptionsAppendExecutionProvider_TensorRT_V2(options, trt[0]!),
        'a',
      );
      expect(appended?.ortMessage).toMatch(/TensorRT/);
      api.ReleaseTensorRTProviderOptions(trt[0]!);

      const cuda = out();
      check(api, api.CreateCUDAProviderOptions(cuda), 'CreateCUDAProviderOptions');
      const cudaUpdated = statusError(
        api,
        api.UpdateCUDAProviderOptions(cuda[0]!, ['device_id'], ['0'], 1),
        'u',
      );
      expect(cudaUpdated?.ortMessage).toMatch(/libonnxruntime_providers_shared\.so/);
      const cudaAppended = statusError(
        api,
        api.SessionOptionsAppendExecutionProvider_CUDA_V2(options, cuda[0]!),
        'a',
      );
      expect(cudaAppended?.ortMessage).toMatch(/Cuda/i);
      api.ReleaseCUDAProviderOptions(cuda[0]!);

      const generic = statusError(
        api,
        api.SessionOptionsAppendExecutionProvider(options, 'NoSuchEP', [], [], 0),
        'g',
      );
      expect(generic?.ortMessage).toMatch(/Unknown provider name 'NoSuchEP'/);
    });
    api.ReleaseEnv(env[0]!);
  });

  it('the session slots (30, 31, 33, 34, 36, 37, 55, 56, 98, 76) read a real model', () => {
    const env = out();
    check(api, api.CreateEnv(4, 'slots', env), 'CreateEnv');
    const session = out();
    withOptions((options) =>
      check(
        api,
        api.CreateSession(env[0]!, sharedPath('models', 'yolov5s-coco-640-b1.onnx'), options, session),
        'CreateSession',
      ),
    );
    const count = out();
    check(api, api.SessionGetInputCount(session[0]!, count), 'SessionGetInputCount');
    expect(count[0]).toBe(1n);
    check(api, api.SessionGetOutputCount(session[0]!, count), 'SessionGetOutputCount');
    expect(count[0]).toBe(1n);
    const typeInfo = out();
    check(api, api.SessionGetOutputTypeInfo(session[0]!, 0, typeInfo), 'SessionGetOutputTypeInfo');
    const onnxType = new Int32Array(1);
    check(api, api.GetOnnxTypeFromTypeInfo(typeInfo[0]!, onnxType), 'GetOnnxTypeFromTypeInfo');
    expect(onnxType[0]).toBe(1);
    const tensorInfo = out();
    check(api, api.CastTypeInfoToTensorInfo(typeInfo[0]!, tensorInfo), 'CastTypeInfoToTensorInfo');
    const dims = new BigInt64Array(3);
    check(api, api.GetDimensions(tensorInfo[0]!, dims, 3), 'GetDimensions');
    expect([...dims]).toEqual([1n, 25200n, 85n]);
    api.ReleaseTypeInfo(typeInfo[0]!);
    check(api, api.SessionGetInputTypeInfo(session[0]!, 0, typeInfo), 'SessionGetInputTypeInfo');
    api.ReleaseTypeInfo(typeInfo[0]!);
    const allocator = out();
    check(api, api.GetAllocatorWithDefaultOptions(allocator), 'GetAllocatorWithDefaultOptions');
    for (const [get, expected] of [
      [api.SessionGetInputName, 'images'],
      [api.SessionGetOutputName, 'output'],
    ] as const) {
      const name = out();
      check(api, get(session[0]!, 0, allocator[0]!, name), 'SessionGetName');
      expect(readString(name[0]!)).toBe(expected);
      check(api, api.AllocatorFree(allocator[0]!, name[0]!), 'AllocatorFree');
    }
    api.ReleaseSession(session[0]!);
    api.ReleaseEnv(env[0]!);
  });

  it('keeps the library loaded through a full GC (a collected koffi handle would dlclose it)', () => {
    // This file never imports onnxruntime-node, so nothing else holds the library open.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    const error = statusError(api, api.CreateStatus(1, 'after gc'), 'CreateStatus');
    expect(error?.ortMessage).toBe('after gc');
  });

  it('lists every slot it verifies (Run, slot 9, is verified by the session tests)', () => {
    expect(Object.keys(ORT_API_SLOTS)).toHaveLength(48);
  });
});
