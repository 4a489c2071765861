import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { BenchReport } from '../../testing/bench-types.js';
import { REPO_ROOT } from './shared-dir.js';

export interface BenchOutcome {
  /** Path of the module, relative to the repo root. */
  readonly module: string;
  /** One per section the module measured (a `BenchmarkSuite` gives several). */
  readonly reports: readonly BenchReport[];
  /** Why there is no report: the error, the exit code, or the timeout. */
  readonly error?: string;
  readonly seconds: number;
}

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const RUN_ONE = join(REPO_ROOT, 'scripts', 'bench', 'run-one.ts');

/** Process groups of the benchmarks running now, so an interrupted harness can end them. */
const running = new Set<number>();

/** Kills every running benchmark's process group (the harness got SIGINT/SIGTERM). */
export function killRunningBenchmarks(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs one benchmark module in its own process; never throws. */
export function runBenchmark(modulePath: string, quick: boolean, timeoutMs: number): Promise<BenchOutcome> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'rxv-bench-'));
  const out = join(dir, 'report.json');
  const module = relative(REPO_ROOT, modulePath);
  return new Promise((resolve) => {
    const args = [RUN_ONE, modulePath, out, ...(quick ? ['--quick'] : [])];
    // Its own process group, so a timeout can end the bench AND whatever it started (FFmpeg, brokers).
    const child = spawn(TSX, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) running.add(child.pid);
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    let tail = '';
    const keepTail = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    // Everything a bench prints goes to stderr so that `--json` keeps stdout for the one object.
    child.stdout.on('data', (chunk: Buffer) => {
      keepTail(chunk);
      process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      keepTail(chunk);
      process.stderr.write(chunk);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 5000).unref();
    }, timeoutMs);
    // 'exit', not 'close': a leftover grandchild holding the pipes must not keep the harness waiting.
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      killGroup('SIGKILL');
      if (child.pid) running.delete(child.pid);
      const seconds = (performance.now() - started) / 1000;
      const finish = (outcome: { reports?: BenchReport[]; error?: string }) => {
        rmSync(dir, { recursive: true, force: true });
        resolve({
          module,
          seconds,
          reports: outcome.reports ?? [],
          ...(outcome.error ? { error: outcome.error } : {}),
        });
      };
      if (code === 0 && existsSync(out)) {
        try {
          return finish({ reports: JSON.parse(readFileSync(out, 'utf8')) as BenchReport[] });
        } catch (err) {
          return finish({ error: `unreadable report: ${(err as Error).message}` });
        }
      }
      const why = timedOut
        ? `timed out after ${Math.round(timeoutMs / 1000)} s`
        : `exited with ${signal ?? `code ${code}`}`;
      finish({ error: `${why}: ${lastErrorLine(tail)}` });
    });
  });
}

/** The most telling line of a failed bench's output (the thrown message, not the stack). */
function lastErrorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !l.startsWith('^'));
  const error = lines.filter((l) => /error|cannot|missing|not /i.test(l)).at(0);
  return (error ?? lines.at(-1) ?? 'no output').slice(0, 300);
}
