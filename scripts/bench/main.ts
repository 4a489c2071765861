/**
 * `npm run bench`: runs every node benchmark (`packages/*\/bench`, `apps/*\/bench`) and the
 * end-to-end ones (`scripts/bench/e2e`), each in its own process, and prints one table per section.
 *
 *   --quick        the whole suite in under two minutes on a 2-core machine
 *   --json         print ONE JSON object (headline figures, machine, per-bench summaries) on stdout
 *   --write-docs   regenerate the figures section of docs/benchmarks.md
 *   --only <text>  run only the modules whose path contains <text> (repeatable)
 */
import { parseArgs } from 'node:util';
import { discoverBenchmarks } from './discover.js';
import { writeFiguresSection } from './docs.js';
import { describeMachine, type Machine } from './machine.js';
import { type BenchOutcome, killRunningBenchmarks, runBenchmark } from './runner.js';
import { type SuiteSummary, summarise } from './summary.js';
import { markdownTable, renderSection } from './table.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'write-docs': { type: 'boolean', default: false },
    only: { type: 'string', multiple: true, default: [] },
  },
});
const quick = values.quick;
// A quick bench that needs more than this has broken the two-minute budget on its own.
const timeoutMs = quick ? 150_000 : 25 * 60_000;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function machineTable(machine: Machine): string {
  return markdownTable([
    { what: 'CPU', value: `${machine.cpu} (${machine.cores} cores available)` },
    { what: 'GPU', value: machine.gpu },
    { what: 'RAM', value: `${machine.ramGiB} GiB` },
    { what: 'OS', value: machine.os },
    { what: 'Node', value: machine.node },
    { what: 'onnxruntime-node', value: machine.onnxruntime },
    { what: 'ffmpeg (Debian)', value: machine.ffmpeg },
  ]);
}

function render(outcomes: readonly BenchOutcome[], summary: SuiteSummary, machine: Machine): string {
  const flags = [...(quick ? ['--quick'] : []), ...values.only.map((o) => `--only ${o}`)];
  const mode = `\`npm run bench${flags.length ? ` -- ${flags.join(' ')}` : ''}\``;
  const untargeted = ['latency_p50_ms', 'latency_p95_ms'].map((key) => ({
    figure: key,
    target: '—',
    value: (summary[key] as string | number | null) ?? '—',
    status: '',
  }));
  const headline = markdownTable([
    ...summary.targets.map((t) => ({
      figure: t.key,
      target: t.goal,
      value: t.value ?? '—',
      status: t.status,
    })),
    ...untargeted,
  ]);
  const sections = outcomes.flatMap((o) =>
    o.error ? [`#### ${o.module}\n\n**error**: ${o.error}`] : o.reports.map((r) => renderSection(r, '####')),
  );
  const runs = markdownTable(
    outcomes.map((o) => ({
      module: o.module,
      sections: o.reports.length,
      seconds: Math.round(o.seconds),
      result: o.error ? `error: ${o.error}` : 'ok',
    })),
  );
  return [
    `Measured with ${mode}, finished ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${summary.seconds} s.`,
    '',
    '#### Machine',
    '',
    machineTable(machine),
    '',
    '#### Headline figures against the targets',
    '',
    headline,
    '',
    `Model ${summary.model ?? '—'}, batch ${summary.batch_size ?? '—'}, provider ${summary.provider ?? '—'}.`,
    '',
    ...sections.flatMap((s) => [s, '']),
    '#### Runs',
    '',
    runs,
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = describeMachine();
  const modules = discoverBenchmarks().filter(
    (m) => values.only.length === 0 || values.only.some((o) => m.includes(o)),
  );
  log(
    `rxvision bench${quick ? ' --quick' : ''}: ${modules.length} benchmarks on ${machine.cpu}, ${machine.gpu}`,
  );
  const outcomes: BenchOutcome[] = [];
  for (const module of modules) {
    log(`\n▶ ${module}`);
    const outcome = await runBenchmark(module, quick, timeoutMs);
    log(outcome.error ? `  ERROR: ${outcome.error}` : `  done in ${outcome.seconds.toFixed(1)} s`);
    outcomes.push(outcome);
  }
  const summary = summarise(outcomes, machine, quick, (performance.now() - started) / 1000);
  const markdown = render(outcomes, summary, machine);
  if (values['write-docs']) {
    writeFiguresSection(quick ? 'quick' : values.only.length > 0 ? 'partial' : 'full', markdown);
    log('\ndocs/benchmarks.md: figures section rewritten');
  }
  if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(`\n${markdown}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunningBenchmarks();
    process.exit(130);
  });
}

main().catch((err: unknown) => {
  log(`bench harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
