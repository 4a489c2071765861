import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../src/agent/agent.js';
import { parseConfigText } from '../src/config/load.js';
import { createLogger } from '../src/ops/logger.js';

// A model that does not exist: each camera fails to load it and waits to restart, so stopping
// one takes until `stopTimeoutMs` — long enough for two reloads to overlap, without ONNX or FFmpeg.
const missingModel = join(mkdtempSync(join(tmpdir(), 'rxv-serial-')), 'missing.onnx');

function config(cameras: Record<string, string>, level = 'info') {
  return parseConfigText(
    [
      'http: { enabled: false }',
      `logger: { level: ${level} }`,
      `detectors: { default: { model: ${missingModel} } }`,
      'cameras:',
      ...Object.entries(cameras).map(([id, url]) => `  ${id}: { url: "${url}" }`),
    ].join('\n'),
  );
}

function quietAgent(cameras: Record<string, string>) {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
  const log = createLogger({ json: true, stream });
  const start = Agent.start({
    config: config(cameras),
    log,
    statusStream: new PassThrough(),
    stopTimeoutMs: 150,
  });
  return { start, lines };
}

describe('Agent.reload', () => {
  let agent: Agent | undefined;
  afterEach(async () => {
    await agent?.stop(300);
    agent = undefined;
  });

  it('applies two back-to-back reloads in order: the second config’s cameras end up running', async () => {
    const { start } = quietAgent({ x: 'lavfi:testsrc=rate=1' });
    agent = await start;
    const first = agent.reload(config({ x: 'lavfi:testsrc=rate=2' }));
    const second = agent.reload(config({ x: 'lavfi:testsrc=rate=3', y: 'lavfi:testsrc=rate=4' }));
    await expect(first).resolves.toMatchObject({ changed: ['x'] });
    await expect(second).resolves.toMatchObject({ changed: ['x'], added: ['y'] });
    const running = (agent.cameraInfo() as Array<{ id: string; url: string }>).map((c) => `${c.id} ${c.url}`);
    expect(running.sort()).toEqual(['x lavfi:testsrc=rate=3', 'y lavfi:testsrc=rate=4']);
  });

  it('applies a changed logger level', async () => {
    const { start, lines } = quietAgent({ x: 'lavfi:testsrc=rate=1' });
    agent = await start;
    await agent.reload(config({ x: 'lavfi:testsrc=rate=1' }, 'warn'));
    lines.length = 0;
    await agent.reload(config({ x: 'lavfi:testsrc=rate=1' }, 'warn'));
    expect(lines.filter((l) => l.includes('"level":"info"'))).toEqual([]);
  });

  it('does not bring back a camera the second reload removed', async () => {
    const { start } = quietAgent({ x: 'lavfi:testsrc=rate=1', y: 'lavfi:testsrc=rate=1' });
    agent = await start;
    const first = agent.reload(config({ x: 'lavfi:testsrc=rate=2', y: 'lavfi:testsrc=rate=1' }));
    const second = agent.reload(config({ y: 'lavfi:testsrc=rate=1' }));
    await Promise.all([first, second]);
    expect((agent.cameraInfo() as Array<{ id: string }>).map((c) => c.id)).toEqual(['y']);
  });
});
