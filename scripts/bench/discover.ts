import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shared-dir.js';

/** Upstream-first, so the printed sections follow the data path. */
const WORKSPACE_ORDER = ['decode', 'detector', 'tracker', 'sinks', 'edge-agent'];

function benchFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => join(dir, f));
}

function workspaces(parent: string): string[] {
  const dir = join(REPO_ROOT, parent);
  if (!existsSync(dir)) return [];
  const rank = (name: string) => {
    const i = WORKSPACE_ORDER.indexOf(name);
    return i === -1 ? WORKSPACE_ORDER.length : i;
  };
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => join(dir, name));
}

/** Every node's `bench/*.bench.ts`, then the end-to-end benches of `scripts/bench/e2e`. */
export function discoverBenchmarks(): string[] {
  const nodeBenches = [...workspaces('packages'), ...workspaces('apps')].flatMap((ws) =>
    benchFiles(join(ws, 'bench')),
  );
  return [...nodeBenches, ...benchFiles(join(REPO_ROOT, 'scripts', 'bench', 'e2e'))];
}
