import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { toExecutionProviders } from '../src/agent/providers.js';
import { parseProviderFlag } from '../src/cli/detect-command.js';
import { ConfigError } from '../src/config/issues.js';
import { parseConfigText } from '../src/config/load.js';
import { type AgentProcess, metricValue, scrape, startAgent, waitFor } from './helpers/agent-process.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const MODEL = sharedPath('models', 'yolov5s-coco-640.onnx');
const BUS = sharedPath('images', 'yolov7', 'bus.jpg');
const dir = mkdtempSync(join(tmpdir(), 'rxv-runtime-'));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

function issuesOf(text: string): { path: string; message: string; hint: string }[] {
  try {
    parseConfigText(text, 'x.yml', {});
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

const detector = (lines: string[]) =>
  ['detectors:', '  d:', `    model: ${MODEL}`, ...lines.map((l) => `    ${l}`)].join('\n');

describe('config: detectors.<name>.runtime, runtime_library and provider options', () => {
  it('reads runtime, runtime_library and every provider form into the detector’s entries', () => {
    const config = parseConfigText(
      detector([
        'runtime: onnxruntime-capi',
        'providers:',
        '  - tensorrt: { fp16: true, engine_cache_path: /c, profile: { min: 1, opt: 4, max: 8 }, trt_timing_cache_enable: true }',
        '  - cuda: { device_id: 0, cudnn_conv_algo_search: HEURISTIC, gpu_mem_limit: 1073741824 }',
        '  - openvino: { device_type: NPU }',
        '  - cpu',
      ]),
      'x.yml',
      {},
    );
    const d = config.detectors.d!;
    expect(d.runtime).toBe('onnxruntime-capi');
    expect(toExecutionProviders(d.providers)).toEqual([
      {
        name: 'tensorrt',
        fp16: true,
        engineCachePath: '/c',
        profile: { min: 1, opt: 4, max: 8 },
        options: { trt_timing_cache_enable: true },
      },
      { name: 'cuda', deviceId: 0, cudnnConvAlgoSearch: 'HEURISTIC', gpuMemLimit: 1073741824 },
      { name: 'openvino', options: { device_type: 'NPU' } },
      'cpu',
    ]);
    expect(parseConfigText(detector([]), 'x.yml', {}).detectors.d?.runtime).toBe('onnxruntime-node');
  });

  it('fails an unknown TensorRT or CUDA option key with the key’s path and the keys the provider takes', () => {
    const issues = issuesOf(
      detector([
        'runtime: onnxruntime-capi',
        'providers:',
        '  - tensorrt: { fp16: true, trt_fp17_enable: true }',
        '  - cuda: { cudnn_conv_algo: HEURISTIC }',
        '  - cpu',
      ]),
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'detectors.d.providers[0].tensorrt.trt_fp17_enable: unknown tensorrt option',
      'detectors.d.providers[1].cuda.cudnn_conv_algo: unknown cuda option',
    ]);
    expect(issues[0]?.hint).toContain('trt_fp16_enable');
    expect(issues[0]?.hint).toContain('engine_cache_path');
    expect(issues[1]?.hint).toContain('cudnn_conv_algo_search');
  });

  it('refuses, on the default runtime, the TensorRT options onnxruntime-node would drop, saying what to set', () => {
    const issues = issuesOf(
      detector(['providers:', '  - tensorrt: { fp16: true, device_id: 0 }', '  - cpu']),
    );
    expect(issues).toEqual([
      {
        path: 'detectors.d.providers[0].tensorrt.fp16',
        message: expect.stringMatching(/option "fp16" needs runtime onnxruntime-capi/),
        hint: expect.stringContaining('runtime: onnxruntime-capi'),
      },
    ]);
    expect(issuesOf(detector(['providers: [openvino]']))[0]?.path).toBe('detectors.d.providers[0].openvino');
    expect(issuesOf(detector(['runtime_library: /x.so']))[0]).toMatchObject({
      path: 'detectors.d.runtime_library',
      message: 'runtime_library is for runtime onnxruntime-capi',
    });
  });
});

describe('a missing or wrong runtime_library: one clear error from validate and run', () => {
  const config = (library: string) => {
    const file = join(dir, `agent-${library.replace(/\W/g, '_')}.yml`);
    writeFileSync(
      file,
      [
        detector(['runtime: onnxruntime-capi', `runtime_library: ${library}`]),
        'cameras:',
        '  c:',
        '    url: rtsp://127.0.0.1:9/none',
        '    detector: d',
      ].join('\n'),
    );
    return file;
  };

  it('names the key and the fix for a path that does not exist', () => {
    const file = config('/nonexistent/libonnxruntime.so');
    for (const command of ['validate', 'run']) {
      const run = cli(command, '--config', file);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        /detectors\.d\.runtime_library: \/nonexistent\/libonnxruntime\.so does not exist\. Fix: give the path of ONNX Runtime's libonnxruntime\.so/,
      );
      expect(run.stderr).toMatch(/: 1 problem\n/);
    }
  });

  it('names the key for a file that is not ONNX Runtime', () => {
    const run = cli('validate', '--config', config(MODEL));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /detectors\.d\.runtime_library: .*(cannot be loaded|is not an ONNX Runtime library)/,
    );
  });
});

describe('edge-agent detect --runtime onnxruntime-capi (the built CLI)', () => {
  it('prints exactly the default runtime’s stdout on bus.jpg, naming the runtime and provider on stderr', () => {
    const node = cli('detect', '--model', MODEL, BUS);
    const capi = cli('detect', '--model', MODEL, '--runtime', 'onnxruntime-capi', BUS);
    expect(node.status).toBe(0);
    expect(capi.status).toBe(0);
    expect(capi.stdout).toBe(node.stdout);
    expect(capi.stdout).toContain('"label":"bus"');
    expect(capi.stderr).toMatch(/serving on cpu \(runtime onnxruntime-capi 1\.\d+\.\d+, .*libonnxruntime/);
    expect(node.stderr).toMatch(/serving on cpu \(runtime onnxruntime-node 1\.\d+\.\d+\)/);
  });

  it('tries --provider entries in order, with the config’s keys, and says why each was skipped', () => {
    const run = cli(
      'detect',
      '--model',
      MODEL,
      '--runtime',
      'onnxruntime-capi',
      '--provider',
      `tensorrt:fp16=true,engine_cache_path=${join(dir, 'trt')}`,
      '--provider',
      'cuda:device_id=0',
      '--provider',
      'cpu',
      BUS,
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(cli('detect', '--model', MODEL, BUS).stdout);
    expect(run.stderr).toMatch(/provider tensorrt skipped: UpdateTensorRTProviderOptions: /);
    expect(run.stderr).toMatch(/provider cuda skipped: /);
    expect(run.stderr).toMatch(/serving on cpu \(runtime onnxruntime-capi/);
  });

  it('refuses, with exit 1 and the way out, a TensorRT option on the default runtime, and a bad --runtime with exit 2', () => {
    const refused = cli(
      'detect',
      '--model',
      MODEL,
      '--provider',
      'tensorrt:fp16=true',
      '--provider',
      'cpu',
      BUS,
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/option "fp16" needs runtime onnxruntime-capi/);
    expect(refused.stdout).toBe('');
    const usage = cli('detect', '--model', MODEL, '--runtime', 'tensorflow', BUS);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--runtime must be onnxruntime-node or onnxruntime-capi');
  });

  it('parses --provider values as the YAML would (booleans, numbers, profile min/opt/max)', () => {
    expect(
      parseProviderFlag('tensorrt:fp16=true,workspace_size=1024,profile=1/4/8,trt_dla_enable=false'),
    ).toEqual({
      name: 'tensorrt',
      fp16: true,
      workspaceSize: 1024,
      profile: { min: 1, opt: 4, max: 8 },
      options: { trt_dla_enable: false },
    });
    expect(parseProviderFlag('openvino:device_type=GPU')).toEqual({
      name: 'openvino',
      options: { device_type: 'GPU' },
    });
    expect(parseProviderFlag('cpu')).toBe('cpu');
  });
});

describe('edge-agent run: the serving runtime and provider in the log, /metrics and /api/cameras', () => {
  let agent: AgentProcess | undefined;
  afterAll(() => agent?.kill('SIGKILL'));

  it('shows runtime, provider and runtime version for the detector and each camera', async () => {
    const file = join(dir, 'agent-run.yml');
    writeFileSync(
      file,
      [
        'http:',
        '  listen: 127.0.0.1:0',
        detector(['runtime: onnxruntime-capi', 'providers: [cuda, cpu]']),
        'cameras:',
        '  hall:',
        `    url: ${sharedPath('videos', 'people-walking-indoor.mp4')}`,
        '    fps: 2',
        '    detector: d',
      ].join('\n'),
    );
    agent = startAgent(['run', '--config', file]);
    const base = await agent.httpUrl();
    const camera = await waitFor('the camera’s detector loaded in /api/cameras', async () => {
      const cameras = (await (await fetch(`${base}/api/cameras`)).json()) as {
        id: string;
        detector?: { state: string; runtime?: string; provider?: string; runtimeVersion?: string };
      }[];
      const hall = cameras.find((c) => c.id === 'hall');
      return hall?.detector?.state === 'loaded' ? hall : undefined;
    });
    expect(camera.detector).toMatchObject({ name: 'd', runtime: 'onnxruntime-capi', provider: 'cpu' });
    expect(camera.detector?.runtimeVersion).toMatch(/^1\.\d+/);
    const samples = await scrape(base);
    expect(
      metricValue(samples, 'rxvision_detector_info', {
        detector: 'd',
        runtime: 'onnxruntime-capi',
        provider: 'cpu',
        runtime_version: camera.detector!.runtimeVersion!,
      }),
    ).toBe(1);
    expect(agent.stderr()).toMatch(/serving on cpu \(runtime onnxruntime-capi/);
    expect(agent.stderr()).toMatch(/provider cuda skipped/);
  });
});
