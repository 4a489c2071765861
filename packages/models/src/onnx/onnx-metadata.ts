import { ProtobufReader } from '../protobuf/protobuf-reader.js';
import { WireType } from '../protobuf/wire-type.js';
import { MODEL, STRING_STRING_ENTRY } from './onnx-fields.js';

/**
 * Reads `metadata_props` from ONNX model bytes (onnxruntime-node does not expose custom metadata).
 * Only the top-level `ModelProto` fields are walked and everything else is skipped by length: the graph
 * itself is never parsed. Throws a `RangeError` when the bytes are not a protobuf message.
 *
 * ## Example
 * ```ts
 * const names = readOnnxMetadata(await readFile('yolov5s.onnx')).get('names');
 * ```
 */
export function readOnnxMetadata(bytes: Uint8Array): Map<string, string> {
  const props = new Map<string, string>();
  const model = new ProtobufReader(bytes);
  while (!model.done()) {
    const { field, wireType } = model.tag();
    if (field === MODEL.metadataProps && wireType === WireType.LENGTH_DELIMITED) {
      const entry = readEntry(model.message());
      if (entry) props.set(entry[0], entry[1]);
    } else {
      model.skip(wireType);
    }
  }
  return props;
}

function readEntry(entry: ProtobufReader): [string, string] | undefined {
  let key: string | undefined;
  let value = '';
  while (!entry.done()) {
    const { field, wireType } = entry.tag();
    if (wireType !== WireType.LENGTH_DELIMITED) entry.skip(wireType);
    else if (field === STRING_STRING_ENTRY.key) key = entry.string();
    else if (field === STRING_STRING_ENTRY.value) value = entry.string();
    else entry.skip(wireType);
  }
  return key === undefined ? undefined : [key, value];
}
