import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where downloaded and converted assets live: `RXVISION_CACHE`, else `$XDG_CACHE_HOME/rxvision`, else `~/.cache/rxvision`. */
export function defaultCacheDir(): string {
  if (process.env.RXVISION_CACHE) return resolve(process.env.RXVISION_CACHE);
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'rxvision');
}
