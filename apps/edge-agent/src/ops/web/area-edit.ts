import { parseDocument } from 'yaml';

/** One zone or line as the editor's apply sends it. */
export interface AreaEdit {
  readonly camera: string;
  readonly kind: 'zone' | 'line';
  readonly name: string;
  readonly coordinates: readonly (readonly [number, number])[];
}

/**
 * The config text with `cameras.<camera>.zones|lines.<name>.coordinates` set to the area's points
 * (added, or replacing that area's coordinates), the rest of the file and its comments kept.
 */
export function withArea(text: string, area: AreaEdit): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`the config file does not parse: ${doc.errors[0]?.message}`);
  const flat = area.coordinates.flat().join(',');
  doc.setIn(
    ['cameras', area.camera, area.kind === 'zone' ? 'zones' : 'lines', area.name, 'coordinates'],
    flat,
  );
  return doc.toString();
}
