import { readFileSync } from 'node:fs';

/** The app's version from its package.json (dist/ and src/ both sit one level below it). */
export function agentVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
