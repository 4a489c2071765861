import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file only this user can read, holding something that must not appear on a command line. */
export interface SecretFile {
  readonly path: string;
  /** Deletes it (and its folder); safe to call twice. */
  remove(): void;
}

/** Writes `text` to a fresh 0600 file in a 0700 folder under the temp directory. */
export function writeSecretFile(name: string, text: string): SecretFile {
  const dir = mkdtempSync(join(tmpdir(), 'rxvision-'));
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
