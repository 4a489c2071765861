/**
 * Child-process entry: runs ONE benchmark module and writes its reports as JSON to a file, so a
 * bench that crashes, leaks or hangs cannot take the harness (or the next bench's RSS) with it.
 *
 * Usage: tsx scripts/bench/run-one.ts <module> <out.json> [--quick]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchmarkSuite, BenchReport } from '../../testing/bench-types.js';
import { resolveSharedDir } from './shared-dir.js';

const [modulePath, outPath] = process.argv.slice(2);
const quick = process.argv.includes('--quick');

function isReport(value: unknown): value is BenchReport {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.name === 'string' && Array.isArray(r.rows) && typeof r.summary === 'object';
}

async function main(): Promise<void> {
  if (!modulePath || !outPath) throw new Error('usage: run-one.ts <module> <out.json> [--quick]');
  const mod = (await import(pathToFileURL(modulePath).href)) as { default?: unknown };
  if (typeof mod.default !== 'function') {
    throw new Error(`${modulePath} has no default export: it must default-export a Benchmark`);
  }
  const result: unknown = await (mod.default as Benchmark | BenchmarkSuite)({
    quick,
    sharedDir: resolveSharedDir(),
  });
  const reports = Array.isArray(result) ? result : [result];
  if (!reports.every(isReport)) throw new Error(`${modulePath} returned something that is not a BenchReport`);
  writeFileSync(outPath, JSON.stringify(reports));
}

main().then(
  // Benches may leave sockets or timers behind; the report is written, so leave now.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
