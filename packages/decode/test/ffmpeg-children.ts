import { execFileSync } from 'node:child_process';

/** PIDs of ffmpeg processes whose parent is this test process (read from the process table). */
export function ffmpegChildren(): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, comm]) => Number(ppid) === process.pid && comm === 'ffmpeg')
    .map(([pid]) => Number(pid));
}

/** Waits until no ffmpeg child is left, or returns the ones still there after `timeoutMs`. */
export async function settleFfmpegChildren(timeoutMs = 5_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = ffmpegChildren();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = ffmpegChildren();
  }
  return left;
}
