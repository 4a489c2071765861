import { ProtobufReader, WireType } from '@rxvision/models';

/** A graph node in a domain only TensorRT's plugins implement (YOLOv7 `export.py --end2end` without `--max-wh`). */
export interface TensorRtPluginNode {
  readonly opType: string;
  readonly domain: string;
}

// onnx.proto field numbers: ModelProto.graph, GraphProto.node, NodeProto.op_type / domain.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const NODE_OP_TYPE = 4;
const NODE_DOMAIN = 7;

/**
 * The nodes of the model's main graph in the `TRT` domain (`EfficientNMS_TRT` and the other
 * TensorRT plugins). Only node headers are read; initializers are skipped by length.
 */
export function tensorRtPluginNodes(bytes: Uint8Array): TensorRtPluginNode[] {
  const found: TensorRtPluginNode[] = [];
  const model = new ProtobufReader(bytes);
  while (!model.done()) {
    const { field, wireType } = model.tag();
    if (field !== MODEL_GRAPH || wireType !== WireType.LENGTH_DELIMITED) {
      model.skip(wireType);
      continue;
    }
    const graph = model.message();
    while (!graph.done()) {
      const tag = graph.tag();
      if (tag.field !== GRAPH_NODE || tag.wireType !== WireType.LENGTH_DELIMITED) {
        graph.skip(tag.wireType);
        continue;
      }
      const node = graph.message();
      let opType = '';
      let domain = '';
      while (!node.done()) {
        const n = node.tag();
        if (n.wireType === WireType.LENGTH_DELIMITED && n.field === NODE_OP_TYPE) opType = node.string();
        else if (n.wireType === WireType.LENGTH_DELIMITED && n.field === NODE_DOMAIN) domain = node.string();
        else node.skip(n.wireType);
      }
      if (domain.toUpperCase() === 'TRT') found.push({ opType, domain });
    }
  }
  return found;
}

/** The error for a TensorRT-plugin model on a provider list without TensorRT (or where TensorRT did not load). */
export class TensorRtOnlyModelError extends Error {
  constructor(model: string, nodes: readonly TensorRtPluginNode[], cause?: string) {
    const ops = [...new Set(nodes.map((n) => `${n.domain}::${n.opType}`))].join(', ');
    super(
      `model ${model}: its graph uses ${ops}, a TensorRT plugin that only the tensorrt provider runs` +
        `${cause ? ` (and the model did not load: ${cause})` : ''}.\n` +
        'This is YOLOv7 export.py --end2end without --max-wh (the TensorRT EfficientNMS export). Either:\n' +
        '  - run it on TensorRT: put tensorrt first in the providers list and make sure it loads, or\n' +
        '  - re-export for every provider: `python export.py --weights yolov7.pt --grid --end2end --max-wh 640` ' +
        "(NMS inside the graph with onnxruntime's own operators) or `--grid` alone (the raw grid; the detector runs NMS).",
    );
    this.name = 'TensorRtOnlyModelError';
  }
}

/** Whether an ordered provider list names TensorRT (string or object entries, any spelling). */
export function listsTensorRt(providers: readonly (string | { readonly name: string })[]): boolean {
  return providers.some((p) => (typeof p === 'string' ? p : p.name).toLowerCase().includes('tensorrt'));
}

/**
 * Throws `TensorRtOnlyModelError` before any session opens when the model needs TensorRT's
 * plugins and the provider list has no TensorRT; returns the plugin nodes found (empty for
 * ordinary models), so a later load failure can be explained with them.
 */
export function checkTensorRtPlugins(
  model: string,
  bytes: Uint8Array,
  providers: readonly (string | { readonly name: string })[],
): TensorRtPluginNode[] {
  let nodes: TensorRtPluginNode[];
  try {
    nodes = tensorRtPluginNodes(bytes);
  } catch {
    return []; // not a readable protobuf: ORT's own error says so when the session opens
  }
  if (nodes.length > 0 && !listsTensorRt(providers)) throw new TensorRtOnlyModelError(model, nodes);
  return nodes;
}
