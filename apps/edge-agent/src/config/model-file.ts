import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ProtobufReader, WireType } from '@rxvision/models';

/** Bytes read from the start of a model: enough for every `ModelProto` field before the graph. */
const HEAD_BYTES = 64 * 1024;

/** `ModelProto` fields (onnx.proto) and the wire type each must have; any other number is refused. */
const MODEL_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, WireType.VARINT], // ir_version
  [2, WireType.LENGTH_DELIMITED], // producer_name
  [3, WireType.LENGTH_DELIMITED], // producer_version
  [4, WireType.LENGTH_DELIMITED], // domain
  [5, WireType.VARINT], // model_version
  [6, WireType.LENGTH_DELIMITED], // doc_string
  [7, WireType.LENGTH_DELIMITED], // graph
  [8, WireType.LENGTH_DELIMITED], // opset_import
  [14, WireType.LENGTH_DELIMITED], // metadata_props
  [20, WireType.LENGTH_DELIMITED], // training_info
  [25, WireType.LENGTH_DELIMITED], // functions
  [26, WireType.LENGTH_DELIMITED], // configuration
]);

/**
 * Why a file cannot be an ONNX model, or undefined when it can: it is missing or unreadable, or
 * its first bytes are not an ONNX `ModelProto` (which every exporter starts with `ir_version`),
 * or its graph runs past the end of the file (a cut-off download). Reads at most 64 KiB.
 */
export function onnxFileProblem(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'file not found';
    if (code === 'EACCES') return 'file not readable (permission denied)';
    if (code === 'EISDIR') return 'is a directory, not a model file';
    return `cannot open the file (${code ?? (error as Error).message})`;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 'the file is empty';
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    readSync(fd, head, 0, head.length, 0);
    return headProblem(head, size);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EISDIR' ? 'is a directory, not a model file' : `cannot read the file (${code})`;
  } finally {
    closeSync(fd);
  }
}

const NOT_ONNX = 'not an ONNX model (its first bytes are not an ONNX ModelProto)';

function headProblem(head: Buffer, size: number): string | undefined {
  const reader = new ProtobufReader(head);
  // Where the reader stands, from the (canonical) varint sizes: the reader keeps its offset private.
  let at = 0;
  try {
    const first = reader.tag();
    const irVersion = first.field === 1 && first.wireType === WireType.VARINT ? reader.varint() : 0;
    if (irVersion < 1 || irVersion > 100) return NOT_ONNX;
    at = varintSize(8) + varintSize(irVersion);
    while (!reader.done()) {
      const { field, wireType } = reader.tag();
      if (MODEL_FIELDS.get(field) !== wireType) return NOT_ONNX;
      at += varintSize(field * 8 + wireType);
      if (field === 7) {
        const length = new ProtobufReader(head.subarray(at)).varint();
        const end = at + varintSize(length) + length;
        return end > size
          ? `the file is cut off: its graph needs ${end} bytes, the file has ${size}`
          : undefined;
      }
      if (wireType === WireType.VARINT) at += varintSize(reader.varint());
      else {
        const bytes = reader.bytes();
        at += varintSize(bytes.length) + bytes.length;
      }
    }
  } catch {
    // Ran out of the head before the graph (a very long doc string): the rest is ORT's to judge.
    return head.length === HEAD_BYTES ? undefined : NOT_ONNX;
  }
  return 'not an ONNX model (it has no graph)';
}

/** Bytes a varint of `value` takes. */
function varintSize(value: number): number {
  let n = 1;
  for (let v = value; v >= 128; v = Math.floor(v / 128)) n++;
  return n;
}
