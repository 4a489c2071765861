import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LineCount } from './tracked-frame.js';

type CameraTotals = Readonly<Record<string, LineCount>>;

/**
 * Line totals kept in a small JSON file (`{"cameras": {"<camera>": {"<line>": {in, out, objects}}}}`)
 * so counting continues after a restart. One instance per path in a process, shared by its cameras;
 * each save rewrites the file atomically (write, then rename), which a crash leaves whole.
 */
export class LineTotalsFile {
  private static readonly open = new Map<string, LineTotalsFile>();
  private readonly cameras: Record<string, CameraTotals>;
  /** Why the file could not be read, when it existed but was not line totals (it is then started afresh). */
  readonly problem: string | undefined;

  private constructor(readonly path: string) {
    const { cameras, problem } = read(path);
    this.cameras = cameras;
    this.problem = problem;
  }

  /** The file at `path`, read once per process. */
  static at(path: string): LineTotalsFile {
    let file = LineTotalsFile.open.get(path);
    if (!file) {
      file = new LineTotalsFile(path);
      LineTotalsFile.open.set(path, file);
    }
    return file;
  }

  /** A camera's saved totals (empty when none were saved). */
  load(camera: string): CameraTotals {
    return this.cameras[camera] ?? {};
  }

  /** Saves a camera's totals; an error names the file (the caller reports it and counting goes on). */
  save(camera: string, totals: CameraTotals): void {
    this.cameras[camera] = totals;
    const temporary = `${this.path}.tmp`;
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify({ cameras: this.cameras }, null, 1)}\n`);
    renameSync(temporary, this.path);
  }
}

function read(path: string): { cameras: Record<string, CameraTotals>; problem?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { cameras: {} };
    return { cameras: {}, problem: `cannot read ${path}: ${(error as Error).message}` };
  }
  try {
    const parsed = JSON.parse(text) as { cameras?: unknown };
    if (!isTotalsByCamera(parsed.cameras)) throw new Error('no "cameras" object of line totals');
    return { cameras: parsed.cameras };
  } catch (error) {
    return { cameras: {}, problem: `${path} is not a line totals file (${(error as Error).message})` };
  }
}

function isTotalsByCamera(value: unknown): value is Record<string, CameraTotals> {
  if (!isRecord(value)) return false;
  return Object.values(value).every(
    (lines) =>
      isRecord(lines) &&
      Object.values(lines).every(
        (count) => isCount(count) && isRecord(count.objects) && Object.values(count.objects).every(isCount),
      ),
  );
}

function isCount(value: unknown): value is { in: number; out: number; objects?: unknown } {
  return isRecord(value) && Number.isInteger(value.in) && Number.isInteger(value.out);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
