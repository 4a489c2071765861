import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly gpu: string;
  readonly os: string;
  readonly node: string;
  readonly onnxruntime: string;
  readonly ffmpeg: string;
}

/** What the figures were measured on, so a reader can place them. */
export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    gpu: gpuName(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    onnxruntime: packageVersion('onnxruntime-node'),
    ffmpeg: ffmpegVersion('/usr/bin/ffmpeg'),
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    // not Linux: fall back to what Node sees
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function gpuName(): string {
  if (!existsSync('/proc/driver/nvidia/gpus')) return 'no GPU';
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .join(', ');
  } catch {
    return 'NVIDIA driver present, nvidia-smi unavailable';
  }
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require(`${name}/package.json`) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

function ffmpegVersion(path: string): string {
  try {
    const first = execFileSync(path, ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
    return first.replace(/^ffmpeg version /, '').split(' ')[0] ?? 'unknown';
  } catch {
    return 'not found';
  }
}
