import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineCacheOf, withEnginePrefix } from '../src/backends/onnxruntime-capi/engine-cache.js';
import {
  engineCacheOutcome,
  enginePrefix,
  engineWillBuild,
  listEngines,
  providerOrtOptions,
} from '../src/backends/onnxruntime-capi/index.js';

// TensorRT cannot run here: the decision is tested over real directory listings before/after a start.
const dir = mkdtempSync(join(tmpdir(), 'rxv-trt-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TensorRT engine cache: first-start build or cached engine', () => {
  const prefix = enginePrefix('/models/yolov7-tiny.640.onnx');

  it('names engines after the model, in the characters ORT allows in a prefix', () => {
    expect(prefix).toBe('rxvision_yolov7_tiny_640');
  });

  it('announces a build when the directory (even a missing one) holds no engine of this model', () => {
    expect(engineWillBuild(listEngines(join(dir, 'not-yet'), prefix))).toBe(true);
    writeFileSync(join(dir, 'rxvision_other_model_123_sm87.engine'), 'x');
    writeFileSync(join(dir, `${prefix}_123_sm87.profile`), 'x');
    expect(engineWillBuild(listEngines(dir, prefix))).toBe(true);
  });

  it('reports the engine ORT wrote as built, and an untouched one as the cache serving', () => {
    const before = listEngines(dir, prefix);
    const engine = join(dir, `${prefix}_TRTKernel_graph_main_1234_0_0_fp16_sm87.engine`);
    writeFileSync(engine, 'plan');
    const afterBuild = listEngines(dir, prefix);
    expect(engineCacheOutcome(before, afterBuild)).toEqual({
      kind: 'built',
      engines: [`${prefix}_TRTKernel_graph_main_1234_0_0_fp16_sm87.engine`],
    });
    // Next start: the engine is there (no build announced) and stays untouched.
    expect(engineWillBuild(afterBuild)).toBe(false);
    expect(engineCacheOutcome(afterBuild, listEngines(dir, prefix)).kind).toBe('cached');
    // Rebuilt in place (a changed model or TensorRT version): written again, so built.
    utimesSync(engine, new Date(), new Date(Date.now() + 5000));
    expect(engineCacheOutcome(afterBuild, listEngines(dir, prefix)).kind).toBe('built');
  });

  it('sets the prefix only where the plan caches engines, sets none itself, and ORT has the key', () => {
    const caching = providerOrtOptions({ name: 'tensorrt', fp16: true, engineCachePath: dir });
    expect(engineCacheOf(caching)).toEqual({ directory: dir, prefix: 'TensorrtExecutionProvider' });
    const named = withEnginePrefix(caching, '/m/yolov7.onnx', '1.30.0');
    expect(engineCacheOf(named)).toEqual({ directory: dir, prefix: 'rxvision_yolov7' });
    expect(withEnginePrefix(caching, '/m/yolov7.onnx', '1.16.3')).toBe(caching);
    const own = providerOrtOptions({
      name: 'tensorrt',
      engineCachePath: dir,
      options: { trt_engine_cache_prefix: 'mine' },
    });
    expect(withEnginePrefix(own, '/m/yolov7.onnx', '1.30.0')).toBe(own);
    expect(engineCacheOf(providerOrtOptions({ name: 'tensorrt', fp16: true }))).toBeUndefined();
    expect(engineCacheOf(providerOrtOptions('cpu'))).toBeUndefined();
  });

  it('maps the new TensorRT and CUDA fields to their ORT keys', () => {
    expect(
      providerOrtOptions({ name: 'tensorrt', timingCachePath: '/t', dlaCore: 1, builderOptimizationLevel: 5 })
        .keys,
    ).toEqual([
      ['trt_timing_cache_enable', '1'],
      ['trt_timing_cache_path', '/t'],
      ['trt_dla_enable', '1'],
      ['trt_dla_core', '1'],
      ['trt_builder_optimization_level', '5'],
    ]);
    expect(
      providerOrtOptions({ name: 'cuda', deviceId: 1, cudnnConvAlgoSearch: 'HEURISTIC', gpuMemLimit: 1024 })
        .keys,
    ).toEqual([
      ['device_id', '1'],
      ['cudnn_conv_algo_search', 'HEURISTIC'],
      ['gpu_mem_limit', '1024'],
    ]);
  });
});
