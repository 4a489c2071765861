import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import type { DetectLine } from '../src/cli/detect-command.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const MODEL = sharedPath('models', 'yolov5s-coco-640.onnx');

function detect(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'detect', '--model', MODEL, ...args], { encoding: 'utf8' });
}

const labels = (line: DetectLine) => line.detections.map((d) => d.label);

describe('edge-agent detect (the built CLI, the real model)', () => {
  it('prints the contract line per image: a bus and ≥3 persons in bus.jpg, a dog in dog.jpg', () => {
    const bus = sharedPath('images', 'yolov7', 'bus.jpg');
    const dog = sharedPath('images', 'darknet', 'dog.jpg');
    const run = detect(bus, dog);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as DetectLine);
    expect(Object.keys(first ?? {})).toEqual(['source', 'width', 'height', 'detections']);
    expect(first?.source).toBe(bus);
    expect([first?.width, first?.height]).toEqual([810, 1080]);
    expect(labels(first as DetectLine)).toContain('bus');
    expect(labels(first as DetectLine).filter((l) => l === 'person').length).toBeGreaterThanOrEqual(3);
    const busBox = first?.detections.find((d) => d.label === 'bus');
    expect(Object.keys(busBox ?? {})).toEqual(['bbox', 'score', 'classId', 'label']);
    expect(busBox?.classId).toBe(5);
    // The bus spans most of the photo's width in source pixels (not 640-px model space).
    expect(busBox?.bbox[2]).toBeGreaterThan(700);
    expect(second?.source).toBe(dog);
    const dogBox = second?.detections.find((d) => d.label === 'dog');
    expect(dogBox?.score).toBeGreaterThan(0.5);
  });

  it('honours --conf, and fails with a message and exit 1 on an unreadable image', () => {
    const bus = sharedPath('images', 'yolov7', 'bus.jpg');
    const strict = JSON.parse(detect('--conf', '0.8', bus).stdout) as DetectLine;
    expect(strict.detections.every((d) => d.score >= 0.8)).toBe(true);
    expect(strict.detections.length).toBeGreaterThan(0);
    const missing = detect('/nonexistent/photo.jpg');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/photo.jpg');
    const usage = detect('--conf', '7', bus);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--conf must be a number from 0 to 1');
  });
});
