import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One attribute of a TF.js graph node, as the TensorFlow.js converter writes it into model.json. */
export interface TfjsAttr {
  readonly s?: string;
  readonly i?: string;
  readonly f?: number;
  readonly b?: boolean;
  readonly list?: { readonly s?: readonly string[]; readonly i?: readonly string[] };
}

/** One node of a TF.js graph's `modelTopology`. */
export interface TfjsNode {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
  readonly attr?: Readonly<Record<string, TfjsAttr>>;
}

/** A signature input or output: the tensor's name (without `:0`) and its shape, -1 where unknown. */
export interface TfjsTensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** A weight tensor from the shards: float32 or int32, row-major in TF layout. */
export interface TfjsWeight {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

/** A TF.js graph model (`format: graph-model`) loaded into memory: topology, signature and weights. */
export interface TfjsGraphModel {
  readonly nodes: readonly TfjsNode[];
  readonly inputs: readonly TfjsTensorSpec[];
  readonly outputs: readonly TfjsTensorSpec[];
  readonly weights: ReadonlyMap<string, TfjsWeight>;
  readonly convertedBy: string;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/**
 * Reads `model.json` and its weight shards from a directory (the layout `tensorflowjs_converter` writes).
 * Throws an error naming the file and what is wrong when the model is not a graph model it can read.
 */
export async function loadTfjsGraphModel(dir: string): Promise<TfjsGraphModel> {
  const jsonPath = join(dir, 'model.json');
  const fail = (what: string): never => {
    throw new Error(`${jsonPath}: ${what}. Expected a TF.js graph model written by tensorflowjs_converter.`);
  };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (err) {
    fail(`cannot read as JSON (${(err as Error).message})`);
  }
  if (!isRecord(json)) return fail('not a JSON object');
  if (json.format !== 'graph-model') fail(`format is ${JSON.stringify(json.format)}, not "graph-model"`);
  const topology = json.modelTopology;
  if (!isRecord(topology) || !Array.isArray(topology.node)) return fail('modelTopology.node is missing');
  const nodes = topology.node as TfjsNode[];
  for (const [index, node] of nodes.entries()) {
    if (!isRecord(node) || typeof node.name !== 'string' || typeof node.op !== 'string') {
      fail(`modelTopology.node[${index}] has no name or op`);
    }
  }
  const signature = json.signature;
  if (!isRecord(signature)) return fail('signature is missing');
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) return fail('weightsManifest is missing');

  const weights = new Map<string, TfjsWeight>();
  for (const [groupIndex, group] of manifest.entries()) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      return fail(`weightsManifest[${groupIndex}] needs paths and weights`);
    }
    const shards = await Promise.all(
      (group.paths as string[]).map(async (path) => {
        try {
          return await readFile(join(dir, path));
        } catch (err) {
          return fail(`weight shard ${path} cannot be read (${(err as Error).message})`);
        }
      }),
    );
    const buffer = Buffer.concat(shards);
    let offset = 0;
    for (const entry of group.weights as ManifestEntry[]) {
      if (entry.quantization !== undefined) fail(`weight ${entry.name} is quantized, which is not supported`);
      const count = entry.shape.reduce((a, b) => a * b, 1);
      const bytes = count * 4;
      if (offset + bytes > buffer.byteLength) fail(`weight shards of group ${groupIndex} are too short`);
      // Copy into an aligned buffer: shard offsets need not be multiples of 4 bytes in general.
      const copy = new Uint8Array(buffer.subarray(offset, offset + bytes)).buffer;
      if (entry.dtype === 'float32')
        weights.set(entry.name, { shape: entry.shape, data: new Float32Array(copy) });
      else if (entry.dtype === 'int32')
        weights.set(entry.name, { shape: entry.shape, data: new Int32Array(copy) });
      else fail(`weight ${entry.name} has dtype ${entry.dtype}; only float32 and int32 are supported`);
      offset += bytes;
    }
    if (offset !== buffer.byteLength) {
      fail(
        `weight shards of group ${groupIndex} hold ${buffer.byteLength} bytes, the manifest describes ${offset}`,
      );
    }
  }

  return {
    nodes,
    inputs: tensorSpecs(signature.inputs, 'signature.inputs', fail),
    outputs: tensorSpecs(signature.outputs, 'signature.outputs', fail),
    weights,
    convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : 'unknown converter',
  };
}

function tensorSpecs(value: unknown, where: string, fail: (what: string) => never): TfjsTensorSpec[] {
  if (!isRecord(value) || Object.keys(value).length === 0) return fail(`${where} is empty`);
  return Object.values(value).map((spec) => {
    if (!isRecord(spec) || typeof spec.name !== 'string') return fail(`${where} has an entry without a name`);
    const dims =
      isRecord(spec.tensorShape) && Array.isArray(spec.tensorShape.dim) ? spec.tensorShape.dim : [];
    return {
      name: spec.name.split(':')[0] ?? spec.name,
      shape: (dims as { size?: string }[]).map((d) => Number(d.size ?? -1)),
    };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
