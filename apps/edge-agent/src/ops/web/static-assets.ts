import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the edge-agent build puts the page (Vite's `outDir`, beside the compiled `dist/ops`). */
export const WEB_DIST = fileURLToPath(new URL('../../web/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The built page's files by URL path (`/index.html`, `/assets/…`), read once: a few tens of KiB. */
export function readStaticAssets(dir = WEB_DIST): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const type = TYPES[extname(name)];
        if (type)
          files.set(`/${relative(dir, path).split('\\').join('/')}`, {
            body: readFileSync(path),
            contentType: type,
          });
      }
    }
  };
  walk(dir);
  return files;
}
