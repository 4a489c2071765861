import type { OnnxAttributeValue, OnnxNode, OnnxTensor, OnnxTensorData } from './onnx-model.js';

/**
 * Where a converted 4-D image tensor lives: `tf` is TensorFlow's NHWC as in the source graph, `nchw` is the
 * same tensor held transposed, the layout ONNX convolutions want. Only 4-D tensors are ever `nchw`.
 */
export type Layout = 'tf' | 'nchw';

export interface Value {
  readonly name: string;
  readonly layout: Layout;
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** Accumulates ONNX nodes and initializers, with unique names and shared layout transposes. */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private readonly transposed = new Map<string, string>();

  /** A name no other value has, based on `base`. */
  fresh(base: string): string {
    let name = base;
    for (let n = 1; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output and returns the output's name. */
  node(
    opType: string,
    inputs: readonly string[],
    outputBase: string,
    attributes?: Record<string, OnnxAttributeValue>,
  ): string {
    const output = this.fresh(outputBase);
    this.nodes.push({
      opType,
      name: output,
      inputs,
      outputs: [output],
      ...(attributes ? { attributes } : {}),
    });
    return output;
  }

  initializer(base: string, dims: readonly number[], data: OnnxTensorData): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, data });
    return name;
  }

  int64s(base: string, values: readonly (number | bigint)[]): string {
    return this.initializer(
      base,
      [values.length],
      BigInt64Array.from(values, (v) => BigInt(v)),
    );
  }

  /** The value in TF's own layout, transposing it back once (and sharing that transpose) if needed. */
  asTf(value: Value): string {
    return value.layout === 'tf' ? value.name : this.transpose(value.name, TO_NHWC, 'nhwc');
  }

  /** The 4-D value in NCHW, transposing it once (and sharing that transpose) if needed. */
  asNchw(value: Value): string {
    return value.layout === 'nchw' ? value.name : this.transpose(value.name, TO_NCHW, 'nchw');
  }

  private transpose(name: string, perm: number[], suffix: string): string {
    const key = `${name}|${suffix}`;
    let out = this.transposed.get(key);
    if (out === undefined) {
      out = this.node('Transpose', [name], `${name}/${suffix}`, { perm });
      this.transposed.set(key, out);
    }
    return out;
  }
}

/** Where TF's NHWC axis `axis` (may be negative) lives in an NCHW tensor. */
export function nchwAxis(axis: number): number {
  const positive = axis < 0 ? axis + 4 : axis;
  const map = [0, 2, 3, 1];
  const mapped = map[positive];
  if (mapped === undefined) throw new RangeError(`axis ${axis} is out of range for a 4-D tensor`);
  return mapped;
}
