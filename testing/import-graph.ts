import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import (static, re-export or literal dynamic `import()`) of one source file, paths relative to the root. */
export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
  /** The imported repo file for a relative specifier, the workspace folder for `@rxvision/<name>`. */
  readonly to?: string;
}

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.turbo', '.git', 'coverage', 'bench-results']);

/** Every `.ts` file below `dir` (build output and dependencies left out), relative to `root`. */
export function listSourceFiles(root: string, dir = '.'): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    if (SKIPPED_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) files.push(...listSourceFiles(root, path));
    else if (/\.(ts|mts)$/.test(entry) && !entry.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** `./x.js` written in TypeScript ESM names `./x.ts`; a folder names its `index.ts`. */
function resolveRelative(root: string, from: string, specifier: string): string {
  const base = resolve(root, dirname(from), specifier);
  const candidates = [base, base.replace(/\.m?js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((path) => existsSync(path) && statSync(path).isFile()) ?? base;
  return relative(root, found);
}

/**
 * The import edges of the given files, read with TypeScript's own pre-processor, so imports
 * shown in doc comments and strings are not counted.
 */
export function readImportGraph(root: string, files: readonly string[]): ImportEdge[] {
  const workspaces = new Map<string, string>();
  for (const group of ['packages', 'apps']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) workspaces.set(name, `${group}/${name}`);
  }
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const info = ts.preProcessFile(readFileSync(join(root, from), 'utf8'), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      const scoped = /^@rxvision\/([^/]+)/.exec(specifier)?.[1];
      const to = specifier.startsWith('.')
        ? resolveRelative(root, from, specifier)
        : scoped
          ? workspaces.get(scoped)
          : undefined;
      edges.push(to === undefined ? { from, specifier } : { from, specifier, to });
    }
  }
  return edges;
}

/** The import cycles among `files` (strongly connected components of more than one file, or a self-import). */
export function findImportCycles(edges: readonly ImportEdge[], files: readonly string[]): string[][] {
  const inSet = new Set(files);
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (!edge.to || !inSet.has(edge.from) || !inSet.has(edge.to)) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  }
  // Tarjan's algorithm, iterative enough for a repo's depth.
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    order.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!order.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, order.get(target)!));
      }
    }
    if (low.get(node) !== order.get(node)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || next.get(node)?.includes(node)) cycles.push(component.sort());
  };
  for (const file of files) if (!order.has(file)) visit(file);
  return cycles;
}
