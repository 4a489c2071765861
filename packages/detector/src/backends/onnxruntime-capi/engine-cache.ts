import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { OrtProviderKeys } from './provider-keys.js';

/** Engine files in a TensorRT cache directory: name → modification time (ms). */
export type EngineListing = ReadonlyMap<string, number>;

/** What a TensorRT session start did with its engine cache. */
export type EngineCacheOutcome =
  | { readonly kind: 'built'; readonly engines: readonly string[] }
  | { readonly kind: 'cached'; readonly engines: readonly string[] };

/**
 * The prefix ORT gives this model's engine files (`trt_engine_cache_prefix`): the user's, else one from the
 * model's file name, so one cache directory can hold several models' engines and we can tell them apart.
 */
export function enginePrefix(model: string): string {
  const stem = basename(model).replace(/\.onnx$/i, '');
  return `rxvision_${stem.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** The engine files of `prefix` in `directory` (none when it does not exist yet: ORT creates it). */
export function listEngines(directory: string, prefix: string): EngineListing {
  const listing = new Map<string, number>();
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return listing;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.engine')) continue;
    try {
      listing.set(name, statSync(join(directory, name)).mtimeMs);
    } catch {
      // Removed between the listing and the stat: not an engine we can use.
    }
  }
  return listing;
}

/** Before the session: no engine of this model yet means TensorRT builds one (minutes on a Jetson). */
export function engineWillBuild(before: EngineListing): boolean {
  return before.size === 0;
}

/** After the session: engines written or rewritten during the start were built; otherwise the cache served. */
export function engineCacheOutcome(before: EngineListing, after: EngineListing): EngineCacheOutcome {
  const written = [...after].filter(([name, mtime]) => before.get(name) !== mtime).map(([name]) => name);
  return written.length > 0
    ? { kind: 'built', engines: written }
    : { kind: 'cached', engines: [...after.keys()] };
}

/** The cache directory and file prefix of a TensorRT plan that caches engines, else undefined. */
export function engineCacheOf(plan: OrtProviderKeys): { directory: string; prefix: string } | undefined {
  if (plan.kind !== 'tensorrt') return;
  const keys = new Map(plan.keys);
  const directory = keys.get('trt_engine_cache_path');
  if (keys.get('trt_engine_cache_enable') !== '1' || !directory) return;
  return { directory, prefix: keys.get('trt_engine_cache_prefix') ?? 'TensorrtExecutionProvider' };
}

/**
 * The plan with `trt_engine_cache_prefix` set from the model's name when it caches engines and sets no
 * prefix itself, on an ONNX Runtime that has the key (1.17 and later).
 */
export function withEnginePrefix(plan: OrtProviderKeys, model: string, ortVersion: string): OrtProviderKeys {
  const cache = engineCacheOf(plan);
  if (!cache || plan.keys.some(([key]) => key === 'trt_engine_cache_prefix')) return plan;
  const [major = 0, minor = 0] = ortVersion.split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 17)) return plan;
  return { ...plan, keys: [...plan.keys, ['trt_engine_cache_prefix', enginePrefix(model)]] };
}
