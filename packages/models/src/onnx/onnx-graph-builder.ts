import type {
  OnnxAttributeValue,
  OnnxModel,
  OnnxNode,
  OnnxTensor,
  OnnxTensorData,
  OnnxValueInfo,
} from './onnx-model.js';

/** What a graph needs besides its nodes and initializers to be a whole model. */
export interface OnnxGraphSignature {
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly metadata?: Readonly<Record<string, string>>;
  /** Default 13: what YOLOv5 exports use and every onnxruntime provider since 1.8 runs. */
  readonly opsetVersion?: number;
  /** Default 7, the IR version of opset 13. */
  readonly irVersion?: number;
  readonly producerName?: string;
  readonly graphName?: string;
}

/**
 * Accumulates ONNX nodes and initializers with unique names, then makes a model of them.
 *
 * ## Example
 * ```ts
 * const b = new OnnxGraphBuilder();
 * b.node('Reshape', ['x', b.int64s('shape', [1, -1])], 'y');
 * const bytes = encodeOnnxModel(b.model({ inputs: [x], outputs: [y] }));
 * ```
 */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();

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

  /** Adds a constant tensor and returns its name. */
  initializer(base: string, dims: readonly number[], data: OnnxTensorData): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** Adds a 1-D int64 constant (shapes, axes, pads) and returns its name. */
  int64s(base: string, values: readonly (number | bigint)[]): string {
    return this.initializer(
      base,
      [values.length],
      BigInt64Array.from(values, (v) => BigInt(v)),
    );
  }

  /** The nodes and initializers added so far as a model with this signature. */
  model(signature: OnnxGraphSignature): OnnxModel {
    return {
      irVersion: signature.irVersion ?? 7,
      opsetVersion: signature.opsetVersion ?? 13,
      producerName: signature.producerName ?? 'rxvision',
      graphName: signature.graphName ?? 'graph',
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: signature.inputs,
      outputs: signature.outputs,
      metadata: signature.metadata ?? {},
    };
  }
}
