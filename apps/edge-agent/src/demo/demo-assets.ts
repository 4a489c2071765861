import { type PrepareModelOptions, prepareDefaultModel } from '@rxvision/models';
import { prepareDemoClip } from './demo-clip.js';

export interface DemoAssets {
  /** The default detector model (ONNX, YOLOv7 grid contract). */
  readonly modelPath: string;
  /** The demo clip to play as a live camera. */
  readonly clipPath: string;
}

/**
 * Fetches (or finds in the cache) everything `edge-agent demo` needs, both downloads at once: the
 * default model and the demo clip. Fails with the first error, which says what to do.
 *
 * ## Example
 * ```ts
 * const { modelPath, clipPath } = await prepareDemoAssets({ log: (m) => logger.info(m) });
 * ```
 */
export async function prepareDemoAssets(
  options: Omit<PrepareModelOptions, 'registry'> = {},
): Promise<DemoAssets> {
  const [modelPath, clipPath] = await Promise.all([prepareDefaultModel(options), prepareDemoClip(options)]);
  return { modelPath, clipPath };
}
