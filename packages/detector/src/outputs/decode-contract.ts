import type { Candidate, TensorLike } from '../candidate.js';
import type { ModelContract } from '../model-contract.js';
import { decodeDeepStreamYolo, decodeDeepStreamYoloSplit } from './decode-deepstream-yolo.js';
import { decodeEfficientNms } from './decode-efficient-nms.js';
import { decodeEnd2End } from './decode-end2end.js';
import { decodeGrid } from './decode-grid.js';
import { type Anchors, decodeRawHeads } from './decode-raw-heads.js';

/** The output names a contract's decoder reads, in the order it reads them. */
export function contractOutputs(contract: ModelContract): string[] {
  switch (contract.kind) {
    case 'grid':
    case 'end2end':
    case 'deepstream-yolo':
      return [contract.output];
    case 'efficient-nms':
      return [contract.numDets, contract.boxes, contract.scores, contract.classes];
    case 'raw-heads':
      return [...contract.heads];
    case 'deepstream-yolo-split':
      return [contract.boxes, contract.scores, contract.classes];
  }
}

/** Whether the graph already ran NMS (end-to-end exports), so the detector must not run it again. */
export function contractHasNms(contract: ModelContract): boolean {
  return contract.kind === 'end2end' || contract.kind === 'efficient-nms';
}

/**
 * Decodes one run's outputs of `images` images by the model's contract into candidates per
 * image (input pixels). `get` returns an output by name or throws; `anchors` serve raw heads.
 */
export function decodeContract(
  contract: ModelContract,
  get: (name: string) => TensorLike,
  images: number,
  minScore: number,
  anchors: Anchors,
): Candidate[][] {
  switch (contract.kind) {
    case 'grid':
      return decodeGrid(get(contract.output), contract.output, images, minScore);
    case 'end2end':
      return decodeEnd2End(get(contract.output), contract.output, images, minScore);
    case 'deepstream-yolo':
      return decodeDeepStreamYolo(get(contract.output), contract.output, images, minScore);
    case 'efficient-nms':
      return decodeEfficientNms(
        {
          numDets: get(contract.numDets),
          boxes: get(contract.boxes),
          scores: get(contract.scores),
          classes: get(contract.classes),
        },
        images,
        minScore,
      );
    case 'deepstream-yolo-split':
      return decodeDeepStreamYoloSplit(
        { boxes: get(contract.boxes), scores: get(contract.scores), classes: get(contract.classes) },
        images,
        minScore,
      );
    case 'raw-heads':
      return decodeRawHeads(
        contract.heads.map((name) => ({ name, tensor: get(name) })),
        anchors,
        contract.height,
        images,
        minScore,
      );
  }
}
