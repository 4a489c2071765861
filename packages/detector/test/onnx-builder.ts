/**
 * Writes tiny ONNX models for tests (protobuf by hand: only the fields used here), so contracts
 * the shared folder has no model for still run through onnxruntime for real.
 */
type Field = Uint8Array;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const concat = (parts: readonly Field[]): Field => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};
const int = (field: number, value: number): Field => new Uint8Array([...varint(field * 8), ...varint(value)]);
const bytes = (field: number, value: Field): Field =>
  concat([new Uint8Array([...varint(field * 8 + 2), ...varint(value.length)]), value]);
const str = (field: number, value: string): Field => bytes(field, new TextEncoder().encode(value));
/** int64 values (negative ones as 10-byte two's complement varints). */
const int64 = (field: number, value: number): Field => {
  if (value >= 0) return int(field, value);
  const out = [...varint(field * 8)];
  let v = BigInt.asUintN(64, BigInt(value));
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return new Uint8Array(out);
};

export const FLOAT = 1;
export const INT64 = 7;
export const INT32 = 6;
export const FLOAT16 = 10;

export interface ValueSpec {
  readonly name: string;
  readonly type: number;
  readonly shape: readonly (number | string)[];
}

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface InitializerSpec {
  readonly name: string;
  readonly type: number;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

function valueInfo(v: ValueSpec): Field {
  const dims = v.shape.map((d) => bytes(1, typeof d === 'number' ? int64(1, d) : str(2, d)));
  const tensorType = concat([int(1, v.type), bytes(2, concat(dims))]);
  return concat([str(1, v.name), bytes(2, bytes(1, tensorType))]);
}

function initializer(t: InitializerSpec): Field {
  const array =
    t.type === INT64
      ? new BigInt64Array(t.values.map((v) => BigInt(v)))
      : t.type === INT32
        ? Int32Array.from(t.values)
        : Float32Array.from(t.values);
  const raw = new Uint8Array(array.buffer);
  return concat([...t.dims.map((d) => int64(1, d)), int(2, t.type), str(8, t.name), bytes(9, raw)]);
}

/** A whole model: opset 13, the given graph, optional `metadata_props`. */
export function onnxModel(graph: {
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly nodes: readonly NodeSpec[];
  readonly initializers?: readonly InitializerSpec[];
  readonly metadata?: Readonly<Record<string, string>>;
}): Uint8Array {
  const nodes = graph.nodes.map((n, i) =>
    bytes(
      1,
      concat([
        ...n.inputs.map((x) => str(1, x)),
        ...n.outputs.map((x) => str(2, x)),
        str(3, `n${i}`),
        str(4, n.op),
      ]),
    ),
  );
  const body = concat([
    ...nodes,
    str(2, 'test'),
    ...(graph.initializers ?? []).map((t) => bytes(5, initializer(t))),
    ...graph.inputs.map((v) => bytes(11, valueInfo(v))),
    ...graph.outputs.map((v) => bytes(12, valueInfo(v))),
  ]);
  const metadata = Object.entries(graph.metadata ?? {}).map(([k, v]) =>
    bytes(14, concat([str(1, k), str(2, v)])),
  );
  return concat([
    int(1, 7),
    str(2, 'rxvision-test'),
    bytes(7, body),
    bytes(8, concat([str(1, ''), int(2, 13)])),
    ...metadata,
  ]);
}
