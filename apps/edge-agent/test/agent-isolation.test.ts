import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, metricValue, scrape, startAgent, waitFor } from './helpers/agent-process.js';

interface CameraJson {
  readonly id: string;
  readonly framesProcessed: number;
  readonly restarts: number;
  readonly lastError?: string;
}

describe('edge-agent: one camera failing never touches another (real clips, real model)', () => {
  let agent: AgentProcess | undefined;
  afterAll(() => agent?.kill('SIGKILL'));

  it('restarts the failing camera with backoff and logs why, while the healthy one keeps processing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-isolation-'));
    const file = join(dir, 'agent.yml');
    // run refuses a missing model up front; this one passes that check (a complete ONNX header) and
    // fails in ONNX Runtime, so its camera restart-loops at run time.
    writeFileSync(
      join(dir, 'broken.onnx'),
      Buffer.from([0x08, 0x07, 0x3a, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    );
    writeFileSync(
      file,
      [
        'http: { listen: 127.0.0.1:0 }',
        'detectors:',
        `  good: { model: ${sharedPath('models', 'yolov5s-coco-640.onnx')} }`,
        `  broken: { model: ${join(dir, 'broken.onnx')} }`,
        'cameras:',
        `  hall: { url: ${sharedPath('videos', 'people-walking-indoor.mp4')}, fps: 2, detector: good }`,
        `  street: { url: ${sharedPath('videos', 'street-cars.mp4')}, fps: 2, detector: broken }`,
      ].join('\n'),
    );
    agent = startAgent(['run', '--config', file]);
    const base = await agent.httpUrl();
    const cameras = async () => (await (await fetch(`${base}/api/cameras`)).json()) as CameraJson[];
    const state = await waitFor(
      'street to have restarted twice while hall processes',
      async () => {
        const list = await cameras();
        const hall = list.find((c) => c.id === 'hall');
        const street = list.find((c) => c.id === 'street');
        return hall && street && street.restarts >= 2 && hall.framesProcessed >= 3
          ? { hall, street }
          : undefined;
      },
      90_000,
    );
    expect(state.hall.restarts).toBe(0);
    expect(state.street.framesProcessed).toBe(0);
    expect(state.street.lastError).toContain('broken.onnx');
    expect(agent.stderr()).toMatch(
      /"msg":"camera pipeline failed; restarting","camera":"street","error":"[^"]*broken\.onnx/,
    );
    const metrics = await scrape(base);
    expect(
      metricValue(metrics, 'rxvision_camera_pipeline_restarts_total', { camera: 'street' }),
    ).toBeGreaterThanOrEqual(2);
    const before = state.hall.framesProcessed;
    await waitFor('hall to keep processing', async () => {
      const hall = (await cameras()).find((c) => c.id === 'hall');
      return hall && hall.framesProcessed > before ? true : undefined;
    });
    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  });
});
