import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { type AgentProcess, sleep, startAgent, waitFor } from './helpers/agent-process.js';

interface CameraJson {
  readonly id: string;
  readonly state: string;
  readonly framesProcessed: number;
  readonly restarts: number;
}

function configText(cameras: Record<string, string>, fps = 2): string {
  return [
    'http:',
    '  listen: 127.0.0.1:0',
    'detectors:',
    '  default:',
    `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
    '    batch_size: 4',
    'cameras:',
    ...Object.entries(cameras).flatMap(([id, clip]) => [
      `  ${id}:`,
      `    url: ${sharedPath('videos', clip)}`,
      `    fps: ${fps}`,
    ]),
  ].join('\n');
}

describe('edge-agent SIGHUP reload (real clips, real model)', () => {
  let agent: AgentProcess | undefined;
  afterAll(() => agent?.kill('SIGKILL'));

  it('adds and removes cameras while the untouched camera keeps processing, and refuses a broken file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rxv-reload-')), 'agent.yml');
    writeFileSync(file, configText({ hall: 'people-walking-indoor.mp4', street: 'street-cars.mp4' }));
    agent = startAgent(['run', '--config', file]);
    const base = await agent.httpUrl();
    const cameras = async () => (await (await fetch(`${base}/api/cameras`)).json()) as CameraJson[];
    const hallOf = async () => (await cameras()).find((c) => c.id === 'hall');
    await waitFor(
      'both cameras processing',
      async () => {
        const list = await cameras();
        return list.length === 2 && list.every((c) => c.framesProcessed > 0) ? true : undefined;
      },
      90_000,
    );

    // Sample hall's processed counter every 250 ms from before the reload until well after it.
    const samples: Array<{ at: number; processed: number }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const hall = await hallOf();
        if (hall) samples.push({ at: Date.now(), processed: hall.framesProcessed });
        await sleep(250);
      }
    })();
    await sleep(3000);
    writeFileSync(file, configText({ hall: 'people-walking-indoor.mp4', lot: 'parking-lot-top-down.mp4' }));
    const reloadAt = Date.now();
    agent.kill('SIGHUP');
    await waitFor(
      'camera lot to process frames',
      async () => {
        const list = await cameras();
        return list.find((c) => c.id === 'lot' && c.framesProcessed > 0);
      },
      60_000,
    );
    expect((await cameras()).map((c) => c.id).sort()).toEqual(['hall', 'lot']);
    await sleep(3000);
    sampling = false;
    await sampler;

    const hall = await hallOf();
    expect(hall?.restarts).toBe(0);
    expect(samples.some((s) => s.at < reloadAt)).toBe(true);
    expect(samples.filter((s) => s.at > reloadAt).length).toBeGreaterThan(8);
    // Never reset (same pipeline), and never stalled: no 5 s window without a new processed frame.
    let lastChange = samples[0] as { at: number; processed: number };
    let longestStill = 0;
    for (const s of samples) {
      expect(s.processed).toBeGreaterThanOrEqual(lastChange.processed);
      if (s.processed > lastChange.processed) lastChange = s;
      longestStill = Math.max(longestStill, s.at - lastChange.at);
    }
    expect(longestStill).toBeLessThan(5000);
    expect(agent.stderr()).toMatch(
      /"msg":"config reloaded","added":\["lot"\],"removed":\["street"\],"changed":\[\],"unchanged":\["hall"\]/,
    );

    // A broken file on SIGHUP is refused with its message; the running cameras stay.
    writeFileSync(file, `${configText({ hall: 'people-walking-indoor.mp4' })}\n    fsp: 3\n`);
    agent.kill('SIGHUP');
    await waitFor(
      'the refused reload',
      () => (agent?.stderr().includes('config reload refused') ? true : undefined),
      10_000,
    );
    expect(agent.stderr()).toContain('cameras.hall.fsp: unknown key');
    expect((await cameras()).map((c) => c.id).sort()).toEqual(['hall', 'lot']);

    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  });
});
