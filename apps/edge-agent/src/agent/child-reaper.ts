import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AgentLogger } from '../ops/logger.js';

/** PIDs of this process's children, from each `/proc/<pid>/stat`'s parent field (Linux; empty elsewhere). */
export function childPids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((pid) => /^\d+$/.test(pid) && parentOf(pid) === process.pid).map(Number);
}

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last `)`.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' ? undefined : Number(ppid);
  } catch {
    return undefined;
  }
}

/**
 * Waits up to `graceMs` for the children still running at shutdown (FFmpeg decoders, restream
 * encoders) to exit, then SIGKILLs the rest and says which, so a wedged encoder neither holds the
 * shutdown nor outlives the agent. Linux only; elsewhere it returns at once.
 */
export async function reapChildren(graceMs: number, log: AgentLogger): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (childPids().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of childPids()) {
    // Only the program's name: its arguments may hold a camera URL.
    const program = commandName(pid);
    try {
      process.kill(pid, 'SIGKILL');
      log.warn('child process did not exit at shutdown; killed it', { pid, program });
    } catch {
      // It exited between the listing and the kill.
    }
  }
}

function commandName(pid: number): string {
  try {
    return basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '');
  } catch {
    return 'unknown';
  }
}
