// Regenerates the files made from the config schema: npm run gen:config -w apps/edge-agent
import { writeFileSync } from 'node:fs';
import { configArtefacts } from './config-artefacts.js';

for (const { file, text } of configArtefacts()) {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
