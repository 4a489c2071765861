import { roundTo } from '@rxvision/decode';
/** One MOTChallenge row: `frame,id,x,y,w,h,score,…` with a top-left box in pixels. */
export interface MotRow {
  readonly frame: number;
  /** Track / object id; -1 in detection files. */
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Detection score (detections), confidence flag (ground truth) or track score (results). */
  readonly score: number;
}

/**
 * Parses MOTChallenge text (`det.txt`, `gt.txt` or a tracker result); blank lines are skipped.
 * `source` names the file in error messages.
 */
export function parseMot(text: string, source = 'MOT text'): MotRow[] {
  const rows: MotRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const f = line.split(/[,\s]+/).map(Number);
    if (f.length < 6 || f.slice(0, 7).some((v) => !Number.isFinite(v))) {
      throw new Error(
        `${source}:${i + 1}: expected "frame,id,x,y,w,h,score,…" numbers (MOTChallenge format), got "${line}"`,
      );
    }
    rows.push({ frame: f[0]!, id: f[1]!, x: f[2]!, y: f[3]!, w: f[4]!, h: f[5]!, score: f[6] ?? 1 });
  }
  return rows;
}

/** Writes rows as MOTChallenge results: `frame,id,x,y,w,h,score,-1,-1,-1`, one per line. */
export function formatMot(rows: readonly MotRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${r.frame},${r.id},${r.x.toFixed(2)},${r.y.toFixed(2)},${r.w.toFixed(2)},${r.h.toFixed(2)},${roundTo(r.score, 6)},-1,-1,-1\n`;
  }
  return out;
}

/** Groups rows by frame number. */
export function byFrame(rows: readonly MotRow[]): Map<number, MotRow[]> {
  const frames = new Map<number, MotRow[]>();
  for (const r of rows) {
    let list = frames.get(r.frame);
    if (!list) {
      list = [];
      frames.set(r.frame, list);
    }
    list.push(r);
  }
  return frames;
}
