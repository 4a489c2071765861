import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { toJsonl } from '../src/index.js';
import { jsonlRecord } from '../src/internal.js';
import { greyFrame, makeTrack, trackedFrame } from './fixtures.js';

const frames = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    trackedFrame(greyFrame('front', i, 1_700_000_000_000 + i * 100), [makeTrack(7, 1_700_000_000_000)]),
  );

describe('toJsonl', () => {
  it('writes one parseable line per frame and passes frames through', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rxv-jsonl-')), 'out', 'front.jsonl');
    const input = frames(5);
    const out = await lastValueFrom(from(input).pipe(toJsonl(path), toArray()));
    expect(out).toEqual(input);
    const lines = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(lines[0]).toMatchObject({
      camera: 'front',
      width: 64,
      height: 48,
      tracks: [{ trackId: 7, label: 'person', bbox: [10, 8, 30, 40] }],
    });
  });

  it('rotates by size, keeps maxFiles old files, and loses no line in between', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-jsonl-'));
    const path = join(dir, 'front.jsonl');
    const input = frames(40);
    const longest = Math.max(...input.map((f) => Buffer.byteLength(`${JSON.stringify(jsonlRecord(f))}\n`)));
    const maxBytes = longest * 5;
    await lastValueFrom(from(input).pipe(toJsonl(path, { maxBytes, maxFiles: 3 }), toArray()));
    expect(readdirSync(dir).sort()).toEqual([
      'front.jsonl',
      'front.jsonl.1',
      'front.jsonl.2',
      'front.jsonl.3',
    ]);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(maxBytes);
    const seqs = (name: string) =>
      readFileSync(join(dir, name), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).seq as number);
    // Oldest in .3, newest in the current file: together a gap-free run that ends with the last frame.
    const kept = [
      ...seqs('front.jsonl.3'),
      ...seqs('front.jsonl.2'),
      ...seqs('front.jsonl.1'),
      ...seqs('front.jsonl'),
    ];
    expect(kept.at(-1)).toBe(39);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 40 - kept.length + i));
    expect(kept.length).toBeGreaterThanOrEqual(16);
  });

  it('fails the stream with the path when the file cannot be opened', async () => {
    // A regular file where a directory should be: no mkdir or open can succeed under it.
    const blocker = join(mkdtempSync(join(tmpdir(), 'rxv-jsonl-')), 'not-a-dir');
    writeFileSync(blocker, '');
    const path = join(blocker, 'x.jsonl');
    await expect(lastValueFrom(from(frames(1)).pipe(toJsonl(path)))).rejects.toThrow(/not-a-dir/);
  });
});
