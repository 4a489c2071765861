import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultCacheDir } from '@rxvision/models';

/** Where generated models live: outside the repo, reused across runs, beside the default model. */
export const MODEL_CACHE = process.env.RXVISION_MODEL_CACHE ?? join(defaultCacheDir(), 'models');

export interface BenchModel {
  /** Short name used in tables. */
  readonly name: string;
  readonly path: string;
  readonly trained: boolean;
}

export function yolov7Tiny(sharedDir: string): BenchModel {
  return {
    name: 'YOLOv7-tiny (untrained, architecture-exact)',
    path: join(sharedDir, 'models', 'yolov7-tiny-640-untrained.onnx'),
    trained: false,
  };
}

export function yolov5s(sharedDir: string): BenchModel {
  return {
    name: 'YOLOv5s (trained COCO)',
    path: join(sharedDir, 'models', 'yolov5s-coco-640.onnx'),
    trained: true,
  };
}

const YOLOV7_FILE = 'yolov7_640_untrained.onnx';

/**
 * The full YOLOv7 graph (141 MB) from `../shared/models/tools/make_yolov7_onnx.py`, generated into
 * the cache on first use (about two minutes on 2 cores). Throws with the generator's output when
 * it fails, so the caller can report why the model is missing.
 */
export async function yolov7Full(sharedDir: string, generate: boolean): Promise<BenchModel> {
  const path = join(MODEL_CACHE, YOLOV7_FILE);
  if (!existsSync(path)) {
    if (!generate) {
      throw new Error(
        `YOLOv7 not generated yet (${path}); run the full suite once, or make_yolov7_onnx.py --out ${MODEL_CACHE}`,
      );
    }
    mkdirSync(MODEL_CACHE, { recursive: true });
    const script = join(sharedDir, 'models', 'tools', 'make_yolov7_onnx.py');
    try {
      await promisify(execFile)(
        '/usr/bin/python3',
        [script, '--out', MODEL_CACHE, '--models', 'yolov7', '--no-fp16'],
        { maxBuffer: 16 * 2 ** 20 },
      );
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(
        `generating YOLOv7 with ${script} failed (needs python3-onnx and python3-numpy): ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' ')}`,
      );
    }
  }
  return { name: 'YOLOv7 (untrained, architecture-exact)', path, trained: false };
}
