// Regenerates the files made from the config schema: npm run gen:config -w apps/edge-agent
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { CONFIG_JSON_SCHEMA, configArtefacts } from './config-artefacts.js';

for (const { file, text } of configArtefacts()) {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
// Written as Biome formats it, so `biome ci` passes on a fresh regeneration.
execFileSync('npx', ['biome', 'format', '--write', CONFIG_JSON_SCHEMA], { stdio: 'inherit' });
