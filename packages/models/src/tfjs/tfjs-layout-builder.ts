import { OnnxGraphBuilder } from '../onnx/onnx-graph-builder.js';

/**
 * Where a converted 4-D image tensor lives: `tf` is TensorFlow's NHWC as in the source graph, `nchw` is the
 * same tensor held transposed, the layout ONNX convolutions want. Only 4-D tensors are ever `nchw`.
 */
export type Layout = 'tf' | 'nchw';

/** A converted TF tensor: its ONNX name and the layout it is held in. */
export interface Value {
  readonly name: string;
  readonly layout: Layout;
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** An `OnnxGraphBuilder` that also moves TF tensors between layouts, sharing each transpose it adds. */
export class TfjsLayoutBuilder extends OnnxGraphBuilder {
  private readonly transposed = new Map<string, string>();

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
