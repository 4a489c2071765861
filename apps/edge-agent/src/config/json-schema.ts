import { z } from 'zod';
import { agentConfigSchema } from './schema/agent-config.js';

/** A JSON Schema node, as `z.toJSONSchema` writes it. */
export type JsonSchema = Record<string, unknown>;

interface OverrideContext {
  readonly zodSchema: unknown;
  readonly jsonSchema: object;
}

/** zod leaves out the default of a key whose input is preprocessed (numbers and flags also written as text). */
function keepDefault({ zodSchema, jsonSchema }: OverrideContext): void {
  const node = jsonSchema as JsonSchema;
  if (zodSchema instanceof z.ZodDefault && !('default' in node)) node.default = zodSchema.def.defaultValue;
}

function toJsonSchema(override: (ctx: OverrideContext) => void): JsonSchema {
  return z.toJSONSchema(agentConfigSchema, { io: 'input', target: 'draft-2020-12', override }) as JsonSchema;
}

/** The JSON Schema of the YAML a user writes (zod's input side), each key's DeepStream/Frigate key kept apart as `equivalent`. */
export function documentedJsonSchema(): JsonSchema {
  return toJsonSchema(keepDefault);
}

/** `config/edge-agent.schema.json`: the same schema with each `equivalent` folded into the description editors show. */
export function editorJsonSchema(): JsonSchema {
  return toJsonSchema((ctx) => {
    keepDefault(ctx);
    const node = ctx.jsonSchema as JsonSchema;
    if (typeof node.equivalent !== 'string') return;
    node.description = `${String(node.description ?? '')} (${node.equivalent})`;
    delete node.equivalent;
  });
}

/** The file's text: pretty-printed, ending in a newline. */
export function editorJsonSchemaText(): string {
  return `${JSON.stringify(editorJsonSchema(), null, 2)}\n`;
}
