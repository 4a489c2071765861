import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type WrappedYoloModel,
  type WrapYoloOptions,
  wrapYoloInput,
  YOLO_WRAPPER_VERSION,
} from '../onnx/wrap-yolo-input.js';
import { defaultCacheDir } from './cache-dir.js';

/** A wrapped model in the cache: its file and the names to feed and fetch (`bytes` stay on disk). */
export type CachedWrappedModel = Omit<WrappedYoloModel, 'bytes'> & {
  readonly path: string;
  readonly reused: boolean;
};

/**
 * The input-prefix wrap of `bytes` (see `wrapYoloInput`) as a file in the model cache, keyed by the
 * original model's SHA-256, the wrapper's version and the options: made once, then reused. The user's
 * file is never written. Written to a temporary name and renamed, so a crash leaves no half file.
 *
 * ## Example
 * ```ts
 * const wrapped = await cachedWrappedModel(await readFile(model), { prefilter: true });
 * const session = await InferenceSession.create(wrapped.path);
 * ```
 */
export async function cachedWrappedModel(
  bytes: Uint8Array,
  options: WrapYoloOptions = {},
  cacheDir: string = defaultCacheDir(),
): Promise<CachedWrappedModel> {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  const variant = `v${YOLO_WRAPPER_VERSION}-${options.prefilter ? 'prefilter' : 'plain'}`;
  const dir = join(cacheDir, 'wrapped-models');
  const path = join(dir, `${hash}-${variant}.onnx`);
  const namesPath = `${path}.json`;
  const cached = await readFile(namesPath, 'utf8').catch(() => undefined);
  if (cached !== undefined) {
    const names = JSON.parse(cached) as Omit<WrappedYoloModel, 'bytes'>;
    return { ...names, path, reused: true };
  }
  const { bytes: wrapped, ...names } = wrapYoloInput(bytes, options);
  await mkdir(dir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, wrapped);
  await rename(temp, path);
  // The names file last: its presence says the model file beside it is whole.
  await writeFile(`${namesPath}.${process.pid}.tmp`, JSON.stringify(names));
  await rename(`${namesPath}.${process.pid}.tmp`, namesPath);
  return { ...names, path, reused: false };
}
