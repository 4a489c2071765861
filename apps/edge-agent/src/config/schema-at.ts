import { z } from 'zod';

/** The schema that does the checking under wrappers: optional, default, and a preprocess's target. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable ||
      s instanceof z.ZodDefault ||
      s instanceof z.ZodPrefault
    )
      s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = (s.in instanceof z.ZodTransform ? s.out : s.in) as z.ZodType;
    else return s;
  }
}

function step(schema: z.ZodType, key: PropertyKey): z.ZodType | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return (s.shape as Record<string, z.ZodType>)[String(key)];
  if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  if (s instanceof z.ZodUnion)
    for (const option of s.options as readonly z.ZodType[]) {
      const found = step(option, key);
      if (found) return found;
    }
  return undefined;
}

/** The schema of the key at `path`, as the user wrote it; undefined off the schema. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const key of path) s = s && step(s, key);
  return s;
}

/** The keys of the mapping at `path` (a union's mapping option included). */
export function knownKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const at = schemaAt(root, path);
  const s = at && unwrap(at);
  const options = s instanceof z.ZodUnion ? (s.options as readonly z.ZodType[]).map(unwrap) : s ? [s] : [];
  for (const o of options) {
    if (o instanceof z.ZodObject) return Object.keys(o.shape);
    // A record keyed by an enum, such as `mqtt.qos`.
    if (o instanceof z.ZodRecord && o.keyType instanceof z.ZodEnum) return o.keyType.options.map(String);
  }
  return [];
}

/** The description (`.meta()`) of the key at `path`. */
export function descriptionAt(root: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let s = schemaAt(root, path);
  while (s) {
    if (s.description) return s.description;
    const inner = unwrap(s);
    s = inner === s ? undefined : inner;
  }
  return undefined;
}
