import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findImportCycles, listSourceFiles, readImportGraph } from '../../../testing/import-graph.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The data path, lowest floor first: a workspace imports only from floors below its own. */
const FLOORS: readonly (readonly string[])[] = [
  ['packages/models', 'packages/decode'],
  ['packages/detector'],
  ['packages/tracker'],
  ['packages/sinks'],
  ['apps/edge-agent'],
];
const floorOf = (workspace: string) => FLOORS.findIndex((floor) => floor.includes(workspace));

/** `packages/x/…` → `packages/x`; `testing/…` → `testing`. */
function areaOf(path: string): string {
  const [group, name] = path.split('/');
  return group === 'packages' || group === 'apps' ? `${group}/${name}` : (group ?? '');
}

const files = listSourceFiles(ROOT).filter((file) => /^(packages|apps|testing|scripts)\//.test(file));
const edges = readImportGraph(ROOT, files);
const crossing = edges.filter((edge) => edge.to !== undefined && areaOf(edge.to) !== areaOf(edge.from));
const describeEdge = (edge: { from: string; specifier: string }) => `${edge.from} imports ${edge.specifier}`;

describe('the import graph follows the data path', () => {
  it('reads the whole repo (a sanity check on the reader)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((edge) => edge.specifier === '@rxvision/decode')).toBe(true);
  });

  it('every workspace is on a floor', () => {
    const workspaces = new Set(files.map(areaOf).filter((area) => area.includes('/')));
    expect([...workspaces].filter((workspace) => floorOf(workspace) < 0)).toEqual([]);
  });

  it('no workspace imports from its own floor or above it (sources, tests and benches alike)', () => {
    const upward = crossing.filter((edge) => {
      const from = floorOf(areaOf(edge.from));
      const to = floorOf(areaOf(edge.to!));
      return from >= 0 && to >= 0 && to >= from;
    });
    expect(upward.map(describeEdge)).toEqual([]);
  });

  it('nothing imports scripts/, and testing/ imports no workspace', () => {
    const wrong = crossing.filter(
      (edge) =>
        (areaOf(edge.to!) === 'scripts' && areaOf(edge.from) !== 'scripts') ||
        (areaOf(edge.from) === 'testing' && areaOf(edge.to!) !== 'testing'),
    );
    expect(wrong.map(describeEdge)).toEqual([]);
  });

  it("a package's src imports none of its tests or benches", () => {
    const wrong = edges.filter(
      (edge) => /^(packages|apps)\/[^/]+\/src\//.test(edge.from) && /\/(test|bench)\//.test(edge.to ?? ''),
    );
    expect(wrong.map(describeEdge)).toEqual([]);
  });

  it('the restream (sinks/src/rtsp) imports nothing from the MQTT sink (sinks/src/mqtt)', () => {
    const wrong = edges.filter(
      (edge) =>
        edge.from.startsWith('packages/sinks/src/rtsp/') && edge.to?.startsWith('packages/sinks/src/mqtt/'),
    );
    expect(wrong.map(describeEdge)).toEqual([]);
  });

  it('no import circle inside any workspace', () => {
    const sources = files.filter((file) => /^(packages|apps)\/[^/]+\/src\//.test(file));
    expect(findImportCycles(edges, sources)).toEqual([]);
  });
});
