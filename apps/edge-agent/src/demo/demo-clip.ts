import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCacheDir } from '@rxvision/models';

/** Debian package that ships OpenCV's sample clip of people walking (`vtest.avi`, 768x576, 10 fps, 80 s). */
export const DEMO_CLIP_PACKAGE = 'opencv-doc';
const CLIP_IN_PACKAGE = './usr/share/doc/opencv-doc/examples/data/vtest.avi';

export interface PrepareDemoClipOptions {
  /** Cache directory; default `RXVISION_CACHE` or `~/.cache/rxvision`. */
  readonly cacheDir?: string;
  /** Progress messages for a person watching (one line each). */
  readonly log?: (message: string) => void;
  /** The apt-get executable. Default `apt-get` from PATH. */
  readonly aptGet?: string;
  /** The dpkg-deb executable. Default `dpkg-deb` from PATH. */
  readonly dpkgDeb?: string;
}

/**
 * Makes sure the demo clip is cached and returns its path: OpenCV's `vtest.avi` (people walking in a
 * hall), taken from Debian's `opencv-doc` package with `apt-get download` (no root, nothing installed).
 * Later runs return the cached file at once. Without apt (not Debian/Ubuntu) it fails saying to pass any
 * video file or camera URL with `--source` instead.
 *
 * ## Example
 * ```ts
 * const clip = await prepareDemoClip({ log: console.log }); // ~/.cache/rxvision/demo/vtest.avi
 * ```
 */
export async function prepareDemoClip(options: PrepareDemoClipOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const log = options.log ?? (() => {});
  const clipPath = join(cacheDir, 'demo', 'vtest.avi');
  if (existsSync(clipPath)) {
    log(`demo clip is ready: ${clipPath}`);
    return clipPath;
  }
  await mkdir(join(cacheDir, 'demo'), { recursive: true });
  const work = await mkdtemp(join(cacheDir, 'demo', '.fetch-'));
  try {
    log(
      `downloading the demo clip from Debian's ${DEMO_CLIP_PACKAGE} package (about 96 MB, one file is kept)`,
    );
    await runTool(options.aptGet ?? 'apt-get', ['download', DEMO_CLIP_PACKAGE], work, 'apt-get download');
    const [deb] = (await readdir(work)).filter((f) => f.endsWith('.deb'));
    if (!deb) throw demoClipError(`apt-get download ${DEMO_CLIP_PACKAGE} wrote no .deb file`);
    // dpkg-deb streams the package's data tar; tar keeps only the clip, so nothing else touches the disk.
    await runPipeline(options.dpkgDeb ?? 'dpkg-deb', ['--fsys-tarfile', deb], ['-x', CLIP_IN_PACKAGE], work);
    await rename(join(work, CLIP_IN_PACKAGE), clipPath);
    log(`demo clip is ready: ${clipPath}`);
    return clipPath;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function demoClipError(what: string): Error {
  return new Error(
    `cannot fetch the demo clip: ${what}. It comes from Debian/Ubuntu's ${DEMO_CLIP_PACKAGE} package; ` +
      'on other systems play any video file or camera instead: edge-agent demo --source <file or rtsp:// URL>',
  );
}

function runTool(command: string, args: string[], cwd: string, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        demoClipError(err.code === 'ENOENT' ? `${command} is not installed` : `${label}: ${err.message}`),
      ),
    );
    child.once('close', (code) => {
      if (code === 0) return resolve();
      const reason = stderr.split('\n').find((line) => /^E:/.test(line)) ?? stderr.trim().split('\n').pop();
      reject(
        demoClipError(`${label} exited with code ${code} (${reason ?? 'no message'}); try apt-get update`),
      );
    });
  });
}

/** `producer args | tar tarArgs` in `cwd`, failing if either side fails. */
function runPipeline(producer: string, args: string[], tarArgs: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const source = spawn(producer, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', tarArgs, { cwd, stdio: ['pipe', 'ignore', 'pipe'] });
    source.stdout.pipe(tar.stdin);
    // tar may stop reading once the file is out; the producer then gets EPIPE, which is not a failure.
    tar.stdin.on('error', () => {});
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      source.kill();
      tar.kill();
      reject(err);
    };
    source.once('error', (err: NodeJS.ErrnoException) =>
      fail(demoClipError(err.code === 'ENOENT' ? `${producer} is not installed` : err.message)),
    );
    tar.once('error', (err) => fail(demoClipError(`tar: ${err.message}`)));
    let tarErr = '';
    tar.stderr.on('data', (chunk: Buffer) => {
      tarErr += chunk.toString();
    });
    source.stderr.resume();
    tar.once('close', (code) => {
      if (code === 0) resolve();
      else
        fail(demoClipError(`extracting ${CLIP_IN_PACKAGE} failed (${tarErr.trim() || `tar exit ${code}`})`));
    });
  });
}
