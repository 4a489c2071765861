import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configArtefacts } from '../scripts/config-artefacts.js';

// Biome may re-wrap the JSON file, so JSON is compared as data and markdown as text.
const content = (file: string, text: string): unknown => (file.endsWith('.json') ? JSON.parse(text) : text);

describe('files generated from the config schema', () => {
  it('are up to date (else run `npm run gen:config -w apps/edge-agent`)', () => {
    for (const { file, text } of configArtefacts()) {
      expect(
        content(file, readFileSync(file, 'utf8')),
        `${file} is stale: run npm run gen:config -w apps/edge-agent`,
      ).toEqual(content(file, text));
    }
  });
});
