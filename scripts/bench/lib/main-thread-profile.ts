import { Session } from 'node:inspector/promises';
import { sep } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Samples the main thread with V8's profiler (what `node --cpu-prof` records) while `work` runs. */
export async function profileMainThread<T>(
  work: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  try {
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/**
 * Which part of the system a sampled frame belongs to, from its script URL. Native functions
 * (no URL: the onnxruntime binding's `run`, `spawn`, socket writes) count for the script that
 * called them.
 */
function category(node: ProfileNode, parents: ReadonlyMap<number, ProfileNode>): string {
  const { url, functionName } = node.callFrame;
  if (functionName === '(idle)') return 'idle (event loop waiting)';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)') return 'native, outside JS (program)';
  if (url === '') {
    const parent = parents.get(node.id);
    return parent && parent.callFrame.functionName !== '(root)'
      ? category(parent, parents)
      : 'native, outside JS';
  }
  if (url.includes('onnxruntime-node')) return 'onnxruntime session.run (inference, on the main thread)';
  for (const pkg of ['decode', 'detector', 'tracker', 'sinks']) {
    if (url.includes(`${sep}packages${sep}${pkg}${sep}`)) return `@rxvision/${pkg}`;
  }
  if (url.includes(`${sep}node_modules${sep}rxjs${sep}`)) return 'rxjs';
  if (url.includes(`${sep}node_modules${sep}mqtt`)) return 'mqtt.js';
  if (url.startsWith('node:')) return 'Node core (streams, pipes, sockets, timers)';
  return 'other JS';
}

/** Self time per category over the whole profile, largest first (ms and share of wall time). */
export function summariseProfile(profile: CpuProfile): Array<{ where: string; ms: number; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n);
  const totals = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const where = category(node, parents);
    totals.set(where, (totals.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const wall = (profile.endTime - profile.startTime) / 1000;
  return [...totals].map(([where, ms]) => ({ where, ms, share: ms / wall })).sort((a, b) => b.ms - a.ms);
}
