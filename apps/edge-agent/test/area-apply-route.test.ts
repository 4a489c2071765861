import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';
import { validateWithFlags } from '../src/config/flags.js';
import { loadConfig, parseConfigDocument } from '../src/config/load.js';
import { assertRunnable } from '../src/config/runnable.js';
import type { AgentConfig } from '../src/config/types.js';
import { LatestFrames } from '../src/ops/frigate-api/latest-frames.js';
import { type OpsServer, startOpsServer } from '../src/ops/http-server.js';
import { createLogger } from '../src/ops/logger.js';
import type { AreasEditor } from '../src/ops/web/areas-editor.js';
import { StatsHistory } from '../src/ops/web/stats-history.js';
import { webRoutes } from '../src/ops/web/web-routes.js';

const quiet = createLogger({ level: 'error' });

function configFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rxv-apply-')), 'agent.yml');
  writeFileSync(
    file,
    [
      '# kept',
      'detectors:',
      '  default:',
      `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
      'cameras:',
      '  hall:',
      `    url: ${sharedPath('videos', 'people-walking-indoor.mp4')}`,
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o640);
  return file;
}

/** The agent's web routes on a real HTTP server, over `file` and an editor the way `run` builds one. */
async function serve(file: string, editorOf: (reloads: string[]) => AreasEditor) {
  let config: AgentConfig = loadConfig(file);
  const reloads: string[] = [];
  const editor = editorOf(reloads);
  const wrapped: AreasEditor =
    'file' in editor
      ? {
          ...editor,
          reload: async () => {
            config = loadConfig(file);
            return editor.reload();
          },
        }
      : editor;
  const routes = webRoutes({
    config: () => config,
    latest: new LatestFrames(),
    history: new StatsHistory(() => []),
    lineTotals: async () => [],
    areasEditor: wrapped,
  });
  server = await startOpsServer(routes, '127.0.0.1', 0, quiet);
  const base = `http://127.0.0.1:${server.port}`;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/hall/areas`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, message: ((await r.json()) as { message: string }).message }));
  return { base, post, reloads, config: () => config };
}

const fileEditor =
  (file: string) =>
  (reloads: string[]): AreasEditor => ({
    file,
    check: (text) => assertRunnable(validateWithFlags(parseConfigDocument(text, file), {}, file), file),
    reload: async () => {
      reloads.push('hall');
      return { changed: ['hall'] };
    },
  });

const ZONE = {
  kind: 'zone',
  name: 'door',
  coordinates: [
    [0.1, 0.1],
    [0.5, 0.1],
    [0.5, 0.5],
  ],
  relative: true,
};

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('POST /api/<camera>/areas on a real HTTP server and a real config file', () => {
  it('writes the zone (comments and mode kept), reloads, and the camera’s JSON shows the file', async () => {
    const file = configFile();
    const agent = await serve(file, fileEditor(file));
    const detail = (await (await fetch(`${agent.base}/web/cameras/hall`)).json()) as { apply: unknown };
    expect(detail.apply).toEqual({ file });
    expect(await agent.post(ZONE)).toEqual({ status: 200, message: `written to ${file}; config reloaded` });
    expect(agent.reloads).toEqual(['hall']);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# kept\n/);
    expect(text).toContain('      door:\n        coordinates: 0.1,0.1,0.5,0.1,0.5,0.5\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(agent.config().cameras.hall?.zones.map((z) => z.name)).toEqual(['door']);
  });

  it('refuses bad areas, a whole config that would not run, and cross-site requests, writing nothing', async () => {
    const file = configFile();
    const agent = await serve(file, fileEditor(file));
    const before = readFileSync(file, 'utf8');
    const refusals = [
      [{ ...ZONE, name: 'front door' }, 400, /`name` must be letters, digits/],
      [{ ...ZONE, kind: 'line' }, 400, /a line needs exactly 2 points, got 3/],
      [
        {
          ...ZONE,
          coordinates: [
            [0, 0],
            [1, 0],
          ],
        },
        400,
        /a zone needs at least 3 points, got 2/,
      ],
      [
        {
          ...ZONE,
          coordinates: [
            [0, 0],
            [1.5, 0],
            [1, 1],
          ],
        },
        400,
        /point 1.5,0 lies outside the frame \(fractions 0–1\)/,
      ],
      [{ ...ZONE, relative: false }, 400, /no frame yet/],
      ['{"kind": ', 400, /the body is not JSON/],
    ] as const;
    for (const [body, status, message] of refusals) {
      const answer = await agent.post(body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.message).toMatch(message);
    }
    expect(await agent.post(ZONE, { origin: 'http://evil' })).toEqual({
      status: 403,
      message: 'cross-origin request from http://evil refused',
    });
    expect((await agent.post(ZONE, { 'content-type': 'text/plain' })).status).toBe(403);
    expect((await agent.post({ ...ZONE, pad: 'x'.repeat(70_000) })).status).toBe(413);
    expect(readFileSync(file, 'utf8')).toBe(before);

    // Someone broke the file since the agent started: the whole new config is checked, nothing written.
    writeFileSync(file, before.replace('cameras:', 'cameras:\n  bad:\n    fps: -1'));
    const broken = readFileSync(file, 'utf8');
    const answer = await agent.post(ZONE);
    expect(answer.status).toBe(400);
    expect(answer.message).toMatch(/^nothing written: .*cameras\.bad/s);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(agent.reloads).toEqual([]);
  });

  it('answers 409 with the reason when apply is unavailable, and the camera’s JSON says why', async () => {
    const file = configFile();
    const reason = 'this agent is in a fleet (`fleet`): its cameras come from NATS, not from its config file';
    const agent = await serve(file, () => ({ unavailable: reason }));
    const detail = (await (await fetch(`${agent.base}/web/cameras/hall`)).json()) as { apply: unknown };
    expect(detail.apply).toEqual({ unavailable: reason });
    expect(await agent.post(ZONE)).toEqual({ status: 409, message: `apply is unavailable: ${reason}` });
    expect((await fetch(`${agent.base}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
