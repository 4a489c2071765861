import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  evaluateMot,
  formatMotTable,
  type MotMetrics,
  runMotTracking,
  summarizeMot,
} from '@rxvision/tracker';
import { MOT_EVAL_COMMAND, TRACK_COMMAND } from './command-options.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/**
 * The `frameRate` of a MOTChallenge sequence laid out as `<seq>/det/det.txt` beside
 * `<seq>/seqinfo.ini` (MOT16 and later; MOT15 has no such file).
 */
function seqinfoFrameRate(detPath: string): number | undefined {
  const ini = join(dirname(dirname(detPath)), 'seqinfo.ini');
  if (!existsSync(ini)) return undefined;
  const rate = /^\s*frameRate\s*=\s*([\d.]+)/im.exec(readFileSync(ini, 'utf8'))?.[1];
  return rate && Number(rate) > 0 ? Number(rate) : undefined;
}

/**
 * `edge-agent track --det <det.txt> --out <res.txt> [--tracker bytetrack|sort] [--fps N]
 * [--box detection|filter] [--raw-scores]`: MOTChallenge detections in, MOTChallenge results
 * (with track ids) out.
 */
export async function trackCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: TRACK_COMMAND.options,
    strict: true,
  });
  if (!values.det || !values.out) throw new UsageError('track needs --det <det.txt> and --out <res.txt>');
  const tracker = values.tracker === 'sort' || values.tracker === 'bytetrack' ? values.tracker : undefined;
  if (!tracker) throw new UsageError(`--tracker must be bytetrack or sort, got "${values.tracker}"`);
  const givenFps = values.fps === undefined ? undefined : Number(values.fps);
  if (givenFps !== undefined && !(givenFps > 0))
    throw new UsageError(`--fps must be a positive number, got "${values.fps}"`);
  const box =
    values.box === undefined || values.box === 'detection' || values.box === 'filter' ? values.box : null;
  if (box === null) throw new UsageError(`--box must be detection or filter, got "${values.box}"`);
  if (values['raw-scores'] && values['normalize-scores'])
    throw new UsageError('--raw-scores and --normalize-scores contradict each other; give one');
  const fps = givenFps ?? seqinfoFrameRate(values.det);
  const result = runMotTracking(readText(values.det, 'detections'), {
    tracker,
    ...(fps ? { fps } : {}),
    ...(box ? { box } : {}),
    normalizeScores: !values['raw-scores'],
  });
  writeFileSync(values.out, result);
  const rows = result === '' ? 0 : result.trimEnd().split('\n').length;
  const fpsNote = fps ? `${fps} fps${givenFps ? '' : ' from seqinfo.ini'}` : 'no --fps: ByteTrack assumes 30';
  io.stderr.write(`${values.out}: ${rows} tracked boxes (${tracker}, ${fpsNote})\n`);
  return 0;
}

/**
 * `edge-agent mot-eval --gt <gt.txt> --res <res.txt> [--json]`: CLEAR MOT and identity metrics.
 * Repeat `--gt`/`--res` pairs to score several sequences and their pooled total.
 */
export async function motEvalCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: MOT_EVAL_COMMAND.options,
    strict: true,
  });
  const gts = values.gt ?? [];
  const results = values.res ?? [];
  if (gts.length === 0 || gts.length !== results.length) {
    throw new UsageError(
      'mot-eval needs --gt <gt.txt> --res <res.txt> (repeat both, in pairs, for several sequences)',
    );
  }
  const iouThreshold = values.iou === undefined ? undefined : Number(values.iou);
  if (iouThreshold !== undefined && !(iouThreshold > 0 && iouThreshold <= 1)) {
    throw new UsageError(`--iou must be a number in (0, 1], got "${values.iou}"`);
  }
  const rows = gts.map((gt, i) => {
    const res = results[i] ?? '';
    return {
      name: sequenceName(gt),
      metrics: evaluateMot(readText(gt, 'ground truth'), readText(res, 'tracker result'), {
        ...(iouThreshold ? { iouThreshold } : {}),
      }),
    };
  });
  const all: Array<{ name: string; metrics: MotMetrics }> =
    rows.length > 1
      ? [...rows, { name: 'OVERALL', metrics: summarizeMot(rows.map((r) => r.metrics)) }]
      : rows;
  if (values.json) {
    const body =
      rows.length === 1 ? rows[0]?.metrics : Object.fromEntries(all.map((r) => [r.name, r.metrics]));
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    io.stdout.write(`${formatMotTable(all)}\n`);
  }
  return 0;
}

/** `…/TUD-Campus/gt.txt` → `TUD-Campus`; `gt/gt.txt` inside a MOT layout → its sequence folder. */
function sequenceName(path: string): string {
  const dir = basename(dirname(path));
  return dir === 'gt' ? basename(dirname(dirname(path))) : dir || basename(path);
}
