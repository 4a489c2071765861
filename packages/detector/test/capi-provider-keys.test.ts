import { describe, expect, it } from 'vitest';
import { ProviderOptionError, providerOrtOptions } from '../src/backends/onnxruntime-capi/provider-keys.js';

const dynamic = [{ name: 'images', shape: ['batch', 3, 640, 640] }];

describe('providerOrtOptions: provider entries → ORT keys, without any library', () => {
  it('maps every TensorRtProvider field to its trt_* key, the profile from the model’s real input', () => {
    const keys = providerOrtOptions(
      {
        name: 'tensorrt',
        deviceId: 1,
        fp16: true,
        int8: true,
        int8CalibrationTable: 'calib.table',
        engineCachePath: '/var/cache/trt',
        workspaceSize: 2 ** 31,
        profile: { min: 1, opt: 4, max: 8 },
      },
      dynamic,
    );
    expect(keys).toEqual({
      provider: 'tensorrt',
      kind: 'tensorrt',
      ortName: 'TensorRT',
      keys: [
        ['device_id', '1'],
        ['trt_fp16_enable', '1'],
        ['trt_int8_enable', '1'],
        ['trt_int8_calibration_table_name', 'calib.table'],
        ['trt_engine_cache_enable', '1'],
        ['trt_engine_cache_path', '/var/cache/trt'],
        ['trt_max_workspace_size', '2147483648'],
        ['trt_profile_min_shapes', 'images:1x3x640x640'],
        ['trt_profile_opt_shapes', 'images:4x3x640x640'],
        ['trt_profile_max_shapes', 'images:8x3x640x640'],
      ],
    });
  });

  it('adds raw keys (booleans as 1/0, numbers in decimal), which win over the mapped ones', () => {
    const { keys } = providerOrtOptions({
      name: 'tensorrt',
      fp16: true,
      options: {
        trt_timing_cache_enable: true,
        trt_dla_enable: true,
        trt_dla_core: 1,
        trt_builder_optimization_level: 5,
        trt_fp16_enable: false,
      },
    });
    expect(Object.fromEntries(keys)).toEqual({
      trt_fp16_enable: '0',
      trt_timing_cache_enable: '1',
      trt_dla_enable: '1',
      trt_dla_core: '1',
      trt_builder_optimization_level: '5',
    });
  });

  it('refuses an unknown TensorRT key by name (ORT itself parses keys only once the provider library loads)', () => {
    const call = () => providerOrtOptions({ name: 'tensorrt', options: { trt_fp16: 1 } });
    expect(call).toThrow(ProviderOptionError);
    expect(call).toThrow(
      /^execution provider tensorrt: option "trt_fp16": unknown key; the TensorRT provider takes device_id, /,
    );
  });

  it('needs no profile for a static model and refuses one it cannot fill', () => {
    const fixed = providerOrtOptions({ name: 'tensorrt', profile: { min: 1, opt: 1, max: 1 } }, [
      { name: 'images', shape: [1, 3, 640, 640] },
    ]);
    expect(fixed.keys).toEqual([]);
    expect(() => providerOrtOptions({ name: 'tensorrt', profile: { min: 1, opt: 2, max: 4 } })).toThrow(
      /option "profile": needs the model's inputs/,
    );
    expect(() =>
      providerOrtOptions({ name: 'tensorrt', profile: { min: 1, opt: 2, max: 4 } }, [
        { name: 'images', shape: ['batch', 3, 'height', 'width'] },
      ]),
    ).toThrow(/input images dimension 2 is "height": set trt_profile_min_shapes\/opt\/max in options/);
    expect(() =>
      providerOrtOptions({ name: 'tensorrt', profile: { min: 4, opt: 2, max: 8 } }, dynamic),
    ).toThrow(/needs 1 <= min <= opt <= max/);
  });

  it('maps CUDA: deviceId and the raw device_id, cudnn_conv_algo_search, gpu_mem_limit; refuses unknown keys', () => {
    expect(
      providerOrtOptions({
        name: 'cuda',
        deviceId: 0,
        options: { cudnn_conv_algo_search: 'HEURISTIC', gpu_mem_limit: 4 * 2 ** 30 },
      }),
    ).toEqual({
      provider: 'cuda',
      kind: 'cuda',
      ortName: 'CUDA',
      keys: [
        ['device_id', '0'],
        ['cudnn_conv_algo_search', 'HEURISTIC'],
        ['gpu_mem_limit', '4294967296'],
      ],
    });
    expect(providerOrtOptions('cuda').keys).toEqual([]);
    expect(() => providerOrtOptions({ name: 'cuda', options: { conv_algo: 'x' } })).toThrow(
      /option "conv_algo"/,
    );
  });

  it('passes any other provider generically under ORT’s name, with its keys as given', () => {
    expect(
      providerOrtOptions({ name: 'openvino', options: { device_type: 'GPU', num_of_threads: 4 } }),
    ).toEqual({
      provider: 'openvino',
      kind: 'generic',
      ortName: 'OpenVINO',
      keys: [
        ['device_type', 'GPU'],
        ['num_of_threads', '4'],
      ],
    });
    expect(providerOrtOptions({ name: 'qnn', options: { backend_path: 'libQnnHtp.so' } }).ortName).toBe(
      'QNN',
    );
    expect(providerOrtOptions({ name: 'SomeNewEP', options: {} }).ortName).toBe('SomeNewEP');
    expect(providerOrtOptions({ name: 'webgpu', preferredLayout: 'NHWC' }).keys).toEqual([
      ['preferredLayout', 'NHWC'],
    ]);
  });

  it('maps cpu to its thread count and refuses raw keys or bad values', () => {
    expect(providerOrtOptions({ name: 'cpu', threads: 2 })).toMatchObject({
      kind: 'cpu',
      intraOpThreads: 2,
      keys: [],
    });
    expect(providerOrtOptions('cpu').intraOpThreads).toBe(0);
    expect(() => providerOrtOptions({ name: 'cpu', options: { x: 1 } })).toThrow(/cpu takes no raw options/);
    expect(() => providerOrtOptions({ name: 'openvino', options: { num_of_threads: Number.NaN } })).toThrow(
      /option "num_of_threads": NaN is not a number/,
    );
  });
});
