import { readFile } from 'node:fs/promises';
import { COCO_LABELS } from '@rxvision/models';

/** Where a detector's class names came from, for logs and metrics. */
export type ClassNamesSource = 'option' | 'model-metadata' | 'labels-file' | 'coco80';

/**
 * Class names by priority: explicit list, the model's `names` metadata (Ultralytics exports
 * write `{0: 'person', ...}`), a labels file (one name per line, darknet `coco.names` style),
 * else COCO-80.
 */
export async function resolveClassNames(
  metadata: ReadonlyMap<string, string>,
  options: { readonly classNames?: readonly string[]; readonly labelsPath?: string },
): Promise<{ names: readonly string[]; source: ClassNamesSource }> {
  if (options.classNames) return { names: options.classNames, source: 'option' };
  const fromModel = parseNamesMetadata(metadata.get('names') ?? metadata.get('classes'));
  if (fromModel) return { names: fromModel, source: 'model-metadata' };
  if (options.labelsPath) {
    const text = await readFile(options.labelsPath, 'utf8').catch((error: Error) => {
      throw new Error(`cannot read labels file ${options.labelsPath}: ${error.message}`);
    });
    const names = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    if (names.length === 0) throw new Error(`labels file ${options.labelsPath} has no class names`);
    return { names, source: 'labels-file' };
  }
  return { names: COCO_LABELS, source: 'coco80' };
}

/** Parses `{0: 'person', 1: 'car'}` (Python dict repr), a JSON object or a JSON array. */
export function parseNamesMetadata(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((n) => typeof n === 'string')) return parsed;
    if (parsed && typeof parsed === 'object') return fromIndexed(Object.entries(parsed));
  } catch {
    // Not JSON: Ultralytics writes a Python dict repr, read below.
  }
  const entries = [...value.matchAll(/(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)].map(
    (m): [string, unknown] => [m[1]!, m[2] ?? m[3]],
  );
  return fromIndexed(entries);
}

function fromIndexed(entries: [string, unknown][]): string[] | undefined {
  const names: string[] = [];
  for (const [key, name] of entries) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || typeof name !== 'string') return undefined;
    names[index] = name;
  }
  if (names.length === 0) return undefined;
  return Array.from(names, (name, i) => name ?? `class${i}`);
}
