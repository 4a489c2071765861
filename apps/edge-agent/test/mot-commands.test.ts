import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../testing/shared.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('edge-agent track and mot-eval (the built CLI, MOT15 files)', () => {
  it('mot-eval --json reproduces the reference scorer on the CEM result for TUD-Campus', () => {
    const run = cli(
      'mot-eval',
      '--json',
      '--gt',
      sharedPath('mot', 'TUD-Campus', 'gt.txt'),
      '--res',
      sharedPath('mot', 'TUD-Campus', 'cem-tracker-result.txt'),
    );
    expect(run.status).toBe(0);
    const m = JSON.parse(run.stdout) as Record<string, number>;
    expect(m.idf1).toBeCloseTo(0.557659, 3);
    expect(m.mota).toBeCloseTo(0.526462, 3);
    expect(m.motp).toBeCloseTo(0.277201, 3);
    expect([m.fp, m.fn, m.idSwitches, m.fragmentations]).toEqual([13, 150, 7, 7]);
  });

  it('track --tracker sort writes MOT results whose MOTA is SORT’s published 62.7 ± 2 on TUD-Campus', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rxv-mot-')), 'res.txt');
    const tracked = cli(
      'track',
      '--det',
      sharedPath('mot', 'det', 'TUD-Campus', 'det.txt'),
      '--out',
      out,
      '--tracker',
      'sort',
      '--fps',
      '25',
    );
    expect(tracked.status).toBe(0);
    const firstRow = readFileSync(out, 'utf8').split('\n')[0]?.split(',') ?? [];
    expect(firstRow).toHaveLength(10);
    expect(Number(firstRow[1])).toBeGreaterThan(0);
    const table = cli('mot-eval', '--gt', sharedPath('mot', 'TUD-Campus', 'gt.txt'), '--res', out);
    expect(table.stdout).toMatch(/^\s+IDF1/);
    const scored = cli('mot-eval', '--json', '--gt', sharedPath('mot', 'TUD-Campus', 'gt.txt'), '--res', out);
    const mota = (JSON.parse(scored.stdout) as { mota: number }).mota * 100;
    expect(Math.abs(mota - 62.7)).toBeLessThanOrEqual(2);
  });

  it('track (ByteTrack by default) reads the frame rate from seqinfo.ini and scores at least SORT on TUD-Stadtmitte', () => {
    // A MOT16-style layout: <seq>/det/det.txt beside <seq>/seqinfo.ini.
    const seq = join(mkdtempSync(join(tmpdir(), 'rxv-mot-')), 'TUD-Stadtmitte');
    mkdirSync(join(seq, 'det'), { recursive: true });
    copyFileSync(sharedPath('mot', 'det', 'TUD-Stadtmitte', 'det.txt'), join(seq, 'det', 'det.txt'));
    writeFileSync(join(seq, 'seqinfo.ini'), '[Sequence]\nname=TUD-Stadtmitte\nframeRate=25\nseqLength=179\n');
    const gt = sharedPath('mot', 'TUD-Stadtmitte', 'gt.txt');
    const mota = (tracker: string) => {
      const out = join(seq, `${tracker}.txt`);
      const run = cli('track', '--det', join(seq, 'det', 'det.txt'), '--out', out, '--tracker', tracker);
      expect(run.status).toBe(0);
      if (tracker === 'bytetrack') expect(run.stderr).toContain('25 fps from seqinfo.ini');
      return (JSON.parse(cli('mot-eval', '--json', '--gt', gt, '--res', out).stdout) as { mota: number })
        .mota;
    };
    expect(mota('bytetrack')).toBeGreaterThanOrEqual(mota('sort'));
  });

  it('refuses a bad tracker name, a bad box choice and unpaired files with exit 2', () => {
    expect(cli('track', '--det', 'a', '--out', 'b', '--tracker', 'deepsort').status).toBe(2);
    const badBox = cli('track', '--det', 'a', '--out', 'b', '--box', 'kalman');
    expect(badBox.status).toBe(2);
    expect(badBox.stderr).toContain('--box must be detection or filter');
    const unpaired = cli('mot-eval', '--gt', 'a.txt');
    expect(unpaired.status).toBe(2);
    expect(unpaired.stderr).toContain('in pairs');
  });
});
