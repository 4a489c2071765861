import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's FFmpeg makes the test media, so the fixtures don't depend on the binary under test. */
const FFMPEG = '/usr/bin/ffmpeg';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'rxv-decode-'));
}

function ffmpeg(args: string[]): void {
  execFileSync(FFMPEG, ['-nostdin', '-loglevel', 'error', '-y', ...args]);
}

/** A short H.264 test pattern at the given size. */
export function testPattern(dir: string, name: string, size: string, seconds = 1, rate = 10): string {
  const out = join(dir, name);
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=${rate}`,
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    out,
  ]);
  return out;
}

/** One MPEG-TS whose picture size changes from `first` to `second` half-way (concat demuxer). */
export function resolutionChange(dir: string, first: string, second: string): string {
  const a = testPattern(dir, 'a.ts', first);
  const b = testPattern(dir, 'b.ts', second);
  const list = join(dir, 'list.txt');
  writeFileSync(list, `file '${a}'\nfile '${b}'\n`);
  const out = join(dir, 'resolution-change.ts');
  ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', out]);
  return out;
}

/** The first `fraction` of a file's bytes, as a download cut short leaves it. */
export function truncated(dir: string, source: string, fraction: number, name = 'truncated.mp4'): string {
  const bytes = readFileSync(source);
  const out = join(dir, name);
  writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return out;
}

/** A remux of `source` with the index (moov) at the end, as many cameras and recorders write MP4. */
export function moovAtEnd(dir: string, source: string): string {
  const out = join(dir, 'moov-at-end.mp4');
  ffmpeg(['-i', source, '-c', 'copy', '-an', out]);
  return out;
}

/** An audio-only file. */
export function audioOnly(dir: string): string {
  const out = join(dir, 'audio-only.m4a');
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', out]);
  return out;
}
