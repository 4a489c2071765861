import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { track } from '../src/track.js';
import type { TrackedFrame } from '../src/tracked-frame.js';
import { detected, person } from './helpers.js';

// A walker going down through a tripwire at y=300 on camera `hall`: one "in".
const walkDown = () => Array.from({ length: 30 }, (_, i) => detected('hall', i, [person(200, 100 + 10 * i)]));
const lines = { door: { coordinates: '0,300,640,300' } };

function warnings() {
  const said: string[] = [];
  const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => void said.push(message) };
  return { said, logger };
}

describe('line totals file', () => {
  it('saves the totals after a crossing and a tracker started on the same file counts on from them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rxv-lines-')), 'state', 'line-totals.json');
    const last = await lastValueFrom(
      from(walkDown()).pipe(track({ tracker: 'sort', lines, lineTotalsFile: path })),
    );
    expect(last.lineCounts.door).toEqual({ in: 1, out: 0, objects: { person: { in: 1, out: 0 } } });
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved).toEqual({
      cameras: { hall: { door: { in: 1, out: 0, objects: { person: { in: 1, out: 0 } } } } },
    });

    // What a restarted agent reads: the file as written, at a path not opened in this process yet.
    const copy = `${path}.copy`;
    writeFileSync(copy, readFileSync(path));
    const again: TrackedFrame = await lastValueFrom(
      from(walkDown()).pipe(track({ tracker: 'sort', lines, lineTotalsFile: copy })),
    );
    expect(again.lineCounts.door).toEqual({ in: 2, out: 0, objects: { person: { in: 2, out: 0 } } });
    expect(JSON.parse(readFileSync(copy, 'utf8')).cameras.hall.door.in).toBe(2);
  });

  it('says why a file that is not line totals is not used, starts from 0 and rewrites it on the next crossing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rxv-lines-')), 'line-totals.json');
    writeFileSync(path, '{"cameras": {"hall": {"door": {"in": "many"}}}}');
    const { said, logger } = warnings();
    const last = await lastValueFrom(
      from(walkDown()).pipe(track({ tracker: 'sort', lines, lineTotalsFile: path, logger })),
    );
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/line totals start from 0: .*line-totals\.json is not a line totals file/);
    expect(last.lineCounts.door?.in).toBe(1);
    expect(JSON.parse(readFileSync(path, 'utf8')).cameras.hall.door.in).toBe(1);
  });

  it('keeps counting in memory and says so when the file cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxv-lines-'));
    // A regular file where the totals file's folder should be.
    writeFileSync(join(dir, 'blocker'), '');
    const { said, logger } = warnings();
    const last = await lastValueFrom(
      from(walkDown()).pipe(
        track({ tracker: 'sort', lines, lineTotalsFile: join(dir, 'blocker', 'totals.json'), logger }),
      ),
    );
    expect(last.lineCounts.door?.in).toBe(1);
    expect(said.some((m) => m.startsWith('cannot save line totals'))).toBe(true);
  });
});
