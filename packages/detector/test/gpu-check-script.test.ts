import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRuntimeLibrary } from '../src/backends/onnxruntime-capi/index.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', '..', '..', 'scripts', 'device', 'gpu-check.sh');
const work = mkdtempSync(join(tmpdir(), 'rxv-gpu-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the script; resolves with its exit code and output instead of throwing on a non-zero code. */
async function gpuCheck(args: string[], env: Record<string, string | undefined>) {
  const clean = { ...process.env, RXVISION_ORT_LIB: undefined, RXVISION_PROVIDERS: undefined, ...env };
  try {
    const { stdout, stderr } = await run('bash', [SCRIPT, ...args], { env: clean, timeout: 240_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

// The GPU paths cannot run on this machine (no GPU, no TensorRT): what is checked is the script's own
// argument handling and its CPU path on onnxruntime-node's libonnxruntime.
describe('scripts/device/gpu-check.sh', () => {
  const lib = defaultRuntimeLibrary();

  it('says how to get a library when RXVISION_ORT_LIB is missing or wrong, and refuses bad arguments', async () => {
    const missing = await gpuCheck([], {});
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/RXVISION_ORT_LIB is not set[\s\S]*onnxruntime-linux-x64-gpu-<version>\.tgz/);
    expect((await gpuCheck([], { RXVISION_ORT_LIB: '/nonexistent.so' })).out).toMatch(/is not a file/);
    for (const [args, message] of [
      [['--runs', '0'], /--runs must be a positive integer/],
      [['--providers', 'gpu'], /unknown provider 'gpu'/],
      [['--frobnicate'], /unknown argument '--frobnicate'/],
    ] as const) {
      const result = await gpuCheck([...args], { RXVISION_ORT_LIB: lib });
      expect(result.code).toBe(2);
      expect(result.out).toMatch(message);
    }
    const help = await gpuCheck(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/RXVISION_ORT_LIB \(required\)/);
  });

  it.runIf(existsSync(lib))(
    'measures the CPU provider and reports a GPU provider that does not load',
    async () => {
      const result = await gpuCheck(['--runs', '1', '--skip-yolov7', '--providers', 'cuda,cpu'], {
        RXVISION_ORT_LIB: lib,
        RXVISION_GPU_CHECK_DIR: work,
      });
      expect(result.code).toBe(3);
      expect(result.out).toMatch(/cuda: does not load yolov7-tiny-640-untrained: /);
      expect(result.out).toMatch(
        /cpu: loads yolov7-tiny-640-untrained \(first start [\d.]+ s, serving on cpu\)/,
      );
      expect(result.out).toMatch(/cpu: yolov7-tiny-640-untrained batch 8: [\d.]+ images\/s/);
      const summary = JSON.parse(/gpu-check: (\{.*\})\s*$/.exec(result.out)![1]!);
      expect(summary.providers.cuda.loads).toBe(false);
      expect(summary.providers.cpu.models['yolov7-tiny-640-untrained'].b1_images_per_s).toBeGreaterThan(0);
    },
    240_000,
  );
});
