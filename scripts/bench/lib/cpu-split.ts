import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds spent, split by who spent them. */
export interface CpuSplit {
  /** The Node main thread: JavaScript, and onnxruntime-node's `session.run`, which runs on it. */
  readonly mainThread: number;
  /** Node's other threads: onnxruntime's intra-op pool, libuv workers, GC helpers. */
  readonly otherThreads: number;
  /** Child processes by command name (ffmpeg, mosquitto, …). */
  readonly children: Readonly<Record<string, number>>;
}

const TICK = 100; // USER_HZ on Linux

/** utime + stime of a /proc stat line, in seconds, and its parent pid. */
function parseStat(path: string): { cpu: number; ppid: number; comm: string } | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICK;
    return { cpu, ppid: Number(fields[1]), comm };
  } catch {
    return undefined; // the thread or process ended between listing and reading
  }
}

/** A snapshot of CPU time by thread of this process and by live child process (Linux only). */
export function sampleCpu(): CpuSplit {
  let mainThread = 0;
  let otherThreads = 0;
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const s = parseStat(`/proc/self/task/${tid}/stat`);
      if (!s) continue;
      if (Number(tid) === process.pid) mainThread = s.cpu;
      else otherThreads += s.cpu;
    }
  } catch {
    return { mainThread: 0, otherThreads: 0, children: {} };
  }
  const children: Record<string, number> = {};
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const s = parseStat(`/proc/${pid}/stat`);
    if (s && s.ppid === process.pid) children[s.comm] = (children[s.comm] ?? 0) + s.cpu;
  }
  return { mainThread, otherThreads, children };
}

/**
 * CPU time between two snapshots as shares of the wall time (1.0 = one core busy).
 * Children that ended in between are missed, so sample while the pipeline runs.
 */
export function cpuShares(before: CpuSplit, after: CpuSplit, wallSeconds: number): Record<string, number> {
  const share = (v: number) => Math.round((v / wallSeconds) * 100) / 100;
  const out: Record<string, number> = {
    'node main thread': share(after.mainThread - before.mainThread),
    'node other threads': share(after.otherThreads - before.otherThreads),
  };
  for (const [comm, cpu] of Object.entries(after.children)) {
    out[comm] = share(cpu - (before.children[comm] ?? 0));
  }
  return out;
}
