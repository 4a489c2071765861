import type { Box } from '../box.js';
import { boxIou } from '../box.js';
import { linearAssignment } from '../linear-assignment.js';
import type { MotRow } from './mot-format.js';
import { byFrame, parseMot } from './mot-format.js';

/** CLEAR MOT and identity metrics, with py-motmetrics' names and conventions. */
export interface MotMetrics {
  /** Identity F1: 2·IDTP / (GT boxes + result boxes). */
  readonly idf1: number;
  readonly idp: number;
  readonly idr: number;
  readonly recall: number;
  readonly precision: number;
  /** Ground-truth objects (unique ids). */
  readonly gt: number;
  /** Mostly tracked (≥ 80 % of its frames), partially tracked, mostly lost (< 20 %). */
  readonly mt: number;
  readonly pt: number;
  readonly ml: number;
  readonly fp: number;
  readonly fn: number;
  readonly idSwitches: number;
  readonly fragmentations: number;
  readonly mota: number;
  /** Mean distance (1 − IoU) of matched pairs, as py-motmetrics reports it; lower is better. */
  readonly motp: number;
  /** The MOTChallenge devkit's MOTP: (1 − mean distance) × 100. */
  readonly motpPercent: number;
  /** Matched pairs (true positives, switches included). */
  readonly matches: number;
  readonly idtp: number;
  readonly idfp: number;
  readonly idfn: number;
  /** Ground-truth boxes and result boxes. */
  readonly gtBoxes: number;
  readonly resBoxes: number;
  /** Sum of matched distances (so summaries can pool MOTP exactly). */
  readonly distanceSum: number;
}

export interface MotEvalOptions {
  /** Minimum IoU for a result box to cover a ground-truth box (default 0.5, MOTChallenge's). */
  readonly iouThreshold?: number;
}

/**
 * Scores a tracker result against ground truth, the way py-motmetrics (and the MOTChallenge
 * devkit) do: per frame, pairs need IoU ≥ 0.5; last frame's correspondences are kept while still
 * valid; the rest are matched by minimum total distance; a ground-truth object matched to a
 * different result id than last time is an ID switch. IDF1 comes from the one-to-one mapping of
 * ids that maximises co-occurring matches over the whole sequence.
 *
 * ## Example
 * ```ts
 * const m = evaluateMot(readFileSync('gt.txt', 'utf8'), readFileSync('res.txt', 'utf8'));
 * console.log(formatMotTable([{ name: 'TUD-Campus', metrics: m }]));
 * ```
 */
export function evaluateMot(
  gtText: string | readonly MotRow[],
  resText: string | readonly MotRow[],
  options: MotEvalOptions = {},
): MotMetrics {
  const gtRows = typeof gtText === 'string' ? parseMot(gtText, 'ground truth') : gtText;
  const resRows = typeof resText === 'string' ? parseMot(resText, 'tracker result') : resText;
  const maxDistance = 1 - (options.iouThreshold ?? 0.5);
  const gtFrames = byFrame(gtRows);
  const resFrames = byFrame(resRows);
  const frames = [...new Set([...gtFrames.keys(), ...resFrames.keys()])].sort((a, b) => a - b);

  const lastMatch = new Map<number, number>(); // gt id → result id it was last matched to
  const present = new Map<number, number>(); // gt id → frames present
  const tracked = new Map<number, number>(); // gt id → frames matched
  const history = new Map<number, boolean[]>(); // gt id → matched? per frame present
  const resPresent = new Map<number, number>();
  const cooccur = new Map<number, Map<number, number>>(); // gt id → result id → frames with IoU ≥ t
  let matches = 0;
  let switches = 0;
  let fp = 0;
  let fn = 0;
  let distanceSum = 0;

  for (const frame of frames) {
    const gts = gtFrames.get(frame) ?? [];
    const hyps = resFrames.get(frame) ?? [];
    const dist = gts.map((g) =>
      hyps.map((h) => {
        const d = 1 - boxIou(box(g), box(h));
        return d <= maxDistance ? d : Number.NaN;
      }),
    );
    for (const h of hyps) resPresent.set(h.id, (resPresent.get(h.id) ?? 0) + 1);
    for (let i = 0; i < gts.length; i++) {
      const g = gts[i]!;
      present.set(g.id, (present.get(g.id) ?? 0) + 1);
      for (let j = 0; j < hyps.length; j++) {
        if (Number.isNaN(dist[i]![j]!)) continue;
        let row = cooccur.get(g.id);
        if (!row) {
          row = new Map();
          cooccur.set(g.id, row);
        }
        row.set(hyps[j]!.id, (row.get(hyps[j]!.id) ?? 0) + 1);
      }
    }

    const gtUsed = new Uint8Array(gts.length);
    const hypUsed = new Uint8Array(hyps.length);
    const match = (i: number, j: number) => {
      gtUsed[i] = 1;
      hypUsed[j] = 1;
      matches++;
      distanceSum += dist[i]![j]!;
      lastMatch.set(gts[i]!.id, hyps[j]!.id);
    };
    // 1. Keep established correspondences that are still valid.
    for (let i = 0; i < gts.length; i++) {
      const prev = lastMatch.get(gts[i]!.id);
      if (prev === undefined) continue;
      const j = hyps.findIndex((h, k) => !hypUsed[k] && h.id === prev);
      if (j >= 0 && !Number.isNaN(dist[i]![j]!)) match(i, j);
    }
    // 2. Minimum-distance assignment of the rest; a changed partner is an ID switch.
    const free = dist.map((row, i) => row.map((d, j) => (gtUsed[i] || hypUsed[j] ? Number.NaN : d)));
    for (const [i, j] of linearAssignment(free).matches) {
      const prev = lastMatch.get(gts[i]!.id);
      if (prev !== undefined && prev !== hyps[j]!.id) switches++;
      match(i, j);
    }
    for (let i = 0; i < gts.length; i++) {
      const id = gts[i]!.id;
      if (gtUsed[i]) tracked.set(id, (tracked.get(id) ?? 0) + 1);
      else fn++;
      let h = history.get(id);
      if (!h) {
        h = [];
        history.set(id, h);
      }
      h.push(gtUsed[i] === 1);
    }
    for (let j = 0; j < hyps.length; j++) if (!hypUsed[j]) fp++;
  }

  let mt = 0;
  let pt = 0;
  let ml = 0;
  for (const [id, n] of present) {
    const ratio = (tracked.get(id) ?? 0) / n;
    if (ratio >= 0.8) mt++;
    else if (ratio >= 0.2) pt++;
    else ml++;
  }
  let fragmentations = 0;
  for (const h of history.values()) fragmentations += countFragmentations(h);

  const idtp = identityMatches(cooccur, [...present.keys()], [...resPresent.keys()]);
  const gtBoxes = gtRows.length;
  const resBoxes = resRows.length;
  return fromCounts({
    gt: present.size,
    mt,
    pt,
    ml,
    fp,
    fn,
    idSwitches: switches,
    fragmentations,
    matches,
    idtp,
    gtBoxes,
    resBoxes,
    distanceSum,
  });
}

/** Pools several sequences' metrics by summing their counts (py-motmetrics' `generate_overall`). */
export function summarizeMot(parts: readonly MotMetrics[]): MotMetrics {
  const sum = (k: keyof MotCounts) => parts.reduce((s, p) => s + p[k], 0);
  return fromCounts({
    gt: sum('gt'),
    mt: sum('mt'),
    pt: sum('pt'),
    ml: sum('ml'),
    fp: sum('fp'),
    fn: sum('fn'),
    idSwitches: sum('idSwitches'),
    fragmentations: sum('fragmentations'),
    matches: sum('matches'),
    idtp: sum('idtp'),
    gtBoxes: sum('gtBoxes'),
    resBoxes: sum('resBoxes'),
    distanceSum: sum('distanceSum'),
  });
}

/** The counts every metric derives from; summing them pools sequences exactly. */
type MotCounts = Pick<
  MotMetrics,
  | 'gt'
  | 'mt'
  | 'pt'
  | 'ml'
  | 'fp'
  | 'fn'
  | 'idSwitches'
  | 'fragmentations'
  | 'matches'
  | 'idtp'
  | 'gtBoxes'
  | 'resBoxes'
  | 'distanceSum'
>;

/** Derives the CLEAR MOT and identity ratios from counts. */
function fromCounts(c: MotCounts): MotMetrics {
  return {
    ...c,
    idf1: div(2 * c.idtp, c.gtBoxes + c.resBoxes),
    idp: div(c.idtp, c.resBoxes),
    idr: div(c.idtp, c.gtBoxes),
    recall: div(c.matches, c.gtBoxes),
    precision: div(c.matches, c.matches + c.fp),
    mota: c.gtBoxes === 0 ? 0 : 1 - (c.fn + c.idSwitches + c.fp) / c.gtBoxes,
    motp: div(c.distanceSum, c.matches),
    motpPercent: (1 - div(c.distanceSum, c.matches)) * 100,
    idfp: c.resBoxes - c.idtp,
    idfn: c.gtBoxes - c.idtp,
  };
}

/** Tracked → missed transitions between an object's first and last match (py-motmetrics' FM). */
function countFragmentations(matched: readonly boolean[]): number {
  const first = matched.indexOf(true);
  if (first < 0) return 0;
  const last = matched.lastIndexOf(true);
  let n = 0;
  for (let k = first + 1; k <= last; k++) if (matched[k - 1] && !matched[k]) n++;
  return n;
}

/** IDTP: the id-to-id mapping maximising co-occurring matched frames (an exact assignment). */
function identityMatches(
  cooccur: ReadonlyMap<number, ReadonlyMap<number, number>>,
  gtIds: readonly number[],
  resIds: readonly number[],
): number {
  if (gtIds.length === 0 || resIds.length === 0) return 0;
  const col = new Map(resIds.map((id, j) => [id, j]));
  const cost = gtIds.map((g) => {
    const row = new Float64Array(resIds.length);
    for (const [h, n] of cooccur.get(g) ?? []) row[col.get(h)!] = -n;
    return row;
  });
  let total = 0;
  for (const [i, j] of linearAssignment(cost, { costLimit: 0 }).matches) total -= cost[i]![j]!;
  return total;
}

function box(r: MotRow): Box {
  return [r.x, r.y, r.x + r.w, r.y + r.h];
}

function div(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
