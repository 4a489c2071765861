import type { Logger } from '@rxvision/decode';
import { cachedWrappedModel, OnnxDataType, type OnnxValueInfo, readOnnxSignature } from '@rxvision/models';
import { type ModelContract, recognizeContract, type ValueInfo } from './model-contract.js';

/** A wrapped model the detector feeds uint8 NHWC (see `cachedWrappedModel`), with the original's contract. */
export interface InputPrefix {
  readonly path: string;
  readonly input: string;
  readonly threshold?: string;
  readonly rows?: string;
  readonly rowIndex?: string;
  /** The original model's contract: geometry, classes, the decoder to use when there is no pre-filter. */
  readonly contract: ModelContract;
}

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [OnnxDataType.FLOAT]: 'float32',
  [OnnxDataType.FLOAT16]: 'float16',
  [OnnxDataType.UINT8]: 'uint8',
  [OnnxDataType.INT32]: 'int32',
  [OnnxDataType.INT64]: 'int64',
  [OnnxDataType.BOOL]: 'bool',
};

/**
 * Wraps the model for uint8 input (and a grid pre-filter) through the model cache. A model whose contract
 * is not recognised is left to the normal path (which reports it); one the wrap cannot handle is logged
 * and served unwrapped.
 */
export async function prepareInputPrefix(
  model: string,
  bytes: Uint8Array,
  inputSize: { readonly width: number; readonly height: number },
  metadata: ReadonlyMap<string, string>,
  logger: Pick<Logger, 'info' | 'warn'>,
  cacheDir?: string,
): Promise<InputPrefix | undefined> {
  let contract: ModelContract;
  try {
    const signature = readOnnxSignature(bytes);
    contract = recognizeContract(
      model,
      signature.inputs.map(valueInfo),
      signature.outputs.map(valueInfo),
      inputSize,
      metadata,
    );
  } catch {
    return undefined;
  }
  try {
    const wrapped = await cachedWrappedModel(bytes, { prefilter: contract.kind === 'grid' }, cacheDir);
    logger.info(
      `detector ${model}: ${wrapped.reused ? 'using' : 'made'} ${wrapped.path} (uint8 input${wrapped.rows ? ', score pre-filter' : ''})`,
    );
    return { ...wrapped, contract };
  } catch (error) {
    logger.warn(
      `detector ${model}: cannot wrap the model for uint8 input (${(error as Error).message}); packing float input in JavaScript instead. Set inputPrefix: false to skip the attempt`,
    );
    return undefined;
  }
}

/**
 * The threshold fed to the graph's pre-filter: a hair under `minScore`, so float32 rounding of the
 * graph's product never drops a row that the exact test in JavaScript keeps (that test runs again).
 */
export function prefilterThreshold(minScore: number): number {
  return minScore > 0 ? Math.fround(minScore) * (1 - 1e-5) : Number.NEGATIVE_INFINITY;
}

function valueInfo(v: OnnxValueInfo): ValueInfo {
  return { name: v.name, type: TYPE_NAMES[v.elemType] ?? `type ${v.elemType}`, shape: v.dims };
}
