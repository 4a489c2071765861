import { documentedJsonSchema, type JsonSchema } from './json-schema.js';

function node(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : {};
}

/** The mapping a key holds: itself, a record's value, a list's item, or a union's mapping option. */
function mappingOf(schema: JsonSchema): JsonSchema {
  if (schema.type === 'array') return mappingOf(node(schema.items));
  if (Array.isArray(schema.anyOf))
    return mappingOf(node(schema.anyOf.map(node).find((o) => o.type === 'object')));
  const value = node(schema.additionalProperties);
  if (!schema.properties && value.type === 'object') return value;
  return schema;
}

function at(root: JsonSchema, path: readonly string[]): JsonSchema {
  let s = root;
  for (const key of path) s = mappingOf(node(node(mappingOf(s).properties)[key]));
  return mappingOf(s);
}

function typeText(s: JsonSchema): string {
  if (Array.isArray(s.anyOf)) return [...new Set(s.anyOf.map((o) => typeText(node(o))))].join(' or ');
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${String(v)}\``).join(', ');
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  const range =
    s.minimum !== undefined && s.maximum !== undefined
      ? ` ${String(s.minimum)}–${String(s.maximum)}`
      : s.minimum !== undefined
        ? ` ≥ ${String(s.minimum)}`
        : '';
  switch (s.type) {
    case 'integer':
      return `integer${range}`;
    case 'number':
      return `number${range}`;
    case 'boolean':
      return 'true/false';
    case 'string':
      return 'text';
    case 'array':
      return 'list';
    case 'object':
      return 'mapping';
    default:
      return 'any';
  }
}

function defaultText(s: JsonSchema, required: boolean): string {
  if (required) return 'required';
  if (s.default === undefined) return '—';
  return `\`${JSON.stringify(s.default)}\``;
}

/** One markdown table of the keys of the mapping at `path`. */
function table(root: JsonSchema, path: readonly string[]): string {
  const section = at(root, path);
  const required = new Set(Array.isArray(section.required) ? section.required.map(String) : []);
  const rows = Object.entries(node(section.properties)).map(([key, value]) => {
    const s = node(value);
    const cells = [
      `\`${key}\``,
      typeText(s),
      defaultText(s, required.has(key)),
      String(s.description ?? ''),
      String(s.equivalent ?? '—'),
    ];
    return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  });
  return [
    '| key | type | default | meaning | DeepStream / Frigate |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Each generated region of docs/config.md: the key path whose table it holds. */
export const DOC_TABLES: Readonly<Record<string, readonly string[]>> = {
  mqtt: ['mqtt'],
  'mqtt-offline-queue': ['mqtt', 'offline_queue'],
  http: ['http'],
  rtsp: ['rtsp'],
  detectors: ['detectors'],
  tensorrt: ['detectors', 'providers', 'tensorrt'],
  cuda: ['detectors', 'providers', 'cuda'],
  tracker: ['tracker'],
  cameras: ['cameras'],
  zones: ['cameras', 'zones'],
  lines: ['cameras', 'lines'],
  restream: ['cameras', 'restream'],
  snapshots: ['cameras', 'snapshots'],
  logger: ['logger'],
  objects: ['objects'],
  'object-filters': ['objects', 'filters'],
};

/** Replaces every `<!-- generated:begin NAME -->…<!-- generated:end NAME -->` region with the schema's table. */
export function renderConfigDocs(markdown: string): string {
  const root = documentedJsonSchema();
  let out = markdown;
  for (const [name, path] of Object.entries(DOC_TABLES)) {
    const begin = `<!-- generated:begin ${name} -->`;
    const end = `<!-- generated:end ${name} -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/config.md: no generated region "${name}"`);
    out = `${out.slice(0, from + begin.length)}\n${table(root, path)}\n${out.slice(to)}`;
  }
  return out;
}
