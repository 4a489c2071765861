import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Which registry and npm executable `fetchNpmTarball` uses. */
export interface NpmTarballOptions {
  /** Registry URL; default is npm's own configuration (`npm config get registry`). */
  readonly registry?: string;
  /** The npm executable. Default `npm` from PATH. */
  readonly npm?: string;
}

/**
 * Downloads one package version's tarball with `npm pack` into `dir` and returns its path, without
 * installing the package or running any of its scripts. A tarball already there is reused, which is also
 * how to prepare an air-gapped box: copy the `.tgz` into the directory.
 */
export async function fetchNpmTarball(
  spec: string,
  dir: string,
  options: NpmTarballOptions = {},
): Promise<string> {
  const match = /^(@?[^@]+)@(\d[^@]*)$/.exec(spec);
  if (!match) throw new Error(`npm package spec ${spec} must be name@version`);
  const fileName = `${match[1]!.replace(/^@/, '').replace('/', '-')}-${match[2]}.tgz`;
  const target = join(dir, fileName);
  if (existsSync(target)) return target;

  const staging = join(dir, `.pack-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  try {
    const args = ['pack', spec, '--pack-destination', staging, '--ignore-scripts', '--loglevel=error'];
    if (options.registry) args.push('--registry', options.registry);
    await run(options.npm ?? 'npm', args, {
      // Run outside any project so a surrounding package.json or workspace cannot change what npm does.
      cwd: staging,
      maxBuffer: 1 << 20,
      timeout: 10 * 60_000,
      env: { ...process.env, npm_config_fetch_retries: process.env.npm_config_fetch_retries ?? '1' },
    }).catch((err: NodeJS.ErrnoException & { stderr?: string }) => {
      const detail =
        err.code === 'ENOENT'
          ? `${options.npm ?? 'npm'} is not installed or not on PATH`
          : (npmErrorSummary(err.stderr ?? '') ?? err.message.split('\n')[0]);
      throw new Error(
        `cannot download ${spec} from the npm registry${options.registry ? ` ${options.registry}` : ''}: ${detail}. ` +
          `Check the network or the registry (npm config get registry), or copy ${fileName} into ${dir} by hand.`,
      );
    });
    const [packed] = (await readdir(staging)).filter((f) => f.endsWith('.tgz'));
    if (!packed) throw new Error(`npm pack ${spec} wrote no tarball into ${staging}`);
    await rename(join(staging, packed), target);
    return target;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The one line of npm's error output that says what went wrong (not the stack trace). */
function npmErrorSummary(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .filter((line) => line.startsWith('npm error '))
    .map((line) => line.slice('npm error '.length).trim());
  return (
    lines.find((line) => /request to|404|ETARGET|No matching version|ENOTFOUND|EAI_AGAIN/i.test(line)) ??
    lines[0]
  );
}
