import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the checkout (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `../shared` assets folder: `RXVISION_SHARED`, else the folder beside the checkout. */
export function resolveSharedDir(): string {
  const dir = resolve(process.env.RXVISION_SHARED ?? join(REPO_ROOT, '..', 'shared'));
  if (!existsSync(join(dir, 'models'))) {
    throw new Error(
      `shared assets not found at ${dir}: put ../shared beside the checkout or set RXVISION_SHARED`,
    );
  }
  return dir;
}
