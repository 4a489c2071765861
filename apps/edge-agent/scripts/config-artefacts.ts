import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigDocs } from '../src/config/config-docs.js';
import { editorJsonSchemaText } from '../src/config/json-schema.js';

const root = new URL('../../../', import.meta.url);

/** `config/edge-agent.schema.json`. */
export const CONFIG_JSON_SCHEMA = fileURLToPath(new URL('config/edge-agent.schema.json', root));
/** `docs/config.md`. */
export const CONFIG_DOCS = fileURLToPath(new URL('docs/config.md', root));

/** Each file generated from the config schema, with the text it should hold now. */
export function configArtefacts(): Array<{ readonly file: string; readonly text: string }> {
  return [
    { file: CONFIG_JSON_SCHEMA, text: editorJsonSchemaText() },
    { file: CONFIG_DOCS, text: renderConfigDocs(readFileSync(CONFIG_DOCS, 'utf8')) },
  ];
}
