import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { type Mosquitto, startMosquitto } from '../../../testing/mosquitto.js';
import { sharedPath } from '../../../testing/shared.js';
import { hashPassword } from '../src/ops/web/password-hash.js';
import { type AgentProcess, metricValue, scrape, startAgent, waitFor } from './helpers/agent-process.js';
import { launchBrowser } from './helpers/browser.js';

/** Screenshots of this run (git-ignored); docs/images/web-home.png is one of them, copied by hand. */
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output', 'web');

function writeConfig(http: readonly string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rxv-web-')), 'agent.yml');
  writeFileSync(
    file,
    [
      'mqtt:',
      `  url: ${broker.url}`,
      '  topic_prefix: web',
      'http:',
      ...http,
      'detectors:',
      '  default:',
      `    model: ${sharedPath('models', 'yolov5s-coco-640.onnx')}`,
      'cameras:',
      '  hall:',
      `    url: ${sharedPath('videos', 'people-walking-indoor.mp4')}`,
      '    fps: 3',
      '    objects: [person]',
      '    zones: { floor: { coordinates: "0,216,768,216,768,432,0,432" } }',
      '    lines: { middle: { coordinates: "384,0,384,432" } }',
    ].join('\n'),
  );
  return file;
}

/** The MJPEG encoders and viewers of camera `hall` that /metrics reports now (0 when none). */
async function mjpeg(base: string): Promise<{ encoders: number; viewers: number }> {
  const samples = await scrape(base);
  return {
    encoders: metricValue(samples, 'rxvision_mjpeg_encoders', { camera: 'hall' }) ?? 0,
    viewers: metricValue(samples, 'rxvision_mjpeg_viewers', { camera: 'hall' }) ?? 0,
  };
}

/** A browser-side expression (text: the tests compile without the DOM's types): the first `selector` image has a picture. */
function pictureShown(selector: string): string {
  return `(() => { const img = document.querySelector(${JSON.stringify(selector)}); return img !== null && img.naturalWidth > 0; })()`;
}

/** Resolves once the page's first live image has shown a picture. */
async function liveImageLoaded(page: Page): Promise<void> {
  await page.waitForFunction(pictureShown('img.live'));
}

let broker: Mosquitto;
let agent: AgentProcess | undefined;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  broker = await startMosquitto();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  agent?.kill('SIGKILL');
  await broker?.stop();
});

describe('the web page in a real Chromium, against a real agent on a real clip and mosquitto', () => {
  it('shows the camera online with a live image, events with snapshots, the editor’s exact YAML and its apply; 5 viewers cost one encoder', async () => {
    const file = writeConfig(['  listen: 127.0.0.1:0']);
    agent = startAgent(['run', '--config', file]);
    const base = await agent.httpUrl();
    browser = await launchBrowser();
    const page = await browser.newPage();
    page.setDefaultTimeout(60_000);

    await page.goto(`${base}/`);
    await page.locator('[data-camera="hall"] [data-state="online"]').waitFor();
    await liveImageLoaded(page);
    const tile = page.locator('[data-camera="hall"] img.live');
    const first = await tile.screenshot();
    // The MJPEG stream replaces the picture as the clip plays: some later screenshot differs.
    await waitFor('the live image to change', async () =>
      Buffer.compare(first, await tile.screenshot()) !== 0 ? true : undefined,
    );
    await page.screenshot({ path: join(SHOTS, 'home.png') });

    await page.goto(`${base}/#/camera/hall`);
    await liveImageLoaded(page);
    await page.waitForFunction(pictureShown('#events .event img'), undefined, { timeout: 60_000 });
    expect(await page.locator('#events .event figcaption').first().textContent()).toMatch(/^person/);
    await page.screenshot({ path: join(SHOTS, 'camera.png'), fullPage: true });

    await page.goto(`${base}/#/camera/hall/editor`);
    const canvas = page.locator('#editor-canvas');
    await canvas.waitFor();
    expect(await canvas.getAttribute('width')).toBe('768');
    for (const [x, y] of [
      [100, 50],
      [300, 50],
      [300, 200],
      [100, 200],
    ] as const)
      await canvas.click({ position: { x, y } });
    expect(await page.locator('#yaml').inputValue()).toBe(
      [
        'cameras:',
        '  hall:',
        '    zones:',
        '      zone_1:',
        '        coordinates: 100,50,300,50,300,200,100,200',
      ].join('\n'),
    );
    await page.locator('#units').selectOption('fractions');
    expect(await page.locator('#yaml').inputValue()).toMatch(
      /coordinates: 0\.13,0\.116,0\.391,0\.116,0\.391,0\.463,0\.13,0\.463$/,
    );

    // A POST from another site is refused before anything is read or written.
    const before = readFileSync(file, 'utf8');
    const evil = await fetch(`${base}/api/hall/areas`, {
      method: 'POST',
      headers: { origin: 'http://evil', 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'zone',
        name: 'evil',
        coordinates: [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
        relative: true,
      }),
    });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { message: string }).message).toMatch(
      /cross-origin request from http:\/\/evil/,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);

    // Apply writes the drawn zone into the file (the rest kept) and reloads the camera.
    const dialog = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.accept();
      }),
    );
    await page.locator('#apply').click();
    expect(await dialog).toBe(`Write zone "zone_1" of camera "hall" into ${file} and reload that camera?`);
    await page.locator('#apply-result', { hasText: 'config reloaded' }).waitFor();
    const written = parseDocument(readFileSync(file, 'utf8')).toJS() as {
      cameras: { hall: { zones: Record<string, unknown>; url: string } };
    };
    expect(written.cameras.hall.zones).toEqual({
      floor: { coordinates: '0,216,768,216,768,432,0,432' },
      zone_1: { coordinates: '0.13,0.116,0.391,0.116,0.391,0.463,0.13,0.463' },
    });
    expect(written.cameras.hall.url).toBe(sharedPath('videos', 'people-walking-indoor.mp4'));
    expect(agent.stderr()).toMatch(/"msg":"config reloaded".*"changed":\["hall"\]/);
    const config = (await (await fetch(`${base}/api/config`)).json()) as {
      cameras: Record<string, { zones: Record<string, { coordinates: string }> }>;
    };
    expect(Object.keys(config.cameras.hall?.zones ?? {})).toEqual(['floor', 'zone_1']);
    await page.screenshot({ path: join(SHOTS, 'editor.png') });
    await page.close();
    await waitFor('the camera page’s stream to end', async () =>
      (await mjpeg(base)).encoders === 0 ? true : undefined,
    );

    // Five pages watching the home page's tile share one encoder; closing them all stops it.
    const viewers = await Promise.all([1, 2, 3, 4, 5].map(() => browser!.newPage()));
    for (const viewer of viewers) await viewer.goto(`${base}/`);
    await waitFor('five viewers', async () => ((await mjpeg(base)).viewers === 5 ? true : undefined));
    expect(await mjpeg(base)).toEqual({ encoders: 1, viewers: 5 });
    for (const viewer of viewers) await viewer.close();
    await waitFor('the encoder to stop', async () => {
      const now = await mjpeg(base);
      return now.encoders === 0 && now.viewers === 0 ? true : undefined;
    });
    await browser.close();
    browser = undefined;
    agent.kill('SIGTERM');
    await agent.exited;
  }, 170_000);

  it('asks for a login when served beyond loopback, refuses a wrong password, keeps /healthz open', async () => {
    agent = startAgent([
      'run',
      '--config',
      writeConfig([
        '  listen: 0.0.0.0:0',
        '  auth:',
        '    user: admin',
        `    password_hash: ${hashPassword('right horse battery')}`,
      ]),
    ]);
    const base = (await agent.httpUrl()).replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    // Chromium is asked for a login (401 + Basic challenge); with none, or a wrong one, it gives up the navigation.
    for (const login of [undefined, { username: 'admin', password: 'wrong' }]) {
      browser = await launchBrowser(login);
      const page = await browser.newPage();
      const challenges: { status: number; challenge?: string }[] = [];
      page.on('response', (r) =>
        challenges.push({ status: r.status(), challenge: r.headers()['www-authenticate'] }),
      );
      // With no login Chromium shows the 401; with a refused one it ends the navigation: both are no page.
      const answer = await page.goto(`${base}/`).catch((err: Error) => err);
      if (answer instanceof Error) expect(answer.message).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
      else expect(answer?.status()).toBe(401);
      expect(await page.locator('[data-camera]').count()).toBe(0);
      expect(challenges[0]).toEqual({ status: 401, challenge: 'Basic realm="rxvision", charset="UTF-8"' });
      await browser.close();
    }

    browser = await launchBrowser({ username: 'admin', password: 'right horse battery' });
    const page = await browser.newPage();
    expect((await page.goto(`${base}/`))?.status()).toBe(200);
    await page.locator('[data-camera="hall"]').waitFor({ timeout: 60_000 });
    expect(await page.content()).not.toContain('right horse battery');
    await browser.close();
    browser = undefined;
    agent.kill('SIGTERM');
    await agent.exited;
  }, 90_000);

  it('shows apply as unavailable, and the server refuses it, when the agent runs from flags only', async () => {
    agent = startAgent([
      'run',
      '--source',
      `hall=${sharedPath('videos', 'people-walking-indoor.mp4')}`,
      '--model',
      sharedPath('models', 'yolov5s-coco-640.onnx'),
      '--mqtt',
      broker.url,
      '--fps',
      '2',
      '--http',
      '127.0.0.1:0',
    ]);
    const base = await agent.httpUrl();
    const reason = 'the agent was started without a --config file';
    const detail = (await (await fetch(`${base}/web/cameras/hall`)).json()) as { apply: unknown };
    expect(detail.apply).toEqual({ unavailable: reason });
    const refused = await fetch(`${base}/api/hall/areas`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'line',
        name: 'gate',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
        relative: true,
      }),
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toBe(`apply is unavailable: ${reason}`);

    browser = await launchBrowser();
    const page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${base}/#/camera/hall/editor`);
    await page.locator('#apply-result', { hasText: `Apply is unavailable: ${reason}` }).waitFor();
    expect(await page.locator('#apply').isDisabled()).toBe(true);
  }, 90_000);
});
