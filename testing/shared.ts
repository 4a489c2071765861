import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `../shared` assets folder beside the checkout (models, clips, photos, MOT data). */
export const SHARED_DIR = resolve(
  process.env.RXVISION_SHARED ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared'),
);

export function sharedPath(...parts: string[]): string {
  const path = join(SHARED_DIR, ...parts);
  if (!existsSync(path))
    throw new Error(`missing shared asset ${path}: tests expect ../shared beside the repo`);
  return path;
}
