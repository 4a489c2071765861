import { describe, expect, it } from 'vitest';
import { spawnFfmpeg } from '../src/index.js';
import { LinesRing } from '../src/lines-ring.js';

describe('spawnFfmpeg (real ffmpeg, node:child_process)', () => {
  it('reports a clean exit, and stdout is readable', async () => {
    const run = spawnFfmpeg(
      ['-hide_banner', '-f', 'lavfi', '-i', 'color=size=16x16:rate=1', '-frames:v', '1'].concat([
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        'pipe:1',
      ]),
    );
    const chunks: Buffer[] = [];
    run.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const exit = await run.ended;
    expect(exit).toMatchObject({ error: null, spawnFailed: false, code: 0 });
    expect(Buffer.concat(chunks).length).toBe(16 * 16 * 3);
  });

  it('keeps the last stderr lines of a failing run and says how it exited', async () => {
    const run = spawnFfmpeg(['-hide_banner', '-i', '/no/such/clip.mp4'], { stderrLines: 3 });
    const exit = await run.ended;
    expect(exit.error?.message).toMatch(/ffmpeg exited with code \d+/);
    expect(exit.stderrTail).toMatch(/No such file or directory/);
    expect(exit.stderrTail.split('\n').length).toBeLessThanOrEqual(3);
  });

  it('says when the binary cannot be started at all', async () => {
    const exit = await spawnFfmpeg(['-version'], { ffmpegPath: '/no/such/ffmpeg' }).ended;
    expect(exit).toMatchObject({ spawnFailed: true, code: null });
    expect(exit.error?.message).toMatch(/ENOENT/);
  });
});

describe('LinesRing', () => {
  it('keeps the last n lines of text that arrives in arbitrary chunks', () => {
    const ring = new LinesRing(2);
    ring.push('one\ntw');
    ring.push('o\nthree\nfou');
    expect(ring.text()).toBe('three\nfou');
    expect(new LinesRing(0).text()).toBe('');
  });
});
