import { readFileSync } from 'node:fs';

/** The app's version from its package.json (dist/ops/ and src/ops/ both sit two levels below it). */
export function agentVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
